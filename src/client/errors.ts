import { API_CODES } from '../domain/api-codes.js';

/**
 * Errors thrown by the SDK. Each class has a stable `name` and `code`; branch on `code` (or on
 * `instanceof`), never on message text.
 */

/**
 * The platform answered with a request-level error code (`E000001`, `E000623`, …) or an API
 * gateway error (`APIG.0301`, Huawei's shape `{"error_code","error_msg"}`). Nothing was sent.
 * E000510 (some numbers failed) is NOT thrown: the response is returned so per-number statuses
 * can be read.
 */
export class SmsApiError extends Error {
  override readonly name = 'SmsApiError';
  /** The MSGSMS code from the body, e.g. `E000102`. */
  readonly code: string;
  /** `description` from the body (the server's text). */
  readonly description: string;
  /** How to fix it, from Swiftlet's catalogue; empty for codes the catalogue does not know. */
  readonly suggestion: string;
  readonly httpStatus: number;
  /** The parsed response body. */
  readonly body: unknown;

  constructor(code: string, description: string, httpStatus: number, body: unknown) {
    super(`${code}: ${description}`);
    this.code = code;
    this.description = description;
    this.suggestion = Object.hasOwn(API_CODES, code) ? API_CODES[code].suggestion : '';
    this.httpStatus = httpStatus;
    this.body = body;
  }
}

/**
 * No complete response arrived within `timeoutMs`. The request may or may not have been
 * processed: it is never retried automatically (a retry could send the SMS twice).
 */
export class SmsTimeoutError extends Error {
  override readonly name = 'SmsTimeoutError';
  readonly code = 'SMS_TIMEOUT';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`no response within ${timeoutMs} ms; the request may have been processed`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A socket or DNS error. `mayHaveBeenSent` says whether the body could have reached the server:
 * `false` means it is safe to resend (the SDK already retried such errors `retries` times);
 * `true` means a resend may duplicate the SMS.
 */
export class SmsNetworkError extends Error {
  override readonly name = 'SmsNetworkError';
  readonly code = 'SMS_NETWORK';
  /** The system error code, e.g. `ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`. */
  readonly errno: string | undefined;
  readonly mayHaveBeenSent: boolean;
  constructor(cause: Error & { code?: string }, mayHaveBeenSent: boolean) {
    super(`${cause.code ?? 'network error'}: ${cause.message}`, { cause });
    this.errno = cause.code;
    this.mayHaveBeenSent = mayHaveBeenSent;
  }
}

/** The server answered with something that is not an MSGSMS JSON body (e.g. an HTML 502 page). */
export class SmsResponseError extends Error {
  override readonly name = 'SmsResponseError';
  readonly code = 'SMS_BAD_RESPONSE';
  readonly httpStatus: number;
  /** The raw body text (truncated to 2,000 characters). */
  readonly body: string;
  constructor(httpStatus: number, body: string) {
    super(`unexpected response (HTTP ${httpStatus})`);
    this.httpStatus = httpStatus;
    this.body = body.slice(0, 2000);
  }
}

/** A push (status report or uplink) lacks a required field or is not well-formed. */
export class ReceiverParseError extends Error {
  override readonly name = 'ReceiverParseError';
  readonly code = 'SMS_BAD_PUSH';
  /** The offending field, when one is to blame. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}
