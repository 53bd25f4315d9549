/**
 * Where a delivery receipt becomes a part state, a message state, an event and a status report —
 * all inside the caller's transaction. Used by `applyReceipts` and by `recordSubmits` (for
 * receipts that arrived before the submit_sm_resp was recorded).
 */
import type { Kysely } from 'kysely';
import { isFinalState, type MessageState, stateForReceiptStat } from '../domain/message-state.js';
import { type BatchUrlCache, insertEvents, insertReports, refreshMessageState } from './message-writes.js';
import type { Database } from './schema.js';
import type { ReceiptInput, ReceiptResult } from './store.js';

/** A `pending_receipts` row as the engine reads it (numbers may come back as strings). */
export interface ParkedReceiptRow {
  id: number | string;
  connector_id: string;
  carrier_msg_id: string;
  stat: string;
  err: string | null;
  received_at: number | string;
  raw: string;
}

/** Parked rows as receipts, in the order they arrived. */
export function parkedToReceipts(rows: readonly ParkedReceiptRow[]): ReceiptInput[] {
  return [...rows]
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((e) => ({
      connectorId: e.connector_id,
      carrierMsgId: e.carrier_msg_id,
      stat: e.stat,
      err: e.err,
      receivedAt: Number(e.received_at),
      raw: e.raw,
    }));
}

/** Pending (unmatched) receipts older than this are dropped by the expiry sweep: one day. */
export const PENDING_RECEIPT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Applies receipts. A receipt for a part that is already final is recorded as an event only (no
 * second report). ACCEPTD keeps the part in flight (event, no report). With `keepUnmatched`,
 * receipts that match no part go to `pending_receipts`.
 */
export async function applyReceiptsTx(
  db: Kysely<Database>,
  receipts: ReceiptInput[],
  keepUnmatched: boolean,
  cache: BatchUrlCache = new Map(),
): Promise<ReceiptResult> {
  let matched = 0;
  let pending = 0;
  for (const r of receipts) {
    const candidates = await db
      .selectFrom('message_parts')
      .selectAll()
      .where('connector_id', '=', r.connectorId)
      .where('carrier_msg_id', '=', r.carrierMsgId)
      .execute();
    // A carrier may reuse ids over time: prefer the part still waiting for its receipt.
    const part = candidates.find((p) => !isFinalState(p.state as MessageState)) ?? candidates[0];
    if (!part) {
      if (keepUnmatched) {
        await db
          .insertInto('pending_receipts')
          .values({
            connector_id: r.connectorId,
            carrier_msg_id: r.carrierMsgId,
            stat: r.stat,
            err: r.err,
            received_at: r.receivedAt,
            raw: r.raw,
          })
          .execute();
      }
      pending++;
      continue;
    }
    matched++;
    const messageId = Number(part.message_id);
    const wasFinal = isFinalState(part.state as MessageState);
    const next = stateForReceiptStat(r.stat);
    await insertEvents(db, [
      {
        messageId,
        at: r.receivedAt,
        kind: 'receipt',
        seq: part.seq,
        detail: { stat: r.stat, err: r.err, raw: r.raw, carrierMsgId: r.carrierMsgId, duplicate: wasFinal },
      },
    ]);
    if (wasFinal) continue;
    await db
      .updateTable('message_parts')
      .set({ state: next, status_code: r.stat, error_code: r.err, receipt_at: r.receivedAt })
      .where('message_id', '=', part.message_id)
      .where('seq', '=', part.seq)
      .execute();
    if (!isFinalState(next)) continue;
    const agg = await refreshMessageState(db, messageId, r.receivedAt);
    const msg = await db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    await insertReports(
      db,
      msg,
      [{ seq: part.seq, status: r.stat, source: '2', receivedAt: r.receivedAt, err: r.err }],
      r.receivedAt,
      cache,
    );
    if (agg?.becameFinal) {
      await insertEvents(db, [
        { messageId, at: r.receivedAt, kind: 'final', seq: null, detail: { state: agg.state } },
      ]);
    }
  }
  return { matched, pending };
}

/**
 * Applies (and removes) up to `limit` parked receipts whose part exists now, in one transaction.
 * On SQLite `recordSubmits` already matches parked receipts inside its own transaction; this is
 * the safety net the expiry sweep runs on every engine (see postgres-pending.ts for the case it
 * exists for: a node that died between committing a submit and matching the receipts parked for it).
 */
export function matchParkedReceiptsTx(db: Kysely<Database>, since: number, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('pending_receipts as r')
      .selectAll('r')
      .where('r.received_at', '>=', since)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('message_parts as p')
            .select('p.seq')
            .whereRef('p.connector_id', '=', 'r.connector_id')
            .whereRef('p.carrier_msg_id', '=', 'r.carrier_msg_id'),
        ),
      )
      .orderBy('r.id')
      .limit(limit)
      .execute();
    if (rows.length === 0) return 0;
    await trx
      .deleteFrom('pending_receipts')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    await applyReceiptsTx(trx, parkedToReceipts(rows), false);
    return rows.length;
  });
}
