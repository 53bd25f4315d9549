/**
 * PostgreSQL fast path of `Store.claimMessages`: ONE statement claims the batch —
 *
 *   WITH c AS (SELECT … FROM queue WHERE due AND not leased ORDER BY due_at LIMIT n
 *              FOR UPDATE SKIP LOCKED),
 *        q AS (UPDATE queue … FROM c … RETURNING …),
 *        u AS (UPDATE messages SET state = 'QUEUED' … WHERE state = 'ACCEPTED')
 *   SELECT messages, app batch address, json_agg(parts) FROM q JOIN …
 *
 * — claim, state move and the read of what was claimed in one round trip. The portable
 * version's `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` leaves PostgreSQL
 * free to plan the sub-select as a join it may re-run, which can lease more than `n` rows; the
 * CTE is evaluated once. One statement is also its own transaction: no BEGIN/COMMIT round trips.
 *
 * The batch is the `limit` oldest-due rows; within it, messages come back in id (= accept) order,
 * as the portable version returns them on both engines.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { toMessage, toPart } from '../row-mappers.js';
import type { Database, MessagePartsTable, MessagesTable } from '../schema.js';
import type { ClaimedMessage } from '../store.js';

/** A part row as `json_agg` returns it (BIGINTs are JSON numbers; all far below 2^53). */
type PartJson = Selectable<MessagePartsTable>;

/** Leases up to `limit` due messages, oldest due first (see `Store.claimMessages`). */
export async function claimMessagesPg(
  db: Kysely<Database>,
  owner: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<ClaimedMessage[]> {
  if (limit <= 0) return [];
  const r = await sql<
    Selectable<MessagesTable> & { batch_report_url: string | null; parts: PartJson[] | null }
  >`
    WITH c AS (
      SELECT message_id FROM queue
       WHERE due_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
       ORDER BY due_at LIMIT ${limit}
         FOR UPDATE SKIP LOCKED),
    q AS (
      UPDATE queue SET lease_owner = ${owner}, lease_until = ${now + leaseMs}
        FROM c WHERE queue.message_id = c.message_id
      RETURNING queue.message_id),
    u AS (
      UPDATE messages SET state = 'QUEUED', updated_at = ${now}
        FROM q WHERE messages.id = q.message_id AND messages.state = 'ACCEPTED'
      RETURNING messages.id)
    SELECT m.*, a.batch_report_url,
           (SELECT json_agg(p ORDER BY p.seq) FROM message_parts AS p WHERE p.message_id = m.id) AS parts
      FROM q JOIN messages AS m ON m.id = q.message_id
      LEFT JOIN apps AS a ON a.id = m.app_id
     ORDER BY m.id`.execute(db);
  const out: ClaimedMessage[] = [];
  for (const row of r.rows) {
    const { batch_report_url, parts, ...m } = row;
    // The SELECT sees the rows as they were when the statement began: apply the CTE's move here.
    if (m.state === 'ACCEPTED') {
      m.state = 'QUEUED';
      m.updated_at = now;
    }
    out.push({
      message: toMessage(m),
      parts: (parts ?? []).map((p) => toPart(p)),
      appBatchReportUrl: batch_report_url ?? null,
    });
  }
  return out;
}
