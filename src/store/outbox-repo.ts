/**
 * The transactional outbox read side: the webhook worker claims due rows with a lease (same
 * scheme as the message queue), reports each attempt, and operators redeliver dead pushes.
 */

import type { OutboxRecord, PushAttempt } from './records.js';
import { toOutbox } from './row-mappers.js';
import type { Page, Paged } from './store.js';
import { pageOf, type StoreContext } from './store-context.js';

/**
 * Leases up to `limit` rows that are pending and due, or leased with an expired lease (a worker
 * that died), oldest due first. `FOR UPDATE SKIP LOCKED` where the engine has it.
 */
export async function claimOutbox(
  ctx: StoreContext,
  owner: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<OutboxRecord[]> {
  const skipLocked = ctx.adapter.capabilities.supportsSkipLocked;
  const rows = await ctx.db
    .updateTable('outbox')
    .set({ state: 'leased', lease_owner: owner, lease_until: now + leaseMs })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('state', '=', 'pending'), w('due_at', '<=', now)]),
            w.and([w('state', '=', 'leased'), w('lease_until', '<', now)]),
          ]),
        )
        .orderBy('due_at')
        .limit(limit)
        .$if(skipLocked, (q) => q.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
  return rows.map(toOutbox).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
}

export async function completeOutbox(
  ctx: StoreContext,
  results: Array<{
    id: number;
    attempt: PushAttempt;
    outcome: 'delivered' | 'retry' | 'dead';
    nextDueAt?: number;
  }>,
): Promise<void> {
  if (results.length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    for (const r of results) {
      await trx
        .insertInto('push_attempts')
        .values({
          outbox_id: r.id,
          at: r.attempt.at,
          http_status: r.attempt.httpStatus,
          latency_ms: Math.round(r.attempt.latencyMs),
          error: r.attempt.error,
        })
        .execute();
      const state = r.outcome === 'retry' ? 'pending' : r.outcome;
      await trx
        .updateTable('outbox')
        .set((eb) => ({
          state,
          attempts: eb('attempts', '+', 1),
          last_attempt_at: r.attempt.at,
          last_http_status: r.attempt.httpStatus,
          last_error: r.attempt.error,
          lease_owner: null,
          lease_until: null,
          ...(r.outcome === 'retry' ? { due_at: r.nextDueAt ?? r.attempt.at } : {}),
        }))
        .where('id', '=', r.id)
        .execute();
    }
  });
}

export async function redeliverOutbox(
  ctx: StoreContext,
  id: number,
  now: number,
): Promise<OutboxRecord | undefined> {
  const r = await ctx.db
    .updateTable('outbox')
    .set({ state: 'pending', due_at: now, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('state', 'in', ['dead', 'delivered'])
    .returningAll()
    .executeTakeFirst();
  return r && toOutbox(r);
}

export function listOutbox(
  ctx: StoreContext,
  filter: { state?: OutboxRecord['state']; appId?: string; messageId?: number },
  page: Page,
): Promise<Paged<OutboxRecord>> {
  let q = ctx.db.selectFrom('outbox');
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.messageId !== undefined) q = q.where('message_id', '=', filter.messageId);
  return pageOf(
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    q
      .selectAll()
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    toOutbox,
  );
}

export async function outboxBacklog(ctx: StoreContext): Promise<number> {
  const r = await ctx.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('state', 'in', ['pending', 'leased'])
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
