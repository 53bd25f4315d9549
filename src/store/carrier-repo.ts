/** Connectors (SMPP accounts) and routes. Their settings are kept as one JSON column each. */
import { newId } from '../domain/ids.js';
import type { ConnectorRecord, NewConnector, NewRoute, RouteRecord } from './records.js';
import { toConnector, toRoute } from './row-mappers.js';
import type { StoreContext } from './store-context.js';

export async function createConnector(ctx: StoreContext, c: NewConnector): Promise<ConnectorRecord> {
  const now = Date.now();
  const row = { id: newId(), name: c.name, config: JSON.stringify(c), created_at: now, updated_at: now };
  await ctx.db.insertInto('connectors').values(row).execute();
  return toConnector(row);
}

export async function getConnector(ctx: StoreContext, id: string): Promise<ConnectorRecord | undefined> {
  const r = await ctx.db.selectFrom('connectors').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toConnector(r);
}

export async function listConnectors(ctx: StoreContext): Promise<ConnectorRecord[]> {
  const rows = await ctx.db
    .selectFrom('connectors')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toConnector);
}

export async function updateConnector(
  ctx: StoreContext,
  id: string,
  patch: Partial<NewConnector>,
): Promise<ConnectorRecord | undefined> {
  const cur = await getConnector(ctx, id);
  if (!cur) return undefined;
  const { id: _id, createdAt: _c, updatedAt: _u, ...cfg } = cur;
  const next: NewConnector = { ...cfg, ...patch };
  const r = await ctx.db
    .updateTable('connectors')
    .set({ name: next.name, config: JSON.stringify(next), updated_at: Date.now() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return r && toConnector(r);
}

export async function deleteConnector(ctx: StoreContext, id: string): Promise<boolean> {
  const r = await ctx.db.deleteFrom('connectors').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function createRoute(ctx: StoreContext, route: NewRoute): Promise<RouteRecord> {
  const now = Date.now();
  const row = {
    id: newId(),
    name: route.name,
    priority: route.priority,
    config: JSON.stringify(route),
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('routes').values(row).execute();
  return toRoute(row);
}

/** Routes in run order: priority, then age. */
export async function listRoutes(ctx: StoreContext): Promise<RouteRecord[]> {
  const rows = await ctx.db
    .selectFrom('routes')
    .selectAll()
    .orderBy('priority')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRoute);
}

export async function updateRoute(
  ctx: StoreContext,
  id: string,
  patch: Partial<NewRoute>,
): Promise<RouteRecord | undefined> {
  const cur = await ctx.db.selectFrom('routes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!cur) return undefined;
  const { id: _id, createdAt: _c, updatedAt: _u, ...cfg } = toRoute(cur);
  const next: NewRoute = { ...cfg, ...patch };
  const r = await ctx.db
    .updateTable('routes')
    .set({ name: next.name, priority: next.priority, config: JSON.stringify(next), updated_at: Date.now() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return r && toRoute(r);
}

export async function deleteRoute(ctx: StoreContext, id: string): Promise<boolean> {
  const r = await ctx.db.deleteFrom('routes').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
