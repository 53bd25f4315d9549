/**
 * Serialises send-API responses by hand, so key order is exactly that of Huawei's 2024 responses
 * (`result` first; each entry `total, originTo, createTime, from, smsMsgId, countryId, status`) and
 * no field can leak. Failed entries have `smsMsgId: ""` and no `total`/`countryId`.
 */
import { apiCode } from '../../domain/api-codes.js';
import type { PlannedEntry } from './validate-send.js';

/** The exact Content-Type of every send-API response (spec §3.4). */
export const SEND_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** `{"code","description"}` for a request-level result (no `result`). */
export function errorBody(code: string): string {
  return `{"code":${JSON.stringify(code)},"description":${JSON.stringify(apiCode(code).description)}}`;
}

/**
 * The body of an answered request: `000000` when every entry was accepted, else `E000510`.
 * `createTime` (yyyy-MM-ddTHH:mm:ssZ) and `from` are the same for all entries.
 */
export function sendResponseBody(
  entries: PlannedEntry[],
  from: string,
  createTime: string,
): { code: string; body: string } {
  const fromJson = JSON.stringify(from);
  const timeJson = JSON.stringify(createTime);
  const parts: string[] = [];
  let allOk = true;
  for (const e of entries) {
    if (e.message) {
      parts.push(
        `{"total":${e.message.total},"originTo":${JSON.stringify(e.originTo)},"createTime":${timeJson},"from":${fromJson},"smsMsgId":${JSON.stringify(e.message.smsMsgId)},"countryId":${JSON.stringify(e.countryId ?? e.message.countryId)},"status":"000000"}`,
      );
    } else {
      allOk = false;
      parts.push(
        `{"originTo":${JSON.stringify(e.originTo)},"createTime":${timeJson},"from":${fromJson},"smsMsgId":"","status":${JSON.stringify(e.status)}}`,
      );
    }
  }
  const code = allOk ? '000000' : 'E000510';
  return {
    code,
    body: `{"result":[${parts.join(',')}],"code":"${code}","description":${JSON.stringify(apiCode(code).description)}}`,
  };
}
