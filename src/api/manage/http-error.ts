/**
 * Errors of the management API. Every non-2xx answer is `{ "error": { "code", "message",
 * "details"? } }` with one of the codes below (docs/management-api.md); handlers throw
 * {@link HttpError} and the plugin's error handler writes it.
 */
export type ManageErrorCode =
  | 'UNAUTHORIZED'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'CONFLICT'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** HTTP status of each management error code. */
export const MANAGE_ERROR_STATUS: Readonly<Record<ManageErrorCode, number>> = Object.freeze({
  UNAUTHORIZED: 401,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
});

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly statusCode: number;
  constructor(
    readonly code: ManageErrorCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.statusCode = MANAGE_ERROR_STATUS[code];
  }
}

export function notFound(what: string, id: string): HttpError {
  return new HttpError('NOT_FOUND', `${what} ${id} not found`);
}

export function invalid(message: string, details?: string[]): HttpError {
  return new HttpError('VALIDATION_FAILED', message, details);
}

/** The JSON body for an error. */
export function errorPayload(code: string, message: string, details?: string[]) {
  return { error: details && details.length > 0 ? { code, message, details } : { code, message } };
}
