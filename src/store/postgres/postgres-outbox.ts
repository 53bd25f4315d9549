/**
 * PostgreSQL fast paths of the outbox claim and completion (the portable versions are in
 * outbox-repo.ts): each is ONE statement, so it is its own transaction.
 *
 * - `claimOutboxPg`: `WITH c AS (SELECT id … ORDER BY due_at LIMIT n FOR UPDATE SKIP LOCKED)
 *   UPDATE outbox … FROM c`, evaluated once (no over-claim), no BEGIN/COMMIT.
 * - `completeOutboxPg`: the attempts are inserted and the rows updated by one statement with a
 *   data-modifying CTE, instead of two statements per push.
 */

import type { Selectable } from 'kysely';
import { type Kysely, sql } from 'kysely';
import type { OutboxRecord, PushAttempt } from '../records.js';
import { toOutbox } from '../row-mappers.js';
import type { Database, OutboxTable } from '../schema.js';

/** Leases up to `limit` due pushes, oldest due first (see `Store.claimOutbox`). */
export async function claimOutboxPg(
  db: Kysely<Database>,
  owner: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<OutboxRecord[]> {
  if (limit <= 0) return [];
  const r = await sql<Selectable<OutboxTable>>`
    WITH c AS (
      SELECT id FROM outbox
       WHERE (state = 'pending' AND due_at <= ${now}) OR (state = 'leased' AND lease_until < ${now})
       ORDER BY due_at LIMIT ${limit}
         FOR UPDATE SKIP LOCKED)
    UPDATE outbox AS o SET state = 'leased', lease_owner = ${owner}, lease_until = ${now + leaseMs}
      FROM c WHERE o.id = c.id
    RETURNING o.*`.execute(db);
  return r.rows.map(toOutbox).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
}

/** One push result, as `Store.completeOutbox` takes it. */
export interface OutboxResult {
  id: number;
  attempt: PushAttempt;
  outcome: 'delivered' | 'retry' | 'dead';
  nextDueAt?: number;
}

/**
 * Records each attempt and moves each row to delivered / pending at `nextDueAt` / dead (see
 * `Store.completeOutbox`). A row named twice in one call gets both attempts, applied in order
 * (one statement per repetition), as row by row.
 */
export async function completeOutboxPg(db: Kysely<Database>, results: OutboxResult[]): Promise<void> {
  if (results.length === 0) return;
  // Rounds of distinct ids: an UPDATE … FROM changes each row at most once per statement.
  const rounds: OutboxResult[][] = [];
  const seen = new Map<number, number>();
  for (const r of results) {
    const n = seen.get(r.id) ?? 0;
    seen.set(r.id, n + 1);
    if (!rounds[n]) rounds[n] = [];
    rounds[n].push(r);
  }
  const run = (trx: Kysely<Database>) =>
    (async () => {
      for (const round of rounds) await completeRound(trx, round);
    })();
  if (rounds.length === 1) await run(db);
  else await db.transaction().execute(run);
}

async function completeRound(db: Kysely<Database>, rs: OutboxResult[]): Promise<void> {
  const list = [...rs].sort((a, b) => a.id - b.id);
  const id = list.map((r) => r.id);
  const at = list.map((r) => r.attempt.at);
  const status = list.map((r) => r.attempt.httpStatus);
  const error = list.map((r) => r.attempt.error);
  await sql`
    WITH a AS (
      INSERT INTO push_attempts (outbox_id, at, http_status, latency_ms, error)
      SELECT * FROM unnest(${id}::bigint[], ${at}::bigint[], ${status}::int[],
                           ${list.map((r) => Math.round(r.attempt.latencyMs))}::int[], ${error}::text[]))
    UPDATE outbox AS o
       SET state = v.state, attempts = o.attempts + 1, last_attempt_at = v.at, last_http_status = v.hs,
           last_error = v.err, lease_owner = NULL, lease_until = NULL,
           due_at = CASE WHEN v.retry THEN v.due ELSE o.due_at END
      FROM unnest(${id}::bigint[], ${list.map((r) => (r.outcome === 'retry' ? 'pending' : r.outcome))}::text[],
                  ${at}::bigint[], ${status}::int[], ${error}::text[],
                  ${list.map((r) => r.outcome === 'retry')}::boolean[],
                  ${list.map((r) => r.nextDueAt ?? r.attempt.at)}::bigint[]) AS v(id, state, at, hs, err, retry, due)
     WHERE o.id = v.id`.execute(db);
}
