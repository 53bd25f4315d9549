/**
 * SMPP error classes. Each has a stable `code` (branch on it, never on the message) and a
 * `name`. They are classed by what the caller must do next:
 *
 * | code                      | meaning                                          | caller should      |
 * |---------------------------|--------------------------------------------------|--------------------|
 * | SMPP_ERR_ENCODE           | a PDU we built is invalid (too long field, ...)  | fix the input      |
 * | SMPP_ERR_CLOSED           | session closed before the response arrived       | requeue `pdu`      |
 * | SMPP_ERR_RESPONSE_TIMEOUT | no response within requestExpiry                 | outcome unknown    |
 * | SMPP_ERR_WINDOW_TIMEOUT   | no free window slot within windowWait            | retry later        |
 * | SMPP_ERR_WINDOW_FULL      | `trySend` on a full window                       | retry later        |
 * | SMPP_ERR_NOT_BOUND        | request on a session that is not bound           | wait for bind      |
 * | SMPP_ERR_BIND_FAILED      | bind refused (`status` says why)                 | check credentials  |
 * | SMPP_ERR_NACK             | peer answered generic_nack (`status`)            | do not resend same |
 * | SMPP_ERR_BAD_RESPONSE     | response PDU could not be decoded                | outcome unknown    |
 */

import { commandStatusName } from './command-status.js';
import type { Pdu, PduInput } from './pdu-types.js';

const BRAND = Symbol.for('swiftlet.smpp.error');

export type SmppErrorCode =
  | 'SMPP_ERR_ENCODE'
  | 'SMPP_ERR_CLOSED'
  | 'SMPP_ERR_RESPONSE_TIMEOUT'
  | 'SMPP_ERR_WINDOW_TIMEOUT'
  | 'SMPP_ERR_WINDOW_FULL'
  | 'SMPP_ERR_NOT_BOUND'
  | 'SMPP_ERR_BIND_FAILED'
  | 'SMPP_ERR_NACK'
  | 'SMPP_ERR_BAD_RESPONSE';

/** Base class; `isSmppError(e)` works across duplicate module copies. */
export class SmppError extends Error {
  readonly code: SmppErrorCode;
  readonly [BRAND] = true;
  constructor(code: SmppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'SmppError';
  }
}

/** True for any error thrown by this module. */
export function isSmppError(e: unknown): e is SmppError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export class SmppEncodeError extends SmppError {
  constructor(message: string) {
    super('SMPP_ERR_ENCODE', message);
    this.name = 'SmppEncodeError';
  }
}

/**
 * The session closed while this request was outstanding (or waiting for a slot). `pdu` is
 * the request as it was offered, `sent` says whether it reached the socket: when true the
 * SMSC may have accepted it, so the engine must treat a resend as a possible duplicate.
 */
export class SmppClosedError extends SmppError {
  readonly pdu: PduInput;
  readonly sent: boolean;
  readonly reason: string;
  constructor(pdu: PduInput, sent: boolean, reason: string, cause?: unknown) {
    super('SMPP_ERR_CLOSED', `session closed (${reason}) before ${pdu.command} got a response`, { cause });
    this.pdu = pdu;
    this.sent = sent;
    this.reason = reason;
    this.name = 'SmppClosedError';
  }
}

/** A timeout. `kind` names which one (see session-config.ts). */
export class SmppTimeoutError extends SmppError {
  readonly pdu: PduInput | undefined;
  readonly kind: 'response' | 'windowWait' | 'bind' | 'unbind' | 'write';
  constructor(kind: SmppTimeoutError['kind'], pdu: PduInput | undefined, ms: number) {
    super(
      kind === 'windowWait' ? 'SMPP_ERR_WINDOW_TIMEOUT' : 'SMPP_ERR_RESPONSE_TIMEOUT',
      `${kind} timeout after ${ms} ms${pdu ? ` (${pdu.command})` : ''}`,
    );
    this.kind = kind;
    this.pdu = pdu;
    this.name = 'SmppTimeoutError';
  }
}

export class SmppWindowFullError extends SmppError {
  constructor(size: number) {
    super('SMPP_ERR_WINDOW_FULL', `window full (${size} outstanding)`);
    this.name = 'SmppWindowFullError';
  }
}

export class SmppNotBoundError extends SmppError {
  constructor(state: string) {
    super('SMPP_ERR_NOT_BOUND', `session is ${state}, not bound`);
    this.name = 'SmppNotBoundError';
  }
}

/** A response carrying a non-zero command_status where the caller needed success. */
export class SmppStatusError extends SmppError {
  readonly status: number;
  readonly response: Pdu | undefined;
  constructor(code: 'SMPP_ERR_BIND_FAILED' | 'SMPP_ERR_NACK', status: number, response?: Pdu) {
    super(code, `${code === 'SMPP_ERR_NACK' ? 'generic_nack' : 'bind failed'}: ${commandStatusName(status)}`);
    this.status = status;
    this.response = response;
    this.name = 'SmppStatusError';
  }
}

export class SmppBadResponseError extends SmppError {
  readonly status: number;
  constructor(status: number, message: string) {
    super('SMPP_ERR_BAD_RESPONSE', message);
    this.status = status;
    this.name = 'SmppBadResponseError';
  }
}
