/**
 * PostgreSQL fast path of `Store.expireParts`: SUBMITTED parts older than the cutoff become
 * EXPIRED (`source` 1, no `updateTime`), with their events, reports and message aggregation — the
 * semantics of the portable version (message-outcomes.ts) in a fixed number of statements.
 *
 * Messages are locked first (`FOR UPDATE SKIP LOCKED`, ascending id) and their parts second, the
 * same order as receipts and platform outcomes, so a sweep on one node and a receipt batch on
 * another never deadlock; a message another node is busy with is left for the next sweep.
 */
import { type Kysely, sql } from 'kysely';
import { PENDING_RECEIPT_TTL_MS } from '../receipt-apply.js';
import type { MessageEvent } from '../records.js';
import type { Database } from '../schema.js';
import {
  insertEventsPg,
  insertReportsPg,
  lockMessagesWhere,
  type MessageChange,
  partsOf,
  type ReportToWrite,
  refreshInMemory,
  updateMessages,
} from './postgres-rows.js';

/** Expires up to `limit` parts in one transaction; returns how many (see `Store.expireParts`). */
export function expirePartsPg(
  db: Kysely<Database>,
  submittedBefore: number,
  now: number,
  limit: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const msgs = await lockMessagesWhere(
      trx,
      // ANY(ARRAY(…)): the ids are computed first and looked up by primary key; an IN (…)
      // semi-join was planned as a sequential scan of messages (EXPLAIN ANALYZE, 100k rows).
      sql`m.id = ANY(ARRAY(SELECT message_id FROM message_parts
                             WHERE state = 'SUBMITTED' AND submitted_at < ${submittedBefore}
                             ORDER BY submitted_at LIMIT ${limit}))`,
      true,
    );
    let expired = 0;
    if (msgs.size > 0) {
      const due = await sql<{ message_id: number; seq: number; submitted_at: number }>`
        WITH d AS (
          SELECT message_id, seq FROM message_parts
           WHERE message_id = ANY(${[...msgs.keys()]}::bigint[])
             AND state = 'SUBMITTED' AND submitted_at < ${submittedBefore}
           ORDER BY submitted_at LIMIT ${limit}
             FOR UPDATE)
        UPDATE message_parts AS p SET state = 'EXPIRED', status_code = 'EXPIRED'
          FROM d WHERE p.message_id = d.message_id AND p.seq = d.seq
        RETURNING p.message_id, p.seq, p.submitted_at`.execute(trx);
      const rows = due.rows
        .map((r) => ({ mid: Number(r.message_id), seq: r.seq, at: Number(r.submitted_at) }))
        .sort((a, b) => a.at - b.at || a.mid - b.mid || a.seq - b.seq);
      expired = rows.length;
      const touched = [...new Set(rows.map((r) => r.mid))];
      const parts = await partsOf(trx, touched);
      const events: MessageEvent[] = [];
      const reports: ReportToWrite[] = [];
      for (const r of rows) {
        events.push({ messageId: r.mid, at: now, kind: 'expired', seq: r.seq, detail: { submittedBefore } });
        const msg = msgs.get(r.mid);
        if (msg) {
          reports.push({
            msg,
            seq: r.seq,
            status: 'EXPIRED',
            source: '1',
            receivedAt: null,
            err: null,
            at: now,
          });
        }
      }
      const changes = new Map<number, MessageChange>();
      for (const id of touched) {
        const msg = msgs.get(id);
        if (!msg) continue;
        const agg = refreshInMemory(msg, parts.get(id) ?? [], now, changes);
        if (agg.becameFinal) {
          events.push({ messageId: id, at: now, kind: 'final', seq: null, detail: { state: agg.state } });
        }
      }
      await updateMessages(trx, changes.values());
      await insertEventsPg(trx, events);
      await insertReportsPg(trx, reports);
    }
    // Receipts that never found their submit are kept one day, then dropped.
    await sql`DELETE FROM pending_receipts WHERE received_at < ${now - PENDING_RECEIPT_TTL_MS}`.execute(trx);
    return expired;
  });
}
