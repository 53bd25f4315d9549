import { ReceiverParseError } from './errors.js';

/** A push body in any of the shapes callers have at hand. */
export type FormInput = string | Buffer | URLSearchParams | Record<string, unknown>;

/**
 * Normalises a form push body to a field getter. Strings/Buffers are decoded as
 * `application/x-www-form-urlencoded` (UTF-8, `+` = space); already-parsed objects (fastify
 * formbody, express.urlencoded) are read as-is, taking the first value of repeated fields.
 */
export function formFields(body: FormInput): (name: string) => string | undefined {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const params = new URLSearchParams(body.toString());
    return (name) => params.get(name) ?? undefined;
  }
  if (body instanceof URLSearchParams) return (name) => body.get(name) ?? undefined;
  if (body && typeof body === 'object') {
    return (name) => {
      const v = Object.hasOwn(body, name) ? body[name] : undefined;
      const first = Array.isArray(v) ? v[0] : v;
      if (first === undefined || first === null) return undefined;
      return typeof first === 'string' ? first : String(first);
    };
  }
  throw new ReceiverParseError('push body is not a form');
}

/** Reads a required field; absent or empty → {@link ReceiverParseError} naming the field. */
export function required(get: (name: string) => string | undefined, name: string, what: string): string {
  const v = get(name);
  if (v === undefined || v === '')
    throw new ReceiverParseError(`${what}: missing required field ${name}`, name);
  return v;
}

/** Reads an optional field, mapping an empty value to `undefined`. */
export function optional(get: (name: string) => string | undefined, name: string): string | undefined {
  const v = get(name);
  return v === undefined || v === '' ? undefined : v;
}
