/**
 * PostgreSQL fast path of `Store.finalizeMessages` (platform outcomes: no route, rejected submit,
 * retries exhausted, intercepted): the semantics of the portable version (message-outcomes.ts)
 * with one statement per table per batch instead of six per message.
 *
 * A message already final, or missing, is skipped; when the same message comes twice in a batch
 * only the first outcome counts (the second finds it final, as row by row).
 */
import { type Kysely, sql } from 'kysely';
import { FINAL_STATES, isFinalState, type MessageState } from '../../domain/message-state.js';
import type { MessageEvent } from '../records.js';
import type { Database } from '../schema.js';
import type { FinalOutcome } from '../store.js';
import { insertEventsPg, insertReportsPg, lockMessages, type ReportToWrite } from './postgres-rows.js';

const FINAL = [...FINAL_STATES];

/** Writes platform outcomes in one transaction (see `Store.finalizeMessages`). */
export async function finalizeMessagesPg(db: Kysely<Database>, outcomes: FinalOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const now = Date.now();
  const ids = [...new Set(outcomes.map((o) => o.messageId))].sort((a, b) => a - b);
  await db.transaction().execute(async (trx) => {
    const msgs = await lockMessages(trx, ids);
    const todo: FinalOutcome[] = [];
    const events: MessageEvent[] = [];
    const reports: ReportToWrite[] = [];
    for (const o of outcomes) {
      const msg = msgs.get(o.messageId);
      if (!msg || isFinalState(msg.state as MessageState)) continue;
      msg.state = o.state;
      todo.push(o);
      events.push(
        { messageId: o.messageId, at: now, kind: o.eventKind, seq: null, detail: o.detail },
        {
          messageId: o.messageId,
          at: now,
          kind: 'final',
          seq: null,
          detail: { state: o.state, statusCode: o.statusCode },
        },
      );
      for (let seq = 1; seq <= msg.total; seq++) {
        reports.push({
          msg,
          seq,
          status: o.statusCode,
          source: o.source,
          receivedAt: null,
          err: null,
          at: now,
        });
      }
    }
    if (todo.length === 0) return;
    todo.sort((a, b) => a.messageId - b.messageId);
    const mid = todo.map((o) => o.messageId);
    const state = todo.map((o) => o.state);
    const code = todo.map((o) => o.statusCode);
    await sql`
      UPDATE message_parts AS p SET state = v.state, status_code = v.sc
        FROM unnest(${mid}::bigint[], ${state}::text[], ${code}::text[]) AS v(mid, state, sc)
       WHERE p.message_id = v.mid AND p.state <> ALL(${FINAL}::text[])`.execute(trx);
    await sql`
      UPDATE messages AS m SET state = v.state, status_code = v.sc, updated_at = ${now}, final_at = ${now}
        FROM unnest(${mid}::bigint[], ${state}::text[], ${code}::text[]) AS v(mid, state, sc)
       WHERE m.id = v.mid`.execute(trx);
    await sql`DELETE FROM queue WHERE message_id = ANY(${mid}::bigint[])`.execute(trx);
    await insertEventsPg(trx, events);
    await insertReportsPg(trx, reports);
  });
}
