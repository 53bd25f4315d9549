import { parseSdkAuthorization, verifyAkSk } from '../auth/aksk.js';
import { ReceiverParseError } from './errors.js';
import { formFields } from './form-fields.js';
import { parseBatchStatusReport, parseStatusReport, type StatusReport } from './status-report.js';
import { parseUplink, type UplinkMessage } from './uplink-message.js';

/** Default cap on a push body: 1 MiB (a batch of 50 reports is ~20 KB). */
export const DEFAULT_PUSH_BODY_LIMIT = 1024 * 1024;

/** What to do with pushes, shared by the node:http, fastify and express receivers. */
export interface ReceiverOptions {
  /** Called once per status report (a batch push calls it for each element, in order). */
  onStatusReport?(report: StatusReport): void | Promise<void>;
  onUplink?(message: UplinkMessage): void | Promise<void>;
  /**
   * Verify push AK/SK signing (spec §4.3): requests must carry a valid
   * `Authorization: SDK-HMAC-SHA256 Access=<appKey>…` made with `appSecret`, with `X-Sdk-Date`
   * within 15 minutes; otherwise 401. Default: no verification (the platform's default too).
   */
  verify?: { appKey: string; appSecret: string };
  /** Body size cap in bytes; default {@link DEFAULT_PUSH_BODY_LIMIT}. Larger bodies get 413. */
  maxBodyBytes?: number;
}

/** A received push, independent of the HTTP framework. */
export interface PushInput {
  method: string;
  /** Request target as received: path plus optional `?query`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The exact body bytes; required when `verify` is set. */
  rawBody?: Buffer;
  /** A body a framework already parsed (object or string); used when `rawBody` is absent. */
  parsedBody?: unknown;
}

/** Status and JSON text to answer with. The platform ignores the body (spec §6). */
export interface PushResult {
  status: number;
  body: string;
}

const answer = (status: number, code: string, description: string): PushResult => ({
  status,
  body: JSON.stringify({ code, description }),
});

/**
 * Verifies, parses and dispatches one push. Content type decides the shape: JSON → batch status
 * report (§7); otherwise form → a status report when it has `status`, else an uplink when it has
 * `from` and `body` (§8). Answers 200 on success, 401 on failed verification, 400 on an
 * unparseable push, 500 when a callback throws (so a retrying platform — Swiftlet's does —
 * delivers it again).
 */
export async function handlePush(
  input: PushInput,
  opts: ReceiverOptions,
  now: number = Date.now(),
): Promise<PushResult> {
  if (opts.verify) {
    if (!input.rawBody)
      return answer(500, 'E000000', 'receiver misconfigured: verification needs the raw body');
    const auth = parseSdkAuthorization(input.headers.authorization);
    if (!auth.ok) return answer(401, auth.code, 'Unauthorized');
    if (auth.access !== opts.verify.appKey) return answer(401, 'E000102', 'Unauthorized');
    const q = input.url.indexOf('?');
    const verified = verifyAkSk({
      method: input.method,
      path: q < 0 ? input.url : input.url.slice(0, q),
      query: q < 0 ? undefined : input.url.slice(q + 1),
      headers: input.headers,
      rawBody: input.rawBody,
      secret: opts.verify.appSecret,
      auth,
      now,
    });
    if (!verified.ok) return answer(401, verified.code, 'Unauthorized');
  }

  const body = input.rawBody ?? input.parsedBody;
  const ctHeader = input.headers['content-type'];
  const contentType = (Array.isArray(ctHeader) ? ctHeader[0] : (ctHeader ?? '')).toLowerCase();
  let run: () => Promise<void>;
  try {
    if (contentType.includes('json')) {
      const reports = parseBatchStatusReport(body as string | Buffer | object);
      run = async () => {
        for (const r of reports) await opts.onStatusReport?.(r);
      };
    } else {
      const get = formFields(body as string | Buffer | Record<string, unknown>);
      if (get('status') !== undefined) {
        const report = parseStatusReport(body as string);
        run = async () => opts.onStatusReport?.(report);
      } else if (get('from') !== undefined && get('body') !== undefined) {
        const message = parseUplink(body as string);
        run = async () => opts.onUplink?.(message);
      } else {
        throw new ReceiverParseError('push is neither a status report nor an uplink message');
      }
    }
  } catch (err) {
    if (err instanceof ReceiverParseError) return answer(400, 'E000000', err.message);
    throw err;
  }
  try {
    await run();
  } catch {
    return answer(500, 'E000000', 'handler failed');
  }
  return answer(200, '000000', 'Success');
}
