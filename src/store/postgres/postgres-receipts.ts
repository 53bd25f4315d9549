/**
 * PostgreSQL fast path of `Store.applyReceipts` (and of the early-receipt step of
 * `recordSubmits`): the semantics of `applyReceiptsTx` (receipt-apply.ts), computed in memory
 * over rows read in two statements, written with one statement per table.
 *
 * Per batch: lock the messages whose parts match any receipt (ascending id), read all their parts,
 * then walk the receipts IN ORDER in memory — a later receipt for the same part (ACCEPTD, then
 * DELIVRD; or a duplicate of a final one) sees what the earlier one did, exactly as the row-by-row
 * version — and finally write parts, messages, events, outbox rows and unmatched receipts. The
 * row-by-row version did ~7 statements per receipt; this does at most 7 per batch.
 */
import { type Kysely, sql } from 'kysely';
import { isFinalState, type MessageState, stateForReceiptStat } from '../../domain/message-state.js';
import type { MessageEvent } from '../records.js';
import type { Database } from '../schema.js';
import type { ReceiptInput, ReceiptResult } from '../store.js';
import { drainPendingPg } from './postgres-pending.js';
import {
  insertEventsPg,
  insertReportsPg,
  type LockedMessage,
  lockMessagesWhere,
  type MessageChange,
  type PartRow,
  partsOf,
  type ReportToWrite,
  refreshInMemory,
  updateMessages,
} from './postgres-rows.js';

const key = (connectorId: string, carrierMsgId: string) => `${connectorId}\u0000${carrierMsgId}`;

/**
 * Applies receipts in one transaction (see `Store.applyReceipts`). Receipts it had to park in
 * `pending_receipts` are looked for again after the commit (postgres-pending.ts): their submit
 * may have committed meanwhile.
 */
export async function applyReceiptsPg(
  db: Kysely<Database>,
  receipts: ReceiptInput[],
): Promise<ReceiptResult> {
  const parked: ReceiptInput[] = [];
  const res = await db.transaction().execute((trx) => applyReceiptsPgTx(trx, receipts, true, parked));
  if (parked.length > 0) {
    await drainPendingPg(
      db,
      parked.map((r) => r.connectorId),
      parked.map((r) => r.carrierMsgId),
    );
  }
  return res;
}

/**
 * Applies receipts inside the caller's transaction. With `keepUnmatched`, receipts that match no
 * part go to `pending_receipts` (and are added to `parked`).
 */
export async function applyReceiptsPgTx(
  db: Kysely<Database>,
  receipts: ReceiptInput[],
  keepUnmatched: boolean,
  parked: ReceiptInput[] = [],
): Promise<ReceiptResult> {
  if (receipts.length === 0) return { matched: 0, pending: 0 };
  const conns: string[] = [];
  const cids: string[] = [];
  const seen = new Set<string>();
  for (const r of receipts) {
    const k = key(r.connectorId, r.carrierMsgId);
    if (seen.has(k)) continue;
    seen.add(k);
    conns.push(r.connectorId);
    cids.push(r.carrierMsgId);
  }
  const msgs = await lockMessagesWhere(
    db,
    // ANY(ARRAY(…)) keeps the plan an index lookup per id whatever the batch size (see expire).
    sql`m.id = ANY(ARRAY(SELECT p.message_id FROM message_parts AS p
                           JOIN unnest(${conns}::text[], ${cids}::text[]) AS v(conn, cid)
                             ON p.connector_id = v.conn AND p.carrier_msg_id = v.cid))`,
  );
  const parts = await partsOf(db, [...msgs.keys()]);

  // Candidates per (connector, carrier id), read after the lock, in (message, seq) order.
  const byCarrier = new Map<string, PartRow[]>();
  for (const list of parts.values()) {
    for (const p of list) {
      if (p.connector_id === null || p.carrier_msg_id === null) continue;
      const k = key(p.connector_id, p.carrier_msg_id);
      if (!seen.has(k)) continue;
      const c = byCarrier.get(k) ?? [];
      c.push(p);
      byCarrier.set(k, c);
    }
  }

  let matched = 0;
  let pending = 0;
  const unmatched: ReceiptInput[] = [];
  const events: MessageEvent[] = [];
  const partWrites = new Map<string, { mid: number; seq: number; r: ReceiptInput; state: string }>();
  const changes = new Map<number, MessageChange>();
  const reports: ReportToWrite[] = [];
  for (const r of receipts) {
    const candidates = byCarrier.get(key(r.connectorId, r.carrierMsgId)) ?? [];
    // A carrier may reuse ids over time: prefer the part still waiting for its receipt.
    const part = candidates.find((p) => !isFinalState(p.state as MessageState)) ?? candidates[0];
    if (!part) {
      if (keepUnmatched) unmatched.push(r);
      pending++;
      continue;
    }
    matched++;
    const messageId = Number(part.message_id);
    const wasFinal = isFinalState(part.state as MessageState);
    const next = stateForReceiptStat(r.stat);
    events.push({
      messageId,
      at: r.receivedAt,
      kind: 'receipt',
      seq: part.seq,
      detail: { stat: r.stat, err: r.err, raw: r.raw, carrierMsgId: r.carrierMsgId, duplicate: wasFinal },
    });
    if (wasFinal) continue;
    part.state = next;
    part.status_code = r.stat;
    partWrites.set(`${messageId}:${part.seq}`, { mid: messageId, seq: part.seq, r, state: next });
    if (!isFinalState(next)) continue;
    const msg = msgs.get(messageId) as LockedMessage | undefined;
    if (!msg) continue;
    const agg = refreshInMemory(msg, parts.get(messageId) ?? [], r.receivedAt, changes);
    reports.push({
      msg,
      seq: part.seq,
      status: r.stat,
      source: '2',
      receivedAt: r.receivedAt,
      err: r.err,
      at: r.receivedAt,
    });
    if (agg.becameFinal) {
      events.push({ messageId, at: r.receivedAt, kind: 'final', seq: null, detail: { state: agg.state } });
    }
  }

  const pw = [...partWrites.values()].sort((a, b) => a.mid - b.mid || a.seq - b.seq);
  if (pw.length > 0) {
    await sql`
      UPDATE message_parts AS p
         SET state = v.state, status_code = v.stat, error_code = v.err, receipt_at = v.at
        FROM unnest(${pw.map((w) => w.mid)}::bigint[], ${pw.map((w) => w.seq)}::int[],
                    ${pw.map((w) => w.state)}::text[], ${pw.map((w) => w.r.stat)}::text[],
                    ${pw.map((w) => w.r.err)}::text[], ${pw.map((w) => w.r.receivedAt)}::bigint[])
             AS v(mid, seq, state, stat, err, at)
       WHERE p.message_id = v.mid AND p.seq = v.seq`.execute(db);
  }
  await updateMessages(db, changes.values());
  await insertEventsPg(db, events);
  await insertReportsPg(db, reports);
  if (unmatched.length > 0) {
    parked.push(...unmatched);
    await sql`
      INSERT INTO pending_receipts (connector_id, carrier_msg_id, stat, err, received_at, raw)
      SELECT * FROM unnest(${unmatched.map((r) => r.connectorId)}::text[],
                           ${unmatched.map((r) => r.carrierMsgId)}::text[], ${unmatched.map((r) => r.stat)}::text[],
                           ${unmatched.map((r) => r.err)}::text[], ${unmatched.map((r) => r.receivedAt)}::bigint[],
                           ${unmatched.map((r) => r.raw)}::text[])`.execute(db);
  }
  return { matched, pending };
}
