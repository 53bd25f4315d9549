import { describeStatus, type StatusCodeInfo } from '../domain/status-codes.js';
import { parseHuaweiTime } from '../domain/time.js';
import { ReceiverParseError } from './errors.js';
import { type FormInput, formFields, optional, required } from './form-fields.js';

/** One status report (spec §6 single push, or one element of a §7 batch). */
export interface StatusReport {
  /** The id returned by the send API. */
  smsMsgId: string;
  /** Status code (spec §9); only `DELIVRD` means delivered. */
  status: string;
  statusDesc?: string;
  /** Segments the message was split into; 1 when absent. */
  total: number;
  /** This report's segment (1-based); 1 when absent. */
  sequence: number;
  /** Who produced the report: 1 SMS platform, 2 SMS centre (carrier), 3 Huawei platform. */
  source?: number;
  /** `yyyy-MM-ddTHH:mm:ssZ` as sent; absent when the platform made the report itself. */
  updateTime?: string;
  /** `updateTime` parsed; undefined when absent or malformed. */
  updatedAt?: Date;
  /** Echo of the send request's `extend`. */
  extend?: string;
  /** Recipient; only sent together with `extend`. */
  to?: string;
  /** Seen in Huawei's wire example (`000`), not documented. */
  orgCode?: string;
  /** The catalogue entry for `status` (unknown carrier codes get a generic entry). */
  meaning: StatusCodeInfo;
  /** `status === 'DELIVRD'`. */
  delivered: boolean;
}

function count(get: (n: string) => string | undefined, name: string): number {
  const v = optional(get, name);
  if (v === undefined) return 1;
  if (!/^\d{1,4}$/.test(v.trim()))
    throw new ReceiverParseError(`status report: ${name} is not a number: ${v}`, name);
  return Number(v.trim());
}

function fromGetter(get: (n: string) => string | undefined): StatusReport {
  const smsMsgId = required(get, 'smsMsgId', 'status report');
  const status = required(get, 'status', 'status report');
  const source = optional(get, 'source');
  if (source !== undefined && !/^\d+$/.test(source))
    throw new ReceiverParseError(`status report: source is not a number: ${source}`, 'source');
  const updateTime = optional(get, 'updateTime');
  const ms = updateTime === undefined ? null : parseHuaweiTime(updateTime);
  const meaning = describeStatus(status);
  const report: StatusReport = {
    smsMsgId,
    status,
    total: count(get, 'total'),
    sequence: count(get, 'sequence'),
    meaning,
    delivered: status === 'DELIVRD',
  };
  // Optional fields are only set when present, so deepEqual-style comparisons stay simple.
  const statusDesc = optional(get, 'statusDesc');
  if (statusDesc !== undefined) report.statusDesc = statusDesc;
  if (source !== undefined) report.source = Number(source);
  if (updateTime !== undefined) report.updateTime = updateTime;
  if (ms !== null) report.updatedAt = new Date(ms);
  for (const k of ['extend', 'to', 'orgCode'] as const) {
    const v = optional(get, k);
    if (v !== undefined) report[k] = v;
  }
  return report;
}

/**
 * Parses a single status-report push (form body, spec §6).
 * @throws {ReceiverParseError} when `smsMsgId` or `status` is missing, or a number field is not numeric.
 */
export function parseStatusReport(body: FormInput): StatusReport {
  return fromGetter(formFields(body));
}

/**
 * Parses a batch status-report push (`{"statusReportList":[…]}`, spec §7; ≤ 50 per push).
 * Elements may carry `total`/`sequence` as strings or numbers.
 * @throws {ReceiverParseError} on invalid JSON, a missing list, or an invalid element.
 */
export function parseBatchStatusReport(json: string | Buffer | object): StatusReport[] {
  let data: unknown = json;
  if (typeof json === 'string' || Buffer.isBuffer(json)) {
    try {
      data = JSON.parse(json.toString());
    } catch {
      throw new ReceiverParseError('batch status report: body is not JSON');
    }
  }
  const list = (data as { statusReportList?: unknown } | null)?.statusReportList;
  if (!Array.isArray(list))
    throw new ReceiverParseError('batch status report: missing statusReportList array', 'statusReportList');
  return list.map((item, i) => {
    if (!item || typeof item !== 'object')
      throw new ReceiverParseError(`batch status report: element ${i} is not an object`);
    return fromGetter(formFields(item as Record<string, unknown>));
  });
}
