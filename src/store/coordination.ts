/**
 * Cluster coordination through the database: named leases (who holds an SMPP bind, who runs a
 * sweeper) and token buckets shared by every node. On SQLite there is one process, so these
 * always agree with themselves; the same calls work unchanged.
 */

import type { Lease } from './store.js';
import type { StoreContext } from './store-context.js';

/**
 * One upsert: insert the lease, or take it over when it expired or is already ours. The row comes
 * back only when the write happened, so "no row" means another owner holds it.
 */
export async function acquireLease(
  ctx: StoreContext,
  name: string,
  owner: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const r = await ctx.db
    .insertInto('leases')
    .values({ name, owner, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ owner, expires_at: now + ttlMs })
        .where((w) => w.or([w('leases.expires_at', '<', now), w('leases.owner', '=', owner)])),
    )
    .returning('owner')
    .executeTakeFirst();
  return r?.owner === owner;
}

export async function releaseLease(ctx: StoreContext, name: string, owner: string): Promise<void> {
  await ctx.db.deleteFrom('leases').where('name', '=', name).where('owner', '=', owner).execute();
}

export async function listLeases(ctx: StoreContext, prefix: string, now: number): Promise<Lease[]> {
  const rows = await ctx.db
    .selectFrom('leases')
    .selectAll()
    .where('name', 'like', `${prefix}%`)
    .where('expires_at', '>=', now)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, owner: r.owner, expiresAt: Number(r.expires_at) }));
}

/**
 * Token bucket with capacity = `ratePerSec`, refilled continuously. The row is created full, then
 * read and written in one transaction; PostgreSQL locks it (`FOR UPDATE`) so nodes take turns.
 */
export async function takeTokens(
  ctx: StoreContext,
  key: string,
  ratePerSec: number,
  n: number,
  now: number,
): Promise<number> {
  if (n <= 0 || ratePerSec <= 0) return 0;
  const rowLocks = ctx.adapter.capabilities.supportsRowLocks;
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('token_buckets')
      .values({ key, tokens: ratePerSec, updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await trx
      .selectFrom('token_buckets')
      .selectAll()
      .where('key', '=', key)
      .$if(rowLocks, (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const elapsed = Math.max(0, now - Number(row.updated_at));
    const available = Math.min(ratePerSec, Number(row.tokens) + (elapsed * ratePerSec) / 1000);
    const granted = Math.max(0, Math.min(n, Math.floor(available)));
    await trx
      .updateTable('token_buckets')
      .set({ tokens: available - granted, updated_at: Math.max(now, Number(row.updated_at)) })
      .where('key', '=', key)
      .execute();
    return granted;
  });
}
