/**
 * Builds the outbox rows that become pushes: status reports (spec §6, one per part), their
 * destination (spec §7 precedence) and uplink pushes (spec §8). Pure functions; the store writes
 * what they return in the same transaction as the state change that caused it.
 */
import { describeStatus } from '../domain/status-codes.js';
import { formatHuaweiTime } from '../domain/time.js';
import type { OutboxKind } from './records.js';

/** Where a message's status reports go, or null when nothing is pushed. */
export interface ReportDestination {
  kind: Extract<OutboxKind, 'status' | 'batch_status'>;
  url: string;
}

/**
 * Spec §7: the message's `statusCallback` (single report per push) → else the app's batch address
 * (the webhook worker groups up to 50) → else no report.
 */
export function reportDestination(
  statusCallback: string | null,
  appBatchReportUrl: string | null,
): ReportDestination | null {
  if (statusCallback) return { kind: 'status', url: statusCallback };
  if (appBatchReportUrl) return { kind: 'batch_status', url: appBatchReportUrl };
  return null;
}

export interface StatusReportInput {
  smsMsgId: string;
  total: number;
  seq: number;
  to: string;
  extend: string | null;
  status: string;
  source: '1' | '2' | '3';
  /** When the carrier receipt arrived (epoch ms); null for a report the platform made itself. */
  receivedAt: number | null;
  /** The receipt's `err:` code; `000` when absent. */
  err: string | null;
}

/**
 * The §6 fields exactly as they go on the wire: `smsMsgId`, `total`, `sequence`, `status`,
 * `statusDesc`, `source`, `orgCode`, `updateTime` (carrier receipts only), `extend` and `to`
 * (only when the message had `extend`).
 */
export function statusReportPayload(r: StatusReportInput): Record<string, string> {
  const p: Record<string, string> = {
    smsMsgId: r.smsMsgId,
    total: String(r.total),
    sequence: String(r.seq),
    status: r.status,
    statusDesc: describeStatus(r.status).description,
    source: r.source,
    orgCode: r.err ?? '000',
  };
  if (r.receivedAt !== null) p.updateTime = formatHuaweiTime(r.receivedAt);
  if (r.extend !== null && r.extend !== '') {
    p.extend = r.extend;
    p.to = r.to;
  }
  return p;
}

/** Spec §8 uplink fields; `createTime` only when the app asked for it. */
export function uplinkPayload(
  mo: { smsMsgId: string; from: string; to: string; body: string; receivedAt: number },
  withCreateTime: boolean,
): Record<string, string> {
  const p: Record<string, string> = { smsMsgId: mo.smsMsgId, from: mo.from, to: mo.to, body: mo.body };
  if (withCreateTime) p.createTime = formatHuaweiTime(mo.receivedAt);
  return p;
}
