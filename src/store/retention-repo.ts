/**
 * Retention: removes history older than a cutoff, a bounded batch per call so that no
 * transaction holds the database for long. Only finished things go: a message that is not final,
 * and a push still pending, stay whatever their age. The newest row of each rowid table is never
 * removed, so SQLite never hands out an id that was used before.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { PurgeResult } from './store.js';
import type { StoreContext } from './store-context.js';

async function maxId(db: Kysely<Database>, table: 'messages' | 'outbox' | 'mo'): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

async function deletePushes(trx: Kysely<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('push_attempts').where('outbox_id', 'in', ids).execute();
  await trx.deleteFrom('outbox').where('id', 'in', ids).execute();
}

/**
 * Removes up to `limit` of each: final messages created before `cutoff` (with their parts,
 * timeline and pushes; not while one of their reports is still to be pushed), delivered or dead pushes last due before `cutoff` (with their
 * attempts), and MOs received before `cutoff`.
 */
export async function purgeHistory(ctx: StoreContext, cutoff: number, limit: number): Promise<PurgeResult> {
  const db = ctx.db;
  const pushIds = (
    await db
      .selectFrom('outbox')
      .select('id')
      .where('state', 'in', ['delivered', 'dead'])
      .where('due_at', '<', cutoff)
      .where('id', '<', await maxId(db, 'outbox'))
      .limit(limit)
      .execute()
  ).map((r) => Number(r.id));
  await db.transaction().execute((trx) => deletePushes(trx, pushIds));

  const messageIds = (
    await db
      .selectFrom('messages')
      .select('id')
      .where('created_at', '<', cutoff)
      .where('final_at', 'is not', null)
      .where('id', '<', await maxId(db, 'messages'))
      .orderBy('created_at')
      .limit(limit)
      .execute()
  ).map((r) => Number(r.id));
  let messages = 0;
  if (messageIds.length > 0) {
    messages = await db.transaction().execute(async (trx) => {
      const pushes = await trx
        .selectFrom('outbox')
        .select(['id', 'message_id', 'state'])
        .where('message_id', 'in', messageIds)
        .execute();
      // A report still waiting to be pushed keeps its message (retention shorter than the push
      // retry window); it goes on a later pass.
      const busy = new Set(
        pushes.filter((p) => p.state === 'pending' || p.state === 'leased').map((p) => Number(p.message_id)),
      );
      const ids = messageIds.filter((id) => !busy.has(id));
      if (ids.length === 0) return 0;
      await deletePushes(
        trx,
        pushes.filter((p) => !busy.has(Number(p.message_id))).map((p) => Number(p.id)),
      );
      await trx.deleteFrom('events').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('message_parts').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('messages').where('id', 'in', ids).execute();
      return ids.length;
    });
  }

  const mo = await db
    .deleteFrom('mo')
    .where(
      'id',
      'in',
      db
        .selectFrom('mo')
        .select('id')
        .where('received_at', '<', cutoff)
        .where('id', '<', await maxId(db, 'mo'))
        .limit(limit),
    )
    .executeTakeFirst();
  return { messages, pushes: pushIds.length, mos: Number(mo.numDeletedRows) };
}
