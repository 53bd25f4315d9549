/**
 * Send details and statistics: filtered, paginated reads over `messages` that the indexes in the
 * initial migration serve (recipient, app, template, channel, each with created_at; created_at).
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import { FINAL_STATES } from '../domain/message-state.js';
import type { TemplateType } from '../domain/signature.js';
import type { MessageRecord } from './records.js';
import { toAttempt, toEvent, toMessage, toOutbox, toPart } from './row-mappers.js';
import type { Database } from './schema.js';
import type { DayStats, MessageDetail, MessageFilter, Page, Paged } from './store.js';
import type { StoreContext } from './store-context.js';

/** `total` stops counting here so a filter over millions of rows stays fast (`totalCapped`). */
export const TOTAL_CAP = 10_000;

const FINAL = [...FINAL_STATES];
const FAILED = FINAL.filter((s) => s !== 'DELIVERED');
const DAY_MS = 86_400_000;

/**
 * The numbers a `to` filter matches. E.164 (`+…`) matches exactly. Digits without `+` are the
 * console's national form: they match `+86<digits>` (mainland) or `+<digits>` (already carrying a
 * country code) — two exact values, so the (to_number, created_at) index still serves the query.
 */
export function toCandidates(to: string): string[] {
  const t = to.trim();
  if (t.startsWith('+')) return [t];
  return [`+86${t}`, `+${t}`];
}

type MsgQuery = SelectQueryBuilder<Database, 'messages', object>;

function applyFilter(q: MsgQuery, f: MessageFilter): MsgQuery {
  if (f.smsMsgId !== undefined) q = q.where('sms_msg_id', '=', f.smsMsgId);
  if (f.to !== undefined) q = q.where('to_number', 'in', toCandidates(f.to));
  if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
  if (f.templateId !== undefined) q = q.where('template_id', '=', f.templateId);
  if (f.templateType !== undefined) q = q.where('template_type', '=', f.templateType);
  if (f.channelNumber !== undefined) q = q.where('channel_number', '=', f.channelNumber);
  if (f.signatureName !== undefined) q = q.where('signature_name', '=', f.signatureName);
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  if (f.statusCode !== undefined) q = q.where('status_code', '=', f.statusCode);
  if (f.taskId !== undefined) q = q.where('task_id', '=', f.taskId);
  if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('created_at', '<', f.until);
  if (f.result === 'success') q = q.where('state', '=', 'DELIVERED');
  else if (f.result === 'failed') q = q.where('state', 'in', FAILED);
  else if (f.result === 'sending') q = q.where('state', 'not in', FINAL);
  return q;
}

export async function queryMessages(
  ctx: StoreContext,
  filter: MessageFilter,
  page: Page,
): Promise<Paged<MessageRecord>> {
  const base = applyFilter(ctx.db.selectFrom('messages'), filter);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    ctx.db
      .selectFrom(
        base
          .select('id')
          .limit(TOTAL_CAP + 1)
          .as('capped'),
      )
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  const n = Number(count?.n ?? 0);
  const out: Paged<MessageRecord> = { items: rows.map(toMessage), total: Math.min(n, TOTAL_CAP) };
  if (n > TOTAL_CAP) out.totalCapped = true;
  return out;
}

export async function getMessageDetail(
  ctx: StoreContext,
  smsMsgId: string,
): Promise<MessageDetail | undefined> {
  const m = await ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('sms_msg_id', '=', smsMsgId)
    .executeTakeFirst();
  if (!m) return undefined;
  const [parts, events, outbox] = await Promise.all([
    ctx.db.selectFrom('message_parts').selectAll().where('message_id', '=', m.id).orderBy('seq').execute(),
    ctx.db
      .selectFrom('events')
      .selectAll()
      .where('message_id', '=', m.id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    ctx.db.selectFrom('outbox').selectAll().where('message_id', '=', m.id).orderBy('id').execute(),
  ]);
  const attempts =
    outbox.length === 0
      ? []
      : await ctx.db
          .selectFrom('push_attempts')
          .selectAll()
          .where(
            'outbox_id',
            'in',
            outbox.map((o) => o.id),
          )
          .orderBy('id')
          .execute();
  const pushes: MessageDetail['pushes'] = outbox.map((o) => ({
    ...toOutbox(o),
    attempts: attempts.filter((a) => Number(a.outbox_id) === Number(o.id)).map(toAttempt),
  }));
  return { message: toMessage(m), parts: parts.map(toPart), events: events.map(toEvent), pushes };
}

export async function recentSends(
  ctx: StoreContext,
  numbers: string[],
  since: number,
): Promise<Array<{ to: string; at: number; contentHash: string }>> {
  if (numbers.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('messages')
    .select(['to_number', 'created_at', 'content_hash'])
    .where('to_number', 'in', numbers)
    .where('created_at', '>=', since)
    // Messages the platform refused (interception, no route, carrier refusal) never reached the
    // handset, so they do not count towards a number's frequency caps.
    .where('state', 'not in', ['REJECTED', 'FAILED'])
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ to: r.to_number, at: Number(r.created_at), contentHash: r.content_hash }));
}

function dayString(dayIndex: number): string {
  return new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Per UTC day, app and template type. The day is `created_at / 86400000` in integer arithmetic,
 * which both engines compute the same way (no date functions, no engine branch).
 */
export async function statsByDay(
  ctx: StoreContext,
  filter: { since: number; until: number; appId?: string; templateType?: TemplateType },
): Promise<DayStats[]> {
  const inList = (xs: string[]) => sql.join(xs.map((x) => sql.lit(x)));
  const dayExpr = sql<number>`created_at / ${sql.lit(DAY_MS)}`;
  let q = ctx.db
    .selectFrom('messages')
    .select([
      dayExpr.as('day'),
      'app_id',
      'template_type',
      sql<number>`count(*)`.as('sent'),
      sql<number>`sum(case when state = 'DELIVERED' then 1 else 0 end)`.as('delivered'),
      sql<number>`sum(case when state in (${inList(FAILED)}) then 1 else 0 end)`.as('failed'),
      sql<number>`sum(case when state in (${inList(FINAL)}) then 0 else 1 end)`.as('pending'),
      sql<number>`sum(total)`.as('segments'),
    ])
    .where('created_at', '>=', filter.since)
    .where('created_at', '<', filter.until);
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.templateType !== undefined) q = q.where('template_type', '=', filter.templateType);
  const rows = await q
    .groupBy([dayExpr, 'app_id', 'template_type'])
    .orderBy(dayExpr)
    .orderBy('app_id')
    .execute();
  return rows.map((r) => ({
    day: dayString(Number(r.day)),
    appId: r.app_id,
    templateType: r.template_type as TemplateType,
    sent: Number(r.sent),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    pending: Number(r.pending),
    segments: Number(r.segments),
  }));
}

export async function failureBreakdown(
  ctx: StoreContext,
  filter: { since: number; until: number; appId?: string },
): Promise<Array<{ statusCode: string; count: number }>> {
  let q = ctx.db
    .selectFrom('messages')
    .select(['status_code', sql<number>`count(*)`.as('n')])
    .where('state', 'in', FAILED)
    .where('created_at', '>=', filter.since)
    .where('created_at', '<', filter.until);
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  const rows = await q.groupBy('status_code').orderBy(sql`count(*)`, 'desc').orderBy('status_code').execute();
  return rows.map((r) => ({ statusCode: r.status_code ?? 'UNKNOWN', count: Number(r.n) }));
}
