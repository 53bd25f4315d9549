/**
 * The logging surface the engine and the webhook worker need: a subset of pino's, so `main.ts`
 * passes its pino logger (or a child) and tests pass a silent or capturing object.
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** A logger that drops everything; the default in tests. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
