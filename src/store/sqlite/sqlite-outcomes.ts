/**
 * The SQLite hot path of the delivery engine's two busiest writes, `recordSubmits` and
 * `applyReceipts`: prepared better-sqlite3 statements in one IMMEDIATE transaction per call.
 *
 * Why: both run once per message (several rows each: part, message, queue, events, outbox), and
 * the end-to-end benchmark (bench/e2e.ts) showed Kysely's per-query building and compiling as the
 * largest CPU cost of the server once receipts flow. The semantics are exactly those of the
 * dialect-neutral versions (`message-outcomes.ts`, `receipt-apply.ts`, `message-writes.ts`),
 * which PostgreSQL keeps using; `test/store/message-flow.test.ts` runs against both.
 * Like the accept writer, it must run while holding Kysely's connection.
 */

import type BetterSqlite3 from 'better-sqlite3';
import {
  aggregateMessageState,
  FINAL_STATES,
  isFinalState,
  type MessageState,
  stateForReceiptStat,
} from '../../domain/message-state.js';
import { submitEvents } from '../message-outcomes.js';
import { type ParkedReceiptRow, parkedToReceipts } from '../receipt-apply.js';
import type { MessageEvent } from '../records.js';
import { reportDestination, statusReportPayload } from '../report-rows.js';
import type { ReceiptInput, ReceiptResult, SubmitOutcome } from '../store.js';

export interface OutcomeWriter {
  recordSubmits(outcomes: SubmitOutcome[]): void;
  applyReceipts(receipts: ReceiptInput[]): ReceiptResult;
}

interface MessageRow {
  id: number;
  app_id: string;
  sms_msg_id: string;
  total: number;
  to_number: string;
  extend: string | null;
  status_callback: string | null;
  state: string;
}

interface PartRow {
  message_id: number;
  seq: number;
  state: string;
}

const FINAL_LIST = [...FINAL_STATES].map((s) => `'${s}'`).join(',');

export function createOutcomeWriter(db: BetterSqlite3.Database): OutcomeWriter {
  const submitPart = db.prepare(
    `UPDATE message_parts SET state = 'SUBMITTED', carrier_msg_id = ?, connector_id = ?, submitted_at = ?
      WHERE message_id = ? AND seq = ? AND state NOT IN (${FINAL_LIST})`,
  );
  const submitMessage = db.prepare(
    `UPDATE messages SET state = 'SUBMITTED', connector_id = ?, updated_at = ?
      WHERE id = ? AND state NOT IN (${FINAL_LIST})`,
  );
  const deleteQueue = db.prepare('DELETE FROM queue WHERE message_id = ?');
  const insEvent = db.prepare(
    'INSERT INTO events (message_id, at, kind, seq, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const anyPending = db.prepare('SELECT 1 FROM pending_receipts LIMIT 1').pluck();
  const pendingFor = db.prepare(
    'SELECT * FROM pending_receipts WHERE connector_id = ? AND carrier_msg_id = ? ORDER BY id',
  );
  const deletePending = db.prepare('DELETE FROM pending_receipts WHERE id = ?');
  const insPending = db.prepare(
    `INSERT INTO pending_receipts (connector_id, carrier_msg_id, stat, err, received_at, raw)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const partsByCarrierId = db.prepare(
    'SELECT message_id, seq, state FROM message_parts WHERE connector_id = ? AND carrier_msg_id = ?',
  );
  const receiptPart = db.prepare(
    'UPDATE message_parts SET state = ?, status_code = ?, error_code = ?, receipt_at = ? WHERE message_id = ? AND seq = ?',
  );
  const messageById = db.prepare(
    `SELECT id, app_id, sms_msg_id, total, to_number, extend, status_callback, state
       FROM messages WHERE id = ?`,
  );
  const partStates = db.prepare(
    'SELECT seq, state, status_code FROM message_parts WHERE message_id = ? ORDER BY seq',
  );
  const setMessageState = db.prepare('UPDATE messages SET state = ?, updated_at = ? WHERE id = ?');
  const setMessageFinal = db.prepare(
    'UPDATE messages SET state = ?, updated_at = ?, status_code = ?, final_at = ? WHERE id = ?',
  );
  const batchUrl = db.prepare('SELECT batch_report_url FROM apps WHERE id = ?').pluck();
  const insOutbox = db.prepare(
    `INSERT INTO outbox (kind, app_id, message_id, mo_id, url, payload, state, attempts, due_at, created_at,
       last_attempt_at, last_http_status, last_error, lease_owner, lease_until)
     VALUES (?, ?, ?, NULL, ?, ?, 'pending', 0, ?, ?, NULL, NULL, NULL, NULL, NULL)`,
  );

  /** refreshMessageState of message-writes.ts, on a message row already read. */
  type PartState = { seq: number; state: string; status_code: string | null };
  /**
   * `known`: the parts' states when the caller already has them — a one-part message whose part
   * was just updated (most messages), saving a read per receipt.
   */
  const refresh = (
    msg: MessageRow,
    now: number,
    known?: PartState[],
  ): { state: MessageState; becameFinal: boolean } => {
    const current = msg.state as MessageState;
    if (isFinalState(current)) return { state: current, becameFinal: false };
    const parts = known ?? (partStates.all(msg.id) as PartState[]);
    const next = aggregateMessageState(parts.map((p) => p.state as MessageState));
    if (next === current) return { state: current, becameFinal: false };
    const final = isFinalState(next);
    if (final) {
      const decider = parts.find((p) => p.state === next);
      setMessageFinal.run(next, now, decider?.status_code ?? null, now, msg.id);
    } else setMessageState.run(next, now, msg.id);
    return { state: next, becameFinal: final };
  };

  const apply = (
    receipts: ReceiptInput[],
    keepUnmatched: boolean,
    cache: Map<string, string | null>,
  ): ReceiptResult => {
    let matched = 0;
    let pending = 0;
    for (const r of receipts) {
      const candidates = partsByCarrierId.all(r.connectorId, r.carrierMsgId) as PartRow[];
      // A carrier may reuse ids over time: prefer the part still waiting for its receipt.
      const part = candidates.find((p) => !isFinalState(p.state as MessageState)) ?? candidates[0];
      if (!part) {
        if (keepUnmatched) insPending.run(r.connectorId, r.carrierMsgId, r.stat, r.err, r.receivedAt, r.raw);
        pending++;
        continue;
      }
      matched++;
      const messageId = Number(part.message_id);
      const wasFinal = isFinalState(part.state as MessageState);
      const next = stateForReceiptStat(r.stat);
      insEvent.run(
        messageId,
        r.receivedAt,
        'receipt',
        part.seq,
        JSON.stringify({
          stat: r.stat,
          err: r.err,
          raw: r.raw,
          carrierMsgId: r.carrierMsgId,
          duplicate: wasFinal,
        }),
      );
      if (wasFinal) continue;
      receiptPart.run(next, r.stat, r.err, r.receivedAt, part.message_id, part.seq);
      if (!isFinalState(next)) continue;
      const msg = messageById.get(messageId) as MessageRow | undefined;
      if (!msg) continue;
      const agg = refresh(
        msg,
        r.receivedAt,
        msg.total === 1 && part.seq === 1 ? [{ seq: 1, state: next, status_code: r.stat }] : undefined,
      );
      if (!cache.has(msg.app_id))
        cache.set(msg.app_id, (batchUrl.get(msg.app_id) as string | null | undefined) ?? null);
      const dest = reportDestination(msg.status_callback, cache.get(msg.app_id) ?? null);
      if (dest) {
        const payload = statusReportPayload({
          smsMsgId: msg.sms_msg_id,
          total: msg.total,
          seq: part.seq,
          to: msg.to_number,
          extend: msg.extend,
          status: r.stat,
          source: '2',
          receivedAt: r.receivedAt,
          err: r.err,
        });
        insOutbox.run(
          dest.kind,
          msg.app_id,
          msg.id,
          dest.url,
          JSON.stringify(payload),
          r.receivedAt,
          r.receivedAt,
        );
      }
      if (agg.becameFinal)
        insEvent.run(messageId, r.receivedAt, 'final', null, JSON.stringify({ state: agg.state }));
    }
    return { matched, pending };
  };

  const recordTx = db.transaction((outcomes: SubmitOutcome[]) => {
    const events: MessageEvent[] = [];
    for (const o of outcomes) {
      let last = 0;
      events.push(...submitEvents(o));
      for (const p of o.parts) {
        submitPart.run(p.carrierMsgId, o.connectorId, p.submittedAt, o.messageId, p.seq);
        last = Math.max(last, p.submittedAt);
      }
      submitMessage.run(o.connectorId, last, o.messageId);
      deleteQueue.run(o.messageId);
    }
    for (const e of events) insEvent.run(e.messageId, e.at, e.kind, e.seq, JSON.stringify(e.detail));

    // Receipts that beat their submit_sm_resp: match them now, as applyReceipts would have.
    if (anyPending.get() === undefined) return;
    const cache = new Map<string, string | null>();
    for (const o of outcomes) {
      const early: ParkedReceiptRow[] = [];
      for (const carrierMsgId of new Set(o.parts.map((p) => p.carrierMsgId)))
        early.push(...(pendingFor.all(o.connectorId, carrierMsgId) as typeof early));
      if (early.length === 0) continue;
      apply(parkedToReceipts(early), false, cache);
      for (const e of early) deletePending.run(e.id);
    }
  });
  const applyTx = db.transaction((receipts: ReceiptInput[]) => apply(receipts, true, new Map()));

  return {
    recordSubmits: (outcomes) => recordTx.immediate(outcomes),
    applyReceipts: (receipts) => applyTx.immediate(receipts),
  };
}
