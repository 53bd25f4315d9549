/**
 * Uplink (MO): which app a destination number belongs to, storing MOs with their uplink push,
 * and opt-out replies that add a promotion block. Also the blocklist they share.
 */

import type { Kysely } from 'kysely';
import { isOptOutText } from '../domain/opt-out.js';
import type { BlockRecord, MoRecord } from './records.js';
import { uplinkPayload } from './report-rows.js';
import { toBlock, toMo } from './row-mappers.js';
import type { Database } from './schema.js';
import type { ChannelMatch, NewMo, Page, Paged } from './store.js';
import { pageOf, type StoreContext } from './store-context.js';

/** Every leading substring of `to`, so the lookup is an indexed IN over exact values. */
function prefixesOf(to: string): string[] {
  const out: string[] = [];
  for (let i = to.length; i >= 1; i--) out.push(to.slice(0, i));
  return out;
}

/**
 * Longest channel number that prefixes `to`, among approved signatures and international apps.
 * What follows the channel number is the customer's extension code.
 */
export async function resolveChannelIn(db: Kysely<Database>, to: string): Promise<ChannelMatch | undefined> {
  const t = to.trim();
  if (t === '') return undefined;
  const prefixes = prefixesOf(t);
  const [sigs, apps] = await Promise.all([
    db
      .selectFrom('signatures')
      .select(['id', 'app_id', 'channel_number'])
      .where('status', '=', 'approved')
      .where('channel_number', 'in', prefixes)
      .execute(),
    db.selectFrom('apps').select(['id', 'channel_number']).where('channel_number', 'in', prefixes).execute(),
  ]);
  let best: ChannelMatch | undefined;
  const consider = (appId: string, signatureId: string | null, ch: string | null) => {
    if (!ch) return;
    if (!best || ch.length > best.channelNumber.length) {
      best = { appId, signatureId, channelNumber: ch, extension: t.slice(ch.length) };
    }
  };
  for (const s of sigs) consider(s.app_id, s.id, s.channel_number);
  for (const a of apps) consider(a.id, null, a.channel_number);
  return best;
}

export async function insertMo(ctx: StoreContext, mo: NewMo): Promise<MoRecord> {
  return ctx.db.transaction().execute(async (trx) => {
    const match = await resolveChannelIn(trx, mo.to);
    const app = match
      ? await trx
          .selectFrom('apps')
          .select(['id', 'uplink_url', 'uplink_create_time'])
          .where('id', '=', match.appId)
          .executeTakeFirst()
      : undefined;
    const row = await trx
      .insertInto('mo')
      .values({
        sms_msg_id: mo.smsMsgId,
        app_id: app?.id ?? null,
        from_number: mo.from,
        to_number: mo.to,
        body: mo.body,
        connector_id: mo.connectorId,
        received_at: mo.receivedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const rec = toMo(row);
    if (app?.uplink_url) {
      await trx
        .insertInto('outbox')
        .values({
          kind: 'uplink',
          app_id: app.id,
          message_id: null,
          mo_id: rec.id,
          url: app.uplink_url,
          payload: JSON.stringify(uplinkPayload(rec, Boolean(app.uplink_create_time))),
          state: 'pending',
          attempts: 0,
          due_at: mo.receivedAt,
          created_at: mo.receivedAt,
          last_attempt_at: null,
          last_http_status: null,
          last_error: null,
          lease_owner: null,
          lease_until: null,
        })
        .execute();
    }
    if (app && isOptOutText(mo.body)) {
      const existing = await trx
        .selectFrom('blocks')
        .select('id')
        .where('number', '=', mo.from)
        .where('app_id', '=', app.id)
        .where('scope', '=', 'promotion')
        .executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto('blocks')
          .values({
            app_id: app.id,
            number: mo.from,
            scope: 'promotion',
            reason: 'opt-out',
            note: `MO ${mo.smsMsgId}`,
            created_at: mo.receivedAt,
          })
          .execute();
      }
    }
    return rec;
  });
}

export function listMo(
  ctx: StoreContext,
  filter: { appId?: string; from?: string; since?: number; until?: number },
  page: Page,
): Promise<Paged<MoRecord>> {
  let q = ctx.db.selectFrom('mo');
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.from !== undefined) q = q.where('from_number', '=', filter.from);
  if (filter.since !== undefined) q = q.where('received_at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('received_at', '<', filter.until);
  return pageOf(
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    q
      .selectAll()
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    toMo,
  );
}

export async function addBlock(
  ctx: StoreContext,
  e: Omit<BlockRecord, 'id' | 'createdAt'>,
): Promise<BlockRecord> {
  const r = await ctx.db
    .insertInto('blocks')
    .values({
      app_id: e.appId,
      number: e.number,
      scope: e.scope,
      reason: e.reason,
      note: e.note,
      created_at: Date.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBlock(r);
}

export async function removeBlock(ctx: StoreContext, id: number): Promise<boolean> {
  const r = await ctx.db.deleteFrom('blocks').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export function listBlocks(
  ctx: StoreContext,
  filter: { appId?: string; number?: string },
  page: Page,
): Promise<Paged<BlockRecord>> {
  let q = ctx.db.selectFrom('blocks');
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.number !== undefined) q = q.where('number', '=', filter.number);
  return pageOf(
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    q
      .selectAll()
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    toBlock,
  );
}

export async function findBlocks(
  ctx: StoreContext,
  appId: string,
  numbers: string[],
): Promise<BlockRecord[]> {
  if (numbers.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('blocks')
    .selectAll()
    .where('number', 'in', numbers)
    .where((w) => w.or([w('app_id', 'is', null), w('app_id', '=', appId)]))
    .orderBy('id')
    .execute();
  return rows.map(toBlock);
}
