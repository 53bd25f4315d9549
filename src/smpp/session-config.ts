/**
 * Every SMPP session timeout and limit, named once with its default. A session takes a
 * partial `SessionConfig`, `resolveSessionConfig` fills the defaults, checks ranges and
 * freezes the result.
 */
import { DEFAULT_MAX_PDU_LENGTH } from './pdu-framer.js';

/** Largest accepted PDU (see pdu-framer.ts). */
export { DEFAULT_MAX_PDU_LENGTH };

/** Outstanding requests per session. Kannel's max-pending-submits default; carriers expect ~10. */
export const DEFAULT_WINDOW_SIZE = 10;
/** Upper bound for `windowSize`; more gains nothing against real SMSCs and costs memory. */
export const MAX_WINDOW_SIZE = 1000;
/** How long `request()` waits for a free window slot before failing. */
export const DEFAULT_WINDOW_WAIT_TIMEOUT_MS = 30_000;
/** How long a sent request waits for its response before it expires. */
export const DEFAULT_REQUEST_EXPIRY_TIMEOUT_MS = 30_000;
/** How long bind waits for bind_resp. */
export const DEFAULT_BIND_TIMEOUT_MS = 10_000;
/** Bound on a graceful unbind: draining the window, then waiting for unbind_resp (each). */
export const DEFAULT_UNBIND_TIMEOUT_MS = 5_000;
/** Send enquire_link after this long without traffic (Kannel/Jasmin use 30 s). 0 disables. */
export const DEFAULT_ENQUIRE_LINK_INTERVAL_MS = 30_000;
/** Close when nothing at all is received for this long (half-open link; Jasmin trx_to). 0 disables. */
export const DEFAULT_INACTIVITY_TIMEOUT_MS = 300_000;
/** Close when the socket stays unwritable (no 'drain') for this long. */
export const DEFAULT_WRITE_TIMEOUT_MS = 30_000;
/**
 * Period of the one sweeper timer per session that expires requests and window waiters and
 * drives enquire_link/inactivity checks: the resolution of every timeout above.
 */
export const DEFAULT_SWEEP_INTERVAL_MS = 500;

export interface SessionConfig {
  windowSize: number;
  windowWaitTimeoutMs: number;
  requestExpiryTimeoutMs: number;
  bindTimeoutMs: number;
  unbindTimeoutMs: number;
  enquireLinkIntervalMs: number;
  inactivityTimeoutMs: number;
  writeTimeoutMs: number;
  sweepIntervalMs: number;
  maxPduLength: number;
  /** Clock, injectable for tests. Default `Date.now`. */
  now: () => number;
}

/** Fills defaults, validates, freezes. @throws RangeError on an out-of-range value (a config bug). */
export function resolveSessionConfig(partial: Partial<SessionConfig> = {}): Readonly<SessionConfig> {
  const c: SessionConfig = {
    windowSize: partial.windowSize ?? DEFAULT_WINDOW_SIZE,
    windowWaitTimeoutMs: partial.windowWaitTimeoutMs ?? DEFAULT_WINDOW_WAIT_TIMEOUT_MS,
    requestExpiryTimeoutMs: partial.requestExpiryTimeoutMs ?? DEFAULT_REQUEST_EXPIRY_TIMEOUT_MS,
    bindTimeoutMs: partial.bindTimeoutMs ?? DEFAULT_BIND_TIMEOUT_MS,
    unbindTimeoutMs: partial.unbindTimeoutMs ?? DEFAULT_UNBIND_TIMEOUT_MS,
    enquireLinkIntervalMs: partial.enquireLinkIntervalMs ?? DEFAULT_ENQUIRE_LINK_INTERVAL_MS,
    inactivityTimeoutMs: partial.inactivityTimeoutMs ?? DEFAULT_INACTIVITY_TIMEOUT_MS,
    writeTimeoutMs: partial.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS,
    sweepIntervalMs: partial.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    maxPduLength: partial.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH,
    now: partial.now ?? Date.now,
  };
  if (!Number.isInteger(c.windowSize) || c.windowSize < 1 || c.windowSize > MAX_WINDOW_SIZE) {
    throw new RangeError(`windowSize must be 1..${MAX_WINDOW_SIZE}, got ${c.windowSize}`);
  }
  for (const k of [
    'windowWaitTimeoutMs',
    'requestExpiryTimeoutMs',
    'bindTimeoutMs',
    'unbindTimeoutMs',
    'enquireLinkIntervalMs',
    'inactivityTimeoutMs',
    'writeTimeoutMs',
  ] as const) {
    if (!(c[k] >= 0)) throw new RangeError(`${k} must be >= 0`);
  }
  if (!(c.sweepIntervalMs > 0)) throw new RangeError('sweepIntervalMs must be > 0');
  if (c.maxPduLength < 16) throw new RangeError('maxPduLength must be >= 16');
  return Object.freeze(c);
}

/** Client: TCP/TLS connect timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Client: first reconnect delay; doubles per failure. */
export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 1_000;
/** Client: reconnect delay cap (Kannel/Jasmin reconnect after ~10 s; fiorix caps at 120 s). */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
/** Client: pause before resending a part refused with ESME_RTHROTTLED / ESME_RMSGQFUL. */
export const DEFAULT_THROTTLE_RETRY_DELAY_MS = 1_000;
/** Client: how many times one part is retried after throttling before giving up. */
export const DEFAULT_MAX_THROTTLE_RETRIES = 10;
