/** Templates and their lifecycle (pending → active/rejected; active ⇄ inactive; rejected → edit → pending). */
import { newTemplateId } from '../domain/ids.js';
import type { NewTemplate, TemplatePatch, TemplateRecord, TemplateStatus } from './records.js';
import { toTemplate } from './row-mappers.js';
import type { TemplatesTable } from './schema.js';
import type { Page, Paged } from './store.js';
import { DEFAULT_PAGE, pageOf, type StoreContext } from './store-context.js';

export async function createTemplate(ctx: StoreContext, tpl: NewTemplate): Promise<TemplateRecord> {
  const now = Date.now();
  const row: TemplatesTable = {
    id: newTemplateId(),
    app_id: tpl.appId,
    signature_id: tpl.signatureId,
    universal: tpl.universal ? 1 : 0,
    name: tpl.name,
    type: tpl.type,
    region: tpl.region,
    content: tpl.content,
    variable_attributes: JSON.stringify(tpl.variableAttributes ?? {}),
    status: 'pending',
    reject_reason: null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('templates').values(row).execute();
  return toTemplate(row);
}

export async function getTemplate(ctx: StoreContext, id: string): Promise<TemplateRecord | undefined> {
  const r = await ctx.db.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toTemplate(r);
}

export function listTemplates(
  ctx: StoreContext,
  filter: { appId?: string; status?: TemplateStatus; signatureId?: string },
  page: Page = DEFAULT_PAGE,
): Promise<Paged<TemplateRecord>> {
  let q = ctx.db.selectFrom('templates');
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.signatureId !== undefined) q = q.where('signature_id', '=', filter.signatureId);
  return pageOf(
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    q
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    toTemplate,
  );
}

export async function setTemplateStatus(
  ctx: StoreContext,
  id: string,
  status: TemplateStatus,
  rejectReason?: string,
): Promise<TemplateRecord | undefined> {
  const r = await ctx.db
    .updateTable('templates')
    .set({
      status,
      reject_reason: status === 'rejected' ? (rejectReason ?? null) : null,
      updated_at: Date.now(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return r && toTemplate(r);
}

/** Only a rejected template changes; it goes back to pending. Other states return it unchanged. */
export async function updateTemplate(
  ctx: StoreContext,
  id: string,
  patch: TemplatePatch,
): Promise<TemplateRecord | undefined> {
  const set: Partial<TemplatesTable> = { status: 'pending', reject_reason: null, updated_at: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.content !== undefined) set.content = patch.content;
  if (patch.type !== undefined) set.type = patch.type;
  if (patch.variableAttributes !== undefined)
    set.variable_attributes = JSON.stringify(patch.variableAttributes);
  const r = await ctx.db
    .updateTable('templates')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'rejected')
    .returningAll()
    .executeTakeFirst();
  return r ? toTemplate(r) : getTemplate(ctx, id);
}

export async function deleteTemplate(ctx: StoreContext, id: string): Promise<boolean> {
  const r = await ctx.db.deleteFrom('templates').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
