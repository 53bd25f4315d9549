/**
 * PostgreSQL fast path of `Store.claimMessages`: ONE statement claims the batch —
 *
 *   WITH c AS (SELECT … FROM queue WHERE due AND not leased ORDER BY due_at LIMIT n
 *              FOR UPDATE SKIP LOCKED),
 *        q AS (UPDATE queue … FROM c … RETURNING …),
 *        m AS (UPDATE messages SET state = 'QUEUED' … WHERE state = 'ACCEPTED')
 *   SELECT … FROM q
 *
 * — then the claimed messages and their parts are read (two queries in parallel). The portable
 * version's `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` leaves PostgreSQL
 * free to plan the sub-select as a join it may re-run, which can lease more than `n` rows; the
 * CTE is evaluated once. One statement is also its own transaction: no BEGIN/COMMIT round trips.
 *
 * The batch is the `limit` oldest-due rows; within it, messages come back in id (= accept) order,
 * as the portable version returns them on both engines.
 */
import { type Kysely, sql } from 'kysely';
import { toMessage, toPart } from '../row-mappers.js';
import type { Database } from '../schema.js';
import type { ClaimedMessage } from '../store.js';

/** Leases up to `limit` due messages, oldest due first (see `Store.claimMessages`). */
export async function claimMessagesPg(
  db: Kysely<Database>,
  owner: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<ClaimedMessage[]> {
  if (limit <= 0) return [];
  const claimed = await sql<{ message_id: number }>`
    WITH c AS (
      SELECT message_id FROM queue
       WHERE due_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
       ORDER BY due_at LIMIT ${limit}
         FOR UPDATE SKIP LOCKED),
    q AS (
      UPDATE queue SET lease_owner = ${owner}, lease_until = ${now + leaseMs}
        FROM c WHERE queue.message_id = c.message_id
      RETURNING queue.message_id),
    m AS (
      UPDATE messages SET state = 'QUEUED', updated_at = ${now}
        FROM q WHERE messages.id = q.message_id AND messages.state = 'ACCEPTED'
      RETURNING messages.id)
    SELECT message_id FROM q ORDER BY message_id`.execute(db);
  const ids = claimed.rows.map((r) => Number(r.message_id));
  if (ids.length === 0) return [];
  const [msgs, parts] = await Promise.all([
    db
      .selectFrom('messages')
      .leftJoin('apps', 'apps.id', 'messages.app_id')
      .selectAll('messages')
      .select('apps.batch_report_url')
      .where('messages.id', '=', sql<number>`ANY(${ids}::bigint[])`)
      .execute(),
    db
      .selectFrom('message_parts')
      .selectAll()
      .where('message_id', '=', sql<number>`ANY(${ids}::bigint[])`)
      .orderBy('message_id')
      .orderBy('seq')
      .execute(),
  ]);
  const partsBy = new Map<number, ReturnType<typeof toPart>[]>();
  for (const p of parts) {
    const id = Number(p.message_id);
    const list = partsBy.get(id) ?? [];
    list.push(toPart(p));
    partsBy.set(id, list);
  }
  const byId = new Map(msgs.map((m) => [Number(m.id), m]));
  const out: ClaimedMessage[] = [];
  for (const id of ids) {
    const m = byId.get(id);
    if (!m) continue;
    out.push({ message: toMessage(m), parts: partsBy.get(id) ?? [], appBatchReportUrl: m.batch_report_url ?? null });
  }
  return out;
}
