/**
 * The SQLite hot path of the webhook worker's two store calls, `claimOutbox` and
 * `completeOutbox`: prepared better-sqlite3 statements instead of Kysely building and compiling
 * the same queries for every batch (at thousands of pushes a second the worker claims and
 * completes several batches per second, two rows per completed push).
 *
 * Semantics are those of `outbox-repo.ts` (which PostgreSQL keeps using):
 * - claim: rows `pending` and due, or `leased` with an expired lease (a worker that died), oldest
 *   due first, leased to `owner` until `now + leaseMs`. The two cases are separate statements so
 *   each walks the (state, due_at) index in order instead of one OR over the whole table (which
 *   grows with every delivered push).
 * - complete: one `push_attempts` row per attempt and the row's new state, in one transaction.
 * Like the other SQLite fast paths, it must run while holding Kysely's connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { OutboxRecord, PushAttempt } from '../records.js';
import { toOutbox } from '../row-mappers.js';

/** One push outcome, as `Store.completeOutbox` takes it. */
export interface OutboxCompletion {
  id: number;
  attempt: PushAttempt;
  outcome: 'delivered' | 'retry' | 'dead';
  nextDueAt?: number;
}

export interface OutboxWriter {
  claim(owner: string, limit: number, leaseMs: number, now: number): OutboxRecord[];
  complete(results: OutboxCompletion[]): void;
}

export function createOutboxWriter(db: BetterSqlite3.Database): OutboxWriter {
  const claimPending = db.prepare(
    `UPDATE outbox SET state = 'leased', lease_owner = ?, lease_until = ?
      WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?)
      RETURNING *`,
  );
  const claimExpired = db.prepare(
    `UPDATE outbox SET state = 'leased', lease_owner = ?, lease_until = ?
      WHERE id IN (SELECT id FROM outbox WHERE state = 'leased' AND lease_until < ? ORDER BY due_at LIMIT ?)
      RETURNING *`,
  );
  const earliestLease = db.prepare("SELECT MIN(lease_until) FROM outbox WHERE state = 'leased'").pluck();
  const insAttempt = db.prepare(
    'INSERT INTO push_attempts (outbox_id, at, http_status, latency_ms, error) VALUES (?, ?, ?, ?, ?)',
  );
  const finish = db.prepare(
    `UPDATE outbox SET state = ?, attempts = attempts + 1, last_attempt_at = ?, last_http_status = ?,
       last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?`,
  );
  const retry = db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_attempt_at = ?, last_http_status = ?,
       last_error = ?, lease_owner = NULL, lease_until = NULL, due_at = ? WHERE id = ?`,
  );

  // Finding expired leases means visiting every leased row (up to the worker's in-flight cap):
  // too much for every claim when claims run many times a second. So the writer remembers the
  // earliest moment a lease can run out — the smallest lease_until seen by the last scan, lowered
  // by every lease given since — and scans only once that moment has come. Nothing else in this
  // process leases outbox rows (SQLite has one writing process), so no expiry is missed.
  let nextExpiry = Number.NEGATIVE_INFINITY;
  const claimTx = db.transaction((owner: string, limit: number, leaseMs: number, now: number) => {
    let rows: Parameters<typeof toOutbox>[0][] = [];
    if (now > nextExpiry) {
      rows = claimExpired.all(owner, now + leaseMs, now, limit) as typeof rows;
      const min = earliestLease.get() as number | null;
      nextExpiry = min === null ? Number.POSITIVE_INFINITY : Number(min);
    }
    if (rows.length < limit) {
      const fresh = claimPending.all(owner, now + leaseMs, now, limit - rows.length) as typeof rows;
      if (fresh.length > 0) nextExpiry = Math.min(nextExpiry, now + leaseMs);
      rows.push(...fresh);
    }
    return rows;
  });

  const completeTx = db.transaction((results: OutboxCompletion[]) => {
    for (const r of results) {
      const a = r.attempt;
      insAttempt.run(r.id, a.at, a.httpStatus, Math.round(a.latencyMs), a.error);
      if (r.outcome === 'retry') retry.run(a.at, a.httpStatus, a.error, r.nextDueAt ?? a.at, r.id);
      else finish.run(r.outcome, a.at, a.httpStatus, a.error, r.id);
    }
  });

  return {
    claim(owner, limit, leaseMs, now) {
      if (limit <= 0) return [];
      const rows = claimTx.immediate(owner, limit, leaseMs, now);
      return rows.map(toOutbox).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
    },
    complete(results) {
      if (results.length > 0) completeTx.immediate(results);
    },
  };
}
