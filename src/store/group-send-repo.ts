/**
 * Group-send tasks and their refused numbers. Every node reads and changes them; only the node
 * named in `node_id` (it holds the uploaded numbers) starts and runs a task.
 */
import { type Selectable, sql } from 'kysely';
import type { GroupTaskChange, GroupTaskRecord, GroupTaskStatus } from './records.js';
import type { GroupSendTasksTable } from './schema.js';
import type { Page, Paged } from './store.js';
import { pageOf, type StoreContext } from './store-context.js';

/** Heartbeat lease of a node (src/engine/connector-manager.ts renews `node:<nodeId>`). */
const NODE_LEASE_PREFIX = 'node:';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toTask = (r: Selectable<GroupSendTasksTable>): GroupTaskRecord => ({
  id: r.id,
  nodeId: r.node_id,
  name: r.name,
  appId: r.app_id,
  templateId: r.template_id,
  signatureId: r.signature_id,
  signatureName: r.signature_name,
  from: r.from_number,
  fileName: r.file_name,
  status: r.status as GroupTaskStatus,
  scheduleAt: num(r.schedule_at),
  total: Number(r.total),
  processed: Number(r.processed),
  accepted: Number(r.accepted),
  failed: Number(r.failed),
  error: r.error,
  cancelRequested: Number(r.cancel_requested) === 1,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  startedAt: num(r.started_at),
  finishedAt: num(r.finished_at),
});

export async function insertGroupTask(ctx: StoreContext, t: GroupTaskRecord): Promise<void> {
  await ctx.db
    .insertInto('group_send_tasks')
    .values({
      id: t.id,
      node_id: t.nodeId,
      name: t.name,
      app_id: t.appId,
      template_id: t.templateId,
      signature_id: t.signatureId,
      signature_name: t.signatureName,
      from_number: t.from,
      file_name: t.fileName,
      status: t.status,
      schedule_at: t.scheduleAt,
      total: t.total,
      processed: t.processed,
      accepted: t.accepted,
      failed: t.failed,
      error: t.error,
      cancel_requested: t.cancelRequested ? 1 : 0,
      created_by: t.createdBy,
      created_at: t.createdAt,
      started_at: t.startedAt,
      finished_at: t.finishedAt,
    })
    .execute();
}

export async function getGroupTask(ctx: StoreContext, id: string): Promise<GroupTaskRecord | undefined> {
  const r = await ctx.db.selectFrom('group_send_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toTask(r) : undefined;
}

export function listGroupTasks(
  ctx: StoreContext,
  filter: { appId?: string },
  page: Page,
): Promise<Paged<GroupTaskRecord>> {
  let q = ctx.db.selectFrom('group_send_tasks');
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  return pageOf(
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset ?? 0)
      .execute(),
    toTask,
  );
}

export async function updateGroupTask(ctx: StoreContext, id: string, c: GroupTaskChange): Promise<void> {
  await ctx.db
    .updateTable('group_send_tasks')
    .set({
      ...(c.status !== undefined ? { status: c.status } : {}),
      ...(c.total !== undefined ? { total: c.total } : {}),
      ...(c.processed !== undefined ? { processed: c.processed } : {}),
      ...(c.accepted !== undefined ? { accepted: c.accepted } : {}),
      ...(c.failed !== undefined ? { failed: c.failed } : {}),
      ...(c.error !== undefined ? { error: c.error } : {}),
      ...(c.startedAt !== undefined ? { started_at: c.startedAt } : {}),
      ...(c.finishedAt !== undefined ? { finished_at: c.finishedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * One accepted batch: the counters and the refused numbers (numbered after those already
 * stored), in one transaction. Returns whether a cancel was asked for meanwhile.
 */
export function recordGroupBatch(
  ctx: StoreContext,
  id: string,
  progress: { processed: number; accepted: number; failed: number },
  failures: Array<{ number: string; status: string }>,
): Promise<{ cancelRequested: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    if (failures.length > 0) {
      const last = await trx
        .selectFrom('group_send_failures')
        .select((eb) => eb.fn.max('seq').as('m'))
        .where('task_id', '=', id)
        .executeTakeFirst();
      const base = Number(last?.m ?? 0);
      await trx
        .insertInto('group_send_failures')
        .values(
          failures.map((f, i) => ({ task_id: id, seq: base + i + 1, number: f.number, status: f.status })),
        )
        .execute();
    }
    await trx.updateTable('group_send_tasks').set(progress).where('id', '=', id).execute();
    const r = await trx
      .selectFrom('group_send_tasks')
      .select('cancel_requested')
      .where('id', '=', id)
      .executeTakeFirst();
    return { cancelRequested: Number(r?.cancel_requested ?? 0) === 1 };
  });
}

/**
 * Scheduled → cancelled at once; running → asked to stop (or, when its node's heartbeat has run
 * out, interrupted at once). Other states are refused.
 */
export function cancelGroupTask(
  ctx: StoreContext,
  id: string,
  now: number,
): Promise<GroupTaskRecord | 'missing' | 'not-cancellable'> {
  return ctx.db.transaction().execute(async (trx) => {
    const scheduled = await trx
      .updateTable('group_send_tasks')
      .set({ status: 'cancelled', finished_at: now })
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    const running = await trx
      .updateTable('group_send_tasks')
      .set({ cancel_requested: 1 })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    // A runner whose node's heartbeat ran out will never see the request: the task is over.
    await trx
      .updateTable('group_send_tasks')
      .set({ status: 'interrupted', error: 'its node stopped while this task ran', finished_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('leases')
            .select('name')
            .whereRef('name', '=', sql<string>`${NODE_LEASE_PREFIX} || group_send_tasks.node_id`)
            .where('expires_at', '<', now),
        ),
      )
      .execute();
    const r = await trx.selectFrom('group_send_tasks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return 'missing';
    return Number(scheduled.numUpdatedRows) + Number(running.numUpdatedRows) > 0
      ? toTask(r)
      : 'not-cancellable';
  });
}

/** Deletes a task that is not uploading or running, with its refused numbers. */
export function deleteGroupTask(ctx: StoreContext, id: string): Promise<'ok' | 'missing' | 'busy'> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .deleteFrom('group_send_tasks')
      .where('id', '=', id)
      .where('status', 'not in', ['uploading', 'running'])
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) {
      const exists = await trx
        .selectFrom('group_send_tasks')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      return exists ? 'busy' : 'missing';
    }
    await trx.deleteFrom('group_send_failures').where('task_id', '=', id).execute();
    return 'ok';
  });
}

/** The oldest due scheduled task of `nodeId`, now `running`; undefined when none is due. */
export async function startDueGroupTask(
  ctx: StoreContext,
  nodeId: string,
  now: number,
): Promise<GroupTaskRecord | undefined> {
  const due = await ctx.db
    .selectFrom('group_send_tasks')
    .select('id')
    .where('node_id', '=', nodeId)
    .where('status', '=', 'scheduled')
    .where((w) => w.or([w('schedule_at', 'is', null), w('schedule_at', '<=', now)]))
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (!due) return undefined;
  const r = await ctx.db
    .updateTable('group_send_tasks')
    .set({ status: 'running', started_at: now })
    .where('id', '=', due.id)
    .where('status', '=', 'scheduled')
    .returningAll()
    .executeTakeFirst();
  return r ? toTask(r) : undefined;
}

/** Tasks of `nodeId` left uploading or running by a stopped process → interrupted (not resumed). */
export async function interruptGroupTasks(ctx: StoreContext, nodeId: string, now: number): Promise<number> {
  const r = await ctx.db
    .updateTable('group_send_tasks')
    .set({
      status: 'interrupted',
      error: 'the server stopped while this task ran; it was not resumed',
      finished_at: now,
    })
    .where('node_id', '=', nodeId)
    .where('status', 'in', ['uploading', 'running'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Refused numbers of a task after `afterSeq`, in order, at most `limit`. */
export async function groupTaskFailures(
  ctx: StoreContext,
  id: string,
  afterSeq: number,
  limit: number,
): Promise<Array<{ seq: number; number: string; status: string }>> {
  const rows = await ctx.db
    .selectFrom('group_send_failures')
    .select(['seq', 'number', 'status'])
    .where('task_id', '=', id)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), number: r.number, status: r.status }));
}
