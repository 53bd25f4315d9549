/** Applications: create (secret sealed, intl channel number allocated), read, patch, delete. */
import { newAppKey, newAppSecret, newId } from '../domain/ids.js';
import { nextChannelNumber } from './channel-numbers.js';
import type { AppPatch, AppRecord, NewApp } from './records.js';
import { toApp } from './row-mappers.js';
import type { AppsTable } from './schema.js';
import type { Page, Paged } from './store.js';
import { DEFAULT_PAGE, pageOf, retryOnConflict, type StoreContext } from './store-context.js';

export async function createApp(ctx: StoreContext, app: NewApp): Promise<AppRecord> {
  const now = Date.now();
  const id = newId();
  const row: AppsTable = {
    id,
    name: app.name,
    app_key: app.appKey ?? newAppKey(),
    app_secret_enc: ctx.box.encrypt(app.appSecret ?? newAppSecret()),
    region: app.region,
    channel_number: null,
    uplink_url: app.uplinkUrl,
    batch_report_url: app.batchReportUrl,
    ip_allow_list: JSON.stringify(app.ipAllowList ?? []),
    status: app.status,
    push_signing: app.pushSigning ? 1 : 0,
    uplink_create_time: app.uplinkCreateTime ? 1 : 0,
    tps_limit: app.tpsLimit,
    created_at: now,
    updated_at: now,
  };
  await retryOnConflict(ctx, async () => {
    if (app.region === 'intl') row.channel_number = await nextChannelNumber(ctx.db, 'apps', 'isms');
    await ctx.db.insertInto('apps').values(row).execute();
  });
  return toApp(row, ctx.box);
}

export async function getApp(ctx: StoreContext, id: string): Promise<AppRecord | undefined> {
  const r = await ctx.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toApp(r, ctx.box);
}

export async function getAppByKey(ctx: StoreContext, appKey: string): Promise<AppRecord | undefined> {
  const r = await ctx.db.selectFrom('apps').selectAll().where('app_key', '=', appKey).executeTakeFirst();
  return r && toApp(r, ctx.box);
}

export function listApps(ctx: StoreContext, page: Page = DEFAULT_PAGE): Promise<Paged<AppRecord>> {
  return pageOf(
    ctx.db
      .selectFrom('apps')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
    ctx.db
      .selectFrom('apps')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    (r) => toApp(r, ctx.box),
  );
}

export async function updateApp(
  ctx: StoreContext,
  id: string,
  patch: AppPatch,
): Promise<AppRecord | undefined> {
  const set: Partial<AppsTable> = { updated_at: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.uplinkUrl !== undefined) set.uplink_url = patch.uplinkUrl;
  if (patch.batchReportUrl !== undefined) set.batch_report_url = patch.batchReportUrl;
  if (patch.ipAllowList !== undefined) set.ip_allow_list = JSON.stringify(patch.ipAllowList);
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.pushSigning !== undefined) set.push_signing = patch.pushSigning ? 1 : 0;
  if (patch.uplinkCreateTime !== undefined) set.uplink_create_time = patch.uplinkCreateTime ? 1 : 0;
  if (patch.tpsLimit !== undefined) set.tps_limit = patch.tpsLimit;
  const r = await ctx.db.updateTable('apps').set(set).where('id', '=', id).returningAll().executeTakeFirst();
  return r && toApp(r, ctx.box);
}

export async function deleteApp(ctx: StoreContext, id: string): Promise<boolean> {
  const r = await ctx.db.deleteFrom('apps').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
