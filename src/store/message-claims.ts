/**
 * The queue: claiming due messages with a lease, renewing leases, putting messages back.
 *
 * A claim sets `lease_owner`/`lease_until` on up to `limit` queue rows that are due and not
 * leased (or whose lease ran out — their owner died), oldest due first. Engines that support it
 * (`supportsSkipLocked`) lock the candidate rows with `FOR UPDATE SKIP LOCKED`, so concurrent
 * claimers on other nodes skip each other's rows instead of waiting; SQLite has one writer and
 * needs no lock. The queue row stays until the message is submitted or final.
 */
import { sql } from 'kysely';
import { FINAL_STATES } from '../domain/message-state.js';
import { insertEvents } from './message-writes.js';
import { toMessage, toPart } from './row-mappers.js';
import type { ClaimedMessage } from './store.js';
import type { StoreContext } from './store-context.js';

export async function claimMessages(
  ctx: StoreContext,
  owner: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<ClaimedMessage[]> {
  const skipLocked = ctx.adapter.capabilities.supportsSkipLocked;
  const ids = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('queue')
      .set({ lease_owner: owner, lease_until: now + leaseMs })
      .where('message_id', 'in', (eb) =>
        eb
          .selectFrom('queue')
          .select('message_id')
          .where('due_at', '<=', now)
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
          .orderBy('due_at')
          .limit(limit)
          .$if(skipLocked, (q) => q.forUpdate().skipLocked()),
      )
      .returning('message_id')
      .execute();
    const ids = claimed.map((c) => Number(c.message_id));
    if (ids.length > 0) {
      await trx
        .updateTable('messages')
        .set({ state: 'QUEUED', updated_at: now })
        .where('id', 'in', ids)
        .where('state', '=', 'ACCEPTED')
        .execute();
    }
    return ids;
  });
  if (ids.length === 0) return [];
  const [msgs, parts] = await Promise.all([
    ctx.db
      .selectFrom('messages')
      .leftJoin('apps', 'apps.id', 'messages.app_id')
      .selectAll('messages')
      .select('apps.batch_report_url')
      .where('messages.id', 'in', ids)
      .execute(),
    ctx.db.selectFrom('message_parts').selectAll().where('message_id', 'in', ids).orderBy('seq').execute(),
  ]);
  const partsBy = new Map<number, ReturnType<typeof toPart>[]>();
  for (const p of parts) {
    const list = partsBy.get(Number(p.message_id)) ?? [];
    list.push(toPart(p));
    partsBy.set(Number(p.message_id), list);
  }
  const byId = new Map(msgs.map((m) => [Number(m.id), m]));
  const out: ClaimedMessage[] = [];
  // Keep the claim order (oldest due first).
  for (const id of ids) {
    const m = byId.get(id);
    if (!m) continue;
    out.push({
      message: toMessage(m),
      parts: partsBy.get(id) ?? [],
      appBatchReportUrl: m.batch_report_url ?? null,
    });
  }
  return out;
}

export async function renewMessageLeases(
  ctx: StoreContext,
  owner: string,
  messageIds: number[],
  leaseMs: number,
  now: number,
): Promise<void> {
  if (messageIds.length === 0) return;
  await ctx.db
    .updateTable('queue')
    .set({ lease_until: now + leaseMs })
    .where('lease_owner', '=', owner)
    .where('message_id', 'in', messageIds)
    .execute();
}

export async function requeueMessages(
  ctx: StoreContext,
  items: Array<{ messageId: number; dueAt: number; reason: string }>,
): Promise<void> {
  if (items.length === 0) return;
  const now = Date.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const it of items) {
      // Upsert: the row normally exists (the message was claimed), but a message whose row is
      // gone must still come back.
      await trx
        .insertInto('queue')
        .values({ message_id: it.messageId, due_at: it.dueAt, lease_owner: null, lease_until: null })
        .onConflict((oc) =>
          oc.column('message_id').doUpdateSet({ due_at: it.dueAt, lease_owner: null, lease_until: null }),
        )
        .execute();
      await trx
        .updateTable('messages')
        .set({ attempts: sql`attempts + 1`, state: 'QUEUED', updated_at: now })
        .where('id', '=', it.messageId)
        .where('state', 'not in', [...FINAL_STATES])
        .execute();
      await trx
        .updateTable('message_parts')
        .set({ state: 'QUEUED' })
        .where('message_id', '=', it.messageId)
        .where('state', '=', 'SUBMITTED')
        .execute();
    }
    await insertEvents(
      trx,
      items.map((it) => ({
        messageId: it.messageId,
        at: now,
        kind: 'requeued' as const,
        seq: null,
        detail: { reason: it.reason, dueAt: it.dueAt },
      })),
    );
  });
}

export async function queueDepth(ctx: StoreContext): Promise<number> {
  const r = await ctx.db
    .selectFrom('queue')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
