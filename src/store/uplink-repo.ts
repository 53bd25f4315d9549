/**
 * Uplink (MO): which app a destination number belongs to, storing MOs with their uplink push,
 * and opt-out replies that add a promotion block. Also the blocklist they share.
 */

import type { Kysely, Selectable } from 'kysely';
import { isOptOutText } from '../domain/opt-out.js';
import { newOutboxState } from './message-writes.js';
import type { BlockRecord, MoRecord } from './records.js';
import { uplinkPayload } from './report-rows.js';
import { toBlock, toMo } from './row-mappers.js';
import type { Database, MoPartsTable } from './schema.js';
import type { ChannelMatch, MoPartResult, MoTextAssembler, NewMo, NewMoPart, Page, Paged } from './store.js';
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

export function insertMo(ctx: StoreContext, mo: NewMo): Promise<MoRecord> {
  return ctx.db.transaction().execute((trx) => insertMoTx(trx, mo));
}

/** `insertMo` inside the caller's transaction. */
async function insertMoTx(trx: Kysely<Database>, mo: NewMo): Promise<MoRecord> {
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
        ...newOutboxState(mo.receivedAt),
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
}

type MoPartRow = Selectable<MoPartsTable>;

const byPartOrder = (a: MoPartRow, b: MoPartRow) => a.seq - b.seq;

/** The MO made of these parts (the first part's alphabet, sender and connector). */
function moFromParts(
  rows: MoPartRow[],
  smsMsgId: string,
  receivedAt: number,
  assemble: MoTextAssembler,
): NewMo {
  const sorted = [...rows].sort(byPartOrder);
  const first = sorted[0];
  return {
    smsMsgId,
    from: first.from_number,
    to: first.to_number,
    body: assemble(
      first.alphabet,
      sorted.map((r) => Buffer.from(r.units, 'hex')),
    ),
    connectorId: first.connector_id,
    receivedAt,
  };
}

/**
 * Marks the group's unconsumed parts consumed and returns them. The UPDATE is the claim: on
 * PostgreSQL a concurrent claimer waits for the row locks and then finds nothing left.
 */
function consumeGroup(trx: Kysely<Database>, groupKey: string, now: number): Promise<MoPartRow[]> {
  return trx
    .updateTable('mo_parts')
    .set({ consumed_at: now })
    .where('group_key', '=', groupKey)
    .where('consumed_at', 'is', null)
    .returningAll()
    .execute();
}

export function addMoPart(
  ctx: StoreContext,
  part: NewMoPart,
  newSmsMsgId: () => string,
  assemble: MoTextAssembler,
): Promise<MoPartResult> {
  return ctx.db.transaction().execute(async (trx): Promise<MoPartResult> => {
    const units = part.units.toString('hex');
    const insert = () =>
      trx
        .insertInto('mo_parts')
        .values({
          group_key: part.groupKey,
          seq: part.seq,
          total: part.total,
          alphabet: part.alphabet,
          units,
          from_number: part.from,
          to_number: part.to,
          connector_id: part.connectorId,
          received_at: part.receivedAt,
          consumed_at: null,
        })
        .onConflict((oc) => oc.columns(['group_key', 'seq']).doNothing())
        .executeTakeFirst();
    if (Number((await insert()).numInsertedOrUpdatedRows ?? 0n) === 0) {
      const held = await trx
        .selectFrom('mo_parts')
        .select('units')
        .where('group_key', '=', part.groupKey)
        .where('seq', '=', part.seq)
        .executeTakeFirst();
      // The same part again: a redelivery.
      if (held?.units === units) return { status: 'duplicate' };
      // Another message from the same sender reusing the reference: what is held of the earlier
      // one is stored as it is (incomplete), and this part starts a new message.
      const earlier = await consumeGroup(trx, part.groupKey, part.receivedAt);
      if (earlier.length > 0) {
        await insertMoTx(trx, moFromParts(earlier, newSmsMsgId(), Number(earlier[0].received_at), assemble));
      }
      await trx.deleteFrom('mo_parts').where('group_key', '=', part.groupKey).execute();
      await insert();
    }
    const rows = await trx
      .selectFrom('mo_parts')
      .select(['seq', 'consumed_at'])
      .where('group_key', '=', part.groupKey)
      .execute();
    if (rows.some((r) => r.consumed_at !== null)) {
      // Its message was already stored without it (timed out): this part is an MO of its own.
      const late = await trx
        .updateTable('mo_parts')
        .set({ consumed_at: part.receivedAt })
        .where('group_key', '=', part.groupKey)
        .where('seq', '=', part.seq)
        .returningAll()
        .execute();
      const mo = await insertMoTx(trx, moFromParts(late, newSmsMsgId(), part.receivedAt, assemble));
      return { status: 'complete', mo, late: true };
    }
    if (rows.length < part.total) return { status: 'pending', received: rows.length, total: part.total };
    const taken = await consumeGroup(trx, part.groupKey, part.receivedAt);
    // Fewer than all: another node's sweep took the others meanwhile (PostgreSQL) and stored them;
    // what this claim holds is stored too, as a late part, rather than left consumed and unsaid.
    const late = taken.length < part.total;
    if (taken.length === 0) return { status: 'duplicate' };
    const mo = await insertMoTx(trx, moFromParts(taken, newSmsMsgId(), part.receivedAt, assemble));
    return { status: 'complete', mo, late };
  });
}

export async function flushMoParts(
  ctx: StoreContext,
  olderThan: number,
  now: number,
  newSmsMsgId: () => string,
  assemble: MoTextAssembler,
): Promise<Array<{ mo: MoRecord; received: number; total: number }>> {
  const due = await ctx.db
    .selectFrom('mo_parts')
    .select('group_key')
    .where('consumed_at', 'is', null)
    .groupBy('group_key')
    .having((h) =>
      h.or([h(h.fn.countAll(), '>=', h.fn.max('total')), h(h.fn.min('received_at'), '<', olderThan)]),
    )
    .limit(500)
    .execute();
  const out: Array<{ mo: MoRecord; received: number; total: number }> = [];
  for (const { group_key } of due) {
    const r = await ctx.db.transaction().execute(async (trx) => {
      const taken = await consumeGroup(trx, group_key, now);
      if (taken.length === 0) return null;
      const first = taken.reduce((a, b) => (b.received_at < a.received_at ? b : a));
      const mo = await insertMoTx(
        trx,
        moFromParts(taken, newSmsMsgId(), Number(first.received_at), assemble),
      );
      return { mo, received: taken.length, total: taken[0].total };
    });
    if (r) out.push(r);
  }
  await ctx.db.deleteFrom('mo_parts').where('consumed_at', '<', olderThan).execute();
  return out;
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
