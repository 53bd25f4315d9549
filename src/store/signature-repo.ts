/** Signatures and their review; approval allocates the signature's channel number. */

import { newId } from '../domain/ids.js';
import type { TemplateType } from '../domain/signature.js';
import { nextChannelNumber } from './channel-numbers.js';
import type { NewSignature, ReviewStatus, SignatureRecord } from './records.js';
import { toSignature } from './row-mappers.js';
import type { SignaturesTable } from './schema.js';
import type { Page, Paged } from './store.js';
import { DEFAULT_PAGE, pageOf, retryOnConflict, type StoreContext } from './store-context.js';

export async function createSignature(ctx: StoreContext, sig: NewSignature): Promise<SignatureRecord> {
  const now = Date.now();
  const row: SignaturesTable = {
    id: newId(),
    app_id: sig.appId,
    name: sig.name,
    type: sig.type,
    status: 'pending',
    reject_reason: null,
    channel_number: null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('signatures').values(row).execute();
  return toSignature(row);
}

export async function getSignature(ctx: StoreContext, id: string): Promise<SignatureRecord | undefined> {
  const r = await ctx.db.selectFrom('signatures').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toSignature(r);
}

export async function findSignatureByChannel(
  ctx: StoreContext,
  ch: string,
): Promise<SignatureRecord | undefined> {
  const r = await ctx.db
    .selectFrom('signatures')
    .selectAll()
    .where('channel_number', '=', ch)
    .executeTakeFirst();
  return r && toSignature(r);
}

export async function findSignatureByName(
  ctx: StoreContext,
  appId: string,
  name: string,
): Promise<SignatureRecord | undefined> {
  const r = await ctx.db
    .selectFrom('signatures')
    .selectAll()
    .where('app_id', '=', appId)
    .where('name', '=', name)
    .orderBy('created_at')
    .executeTakeFirst();
  return r && toSignature(r);
}

export function listSignatures(
  ctx: StoreContext,
  filter: { appId?: string; status?: ReviewStatus },
  page: Page = DEFAULT_PAGE,
): Promise<Paged<SignatureRecord>> {
  let q = ctx.db.selectFrom('signatures');
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return pageOf(
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    q
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    toSignature,
  );
}

export function approveSignature(ctx: StoreContext, id: string): Promise<SignatureRecord | undefined> {
  return retryOnConflict(ctx, () =>
    ctx.db.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom('signatures').selectAll().where('id', '=', id).executeTakeFirst();
      if (!cur) return undefined;
      if (cur.status === 'approved' && cur.channel_number) return toSignature(cur);
      const channel = cur.channel_number ?? (await nextChannelNumber(trx, 'signatures', 'csms'));
      const r = await trx
        .updateTable('signatures')
        .set({ status: 'approved', reject_reason: null, channel_number: channel, updated_at: Date.now() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSignature(r);
    }),
  );
}

export async function rejectSignature(
  ctx: StoreContext,
  id: string,
  reason: string,
): Promise<SignatureRecord | undefined> {
  const r = await ctx.db
    .updateTable('signatures')
    .set({ status: 'rejected', reject_reason: reason, updated_at: Date.now() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return r && toSignature(r);
}

/** Only a rejected signature changes; it goes back to pending. Other states return it unchanged. */
export async function updateSignature(
  ctx: StoreContext,
  id: string,
  patch: { name?: string; type?: TemplateType },
): Promise<SignatureRecord | undefined> {
  const set: Partial<SignaturesTable> = { status: 'pending', reject_reason: null, updated_at: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.type !== undefined) set.type = patch.type;
  const r = await ctx.db
    .updateTable('signatures')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'rejected')
    .returningAll()
    .executeTakeFirst();
  return r ? toSignature(r) : getSignature(ctx, id);
}

export async function deleteSignature(ctx: StoreContext, id: string): Promise<boolean> {
  const r = await ctx.db.deleteFrom('signatures').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
