import { API_CODES, type ApiCodeInfo } from '../domain/api-codes.js';
import { describeStatus, type StatusCodeInfo } from '../domain/status-codes.js';

/**
 * Explains a code from either catalogue: a send-API result or per-number code (`E000102`,
 * `E200041`) → {@link ApiCodeInfo}; anything else is treated as a status-report code (`DELIVRD`,
 * `MK:0001`) → {@link StatusCodeInfo} (unknown carrier codes get a generic entry).
 */
export function describeCode(code: string): ApiCodeInfo | StatusCodeInfo {
  if (Object.hasOwn(API_CODES, code)) return API_CODES[code];
  return describeStatus(code);
}
