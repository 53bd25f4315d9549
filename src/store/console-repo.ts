/**
 * The console's state: users, sign-in failures (lock-out) and signed-out sessions. In the
 * database so that every node of a cluster agrees on them.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ConsoleUserRecord } from './records.js';
import type { ConsoleUsersTable, Database } from './schema.js';
import type { StoreContext } from './store-context.js';

const toUser = (r: Selectable<ConsoleUsersTable>): ConsoleUserRecord => ({
  username: r.username,
  role: r.role === 'admin' ? 'admin' : 'viewer',
  hash: r.hash,
  ver: Number(r.ver),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function listConsoleUsers(ctx: StoreContext): Promise<ConsoleUserRecord[]> {
  const rows = await ctx.db.selectFrom('console_users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function getConsoleUser(
  ctx: StoreContext,
  username: string,
): Promise<ConsoleUserRecord | undefined> {
  const r = await ctx.db
    .selectFrom('console_users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function insertConsoleUser(ctx: StoreContext, u: ConsoleUserRecord): Promise<boolean> {
  const r = await ctx.db
    .insertInto('console_users')
    .values({
      username: u.username,
      role: u.role,
      hash: u.hash,
      ver: u.ver,
      created_at: u.createdAt,
      updated_at: u.updatedAt,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Admins other than `username`, read with their rows locked where the engine can. */
async function otherAdmins(ctx: StoreContext, trx: Kysely<Database>, username: string): Promise<number> {
  const rows = await trx
    .selectFrom('console_users')
    .select('username')
    .where('role', '=', 'admin')
    .where('username', '<>', username)
    .$if(ctx.adapter.capabilities.supportsRowLocks, (q) => q.forUpdate())
    .execute();
  return rows.length;
}

export function updateConsoleUser(
  ctx: StoreContext,
  next: ConsoleUserRecord,
  expectedVer: number,
): Promise<'ok' | 'changed' | 'last-admin'> {
  return ctx.db.transaction().execute(async (trx) => {
    if (next.role !== 'admin' && (await otherAdmins(ctx, trx, next.username)) === 0) {
      const cur = await trx
        .selectFrom('console_users')
        .select('role')
        .where('username', '=', next.username)
        .executeTakeFirst();
      if (cur?.role === 'admin') return 'last-admin';
    }
    const r = await trx
      .updateTable('console_users')
      .set({ role: next.role, hash: next.hash, ver: next.ver, updated_at: next.updatedAt })
      .where('username', '=', next.username)
      .where('ver', '=', expectedVer)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? 'ok' : 'changed';
  });
}

export function deleteConsoleUser(
  ctx: StoreContext,
  username: string,
): Promise<'ok' | 'missing' | 'last-admin'> {
  return ctx.db.transaction().execute(async (trx) => {
    const cur = await trx
      .selectFrom('console_users')
      .select('role')
      .where('username', '=', username)
      .executeTakeFirst();
    if (!cur) return 'missing';
    if (cur.role === 'admin' && (await otherAdmins(ctx, trx, username)) === 0) return 'last-admin';
    await trx.deleteFrom('console_users').where('username', '=', username).execute();
    return 'ok';
  });
}

export async function loginLockedUntil(ctx: StoreContext, key: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('console_login_failures')
    .select('locked_until')
    .where('key', '=', key)
    .executeTakeFirst();
  return r ? Number(r.locked_until) : 0;
}

export async function recordLoginFailure(
  ctx: StoreContext,
  key: string,
  now: number,
  maxFailures: number,
  lockMs: number,
): Promise<{ failures: number; lockedUntil: number }> {
  const counted = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('console_login_failures')
      .values({ key, failures: 0, first_at: now, locked_until: 0 })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const cur = await trx
      .selectFrom('console_login_failures')
      .selectAll()
      .where('key', '=', key)
      .$if(ctx.adapter.capabilities.supportsRowLocks, (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    // A window that ended starts a new count — not while a lock still runs.
    const fresh = now - Number(cur.first_at) > lockMs && Number(cur.locked_until) <= now;
    const failures = (fresh ? 0 : Number(cur.failures)) + 1;
    const lockedUntil = failures >= maxFailures ? now + lockMs : fresh ? 0 : Number(cur.locked_until);
    await trx
      .updateTable('console_login_failures')
      .set({ failures, first_at: fresh ? now : Number(cur.first_at), locked_until: lockedUntil })
      .where('key', '=', key)
      .execute();
    return { failures, lockedUntil: lockedUntil > now ? lockedUntil : 0 };
  });
  // Old entries of other keys go on the way, outside the transaction above: two failures for
  // different keys must never wait on each other's rows.
  await ctx.db
    .deleteFrom('console_login_failures')
    .where('first_at', '<', now - lockMs)
    .where('locked_until', '<', now)
    .where('key', '<>', key)
    .execute();
  return counted;
}

export async function clearLoginFailures(ctx: StoreContext, key: string): Promise<void> {
  await ctx.db.deleteFrom('console_login_failures').where('key', '=', key).execute();
}

export async function revokeSession(
  ctx: StoreContext,
  nonce: string,
  expiresAt: number,
  now: number,
): Promise<void> {
  await ctx.db
    .insertInto('console_revoked_sessions')
    .values({ nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .execute();
  await ctx.db.deleteFrom('console_revoked_sessions').where('expires_at', '<', now).execute();
}

export async function isSessionRevoked(ctx: StoreContext, nonce: string): Promise<boolean> {
  const r = await ctx.db
    .selectFrom('console_revoked_sessions')
    .select('nonce')
    .where('nonce', '=', nonce)
    .executeTakeFirst();
  return r !== undefined;
}
