/** `/apps`: create, list, show, update, delete, freeze/unfreeze, reveal secret. */
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { parseAllowList } from '../../domain/ip-allow.js';
import type { AppPatch, Region } from '../../store/records.js';
import { invalid } from './http-error.js';
import { checkUrl, findAppOrThrow, listBody, type ManageDeps, PageQuery, pageOf } from './manage-deps.js';
import { appView } from './views.js';

const IpList = Type.Union([Type.Array(Type.String()), Type.String()]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** Settings an application may be created with and later patched; name and region are handled apart. */
const settingsFields = {
  uplinkUrl: Type.Optional(Nullable(Type.String())),
  batchReportUrl: Type.Optional(Nullable(Type.String())),
  ipAllowList: Type.Optional(IpList),
  pushSigning: Type.Optional(Type.Boolean()),
  uplinkCreateTime: Type.Optional(Type.Boolean()),
  tpsLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
};
const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    region: Type.Optional(Type.Union([Type.Literal('cn'), Type.Literal('intl')])),
    ...settingsFields,
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), ...settingsFields },
  { additionalProperties: false },
);
const AppParams = Type.Object({ app: Type.String({ description: 'Application id or app key' }) });

/**
 * `uplinkUrl` after {@link checkUrl}, refused for international apps: spec §8 says international
 * SMS has no uplink (only mainland apps set an uplink address), so accepting one would promise
 * pushes that never come. `null`/empty (clearing it) is always allowed.
 */
function uplinkUrlFor(region: Region, v: string | null | undefined): string | null | undefined {
  const url = checkUrl('uplinkUrl', v);
  if (url && region === 'intl')
    throw invalid('uplinkUrl is not available for international apps (international SMS has no uplink)');
  return url;
}

function allowList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  // Fastify's validator coerces a string into a one-item array, so split every item again.
  const r = parseAllowList(Array.isArray(v) ? v.join(',') : v);
  if (!r.ok) throw invalid(r.reason);
  return r.entries;
}

export async function appRoutes(app: FastifyInstance, deps: ManageDeps): Promise<void> {
  const { store } = deps;
  const tags = ['apps'];

  app.post(
    '/apps',
    { schema: { tags, summary: 'Create an application', body: CreateBody } },
    async (req, res) => {
      const b = req.body as Static<typeof CreateBody>;
      const region = b.region ?? 'cn';
      const created = await store.createApp({
        name: b.name,
        region,
        uplinkUrl: uplinkUrlFor(region, b.uplinkUrl) ?? null,
        batchReportUrl: checkUrl('batchReportUrl', b.batchReportUrl) ?? null,
        ipAllowList: allowList(b.ipAllowList) ?? [],
        status: 'active',
        pushSigning: b.pushSigning ?? false,
        uplinkCreateTime: b.uplinkCreateTime ?? false,
        tpsLimit: b.tpsLimit ?? null,
      });
      return res.code(201).send({ ...appView(created), appSecret: created.appSecret });
    },
  );

  app.get(
    '/apps',
    { schema: { tags, summary: 'List applications', querystring: Type.Object(PageQuery) } },
    async (req) => {
      const page = pageOf(req.query as { limit?: number; offset?: number });
      return listBody(await store.listApps(page), page, appView);
    },
  );

  app.get(
    '/apps/:app',
    { schema: { tags, summary: 'Show an application', params: AppParams } },
    async (req) => {
      return appView(await findAppOrThrow(store, (req.params as { app: string }).app));
    },
  );

  app.patch(
    '/apps/:app',
    { schema: { tags, summary: 'Update an application', params: AppParams, body: PatchBody } },
    async (req) => {
      const found = await findAppOrThrow(store, (req.params as { app: string }).app);
      const b = req.body as Static<typeof PatchBody>;
      const patch: AppPatch = {};
      if (b.name !== undefined) patch.name = b.name;
      if (b.uplinkUrl !== undefined) patch.uplinkUrl = uplinkUrlFor(found.region, b.uplinkUrl) ?? null;
      if (b.batchReportUrl !== undefined)
        patch.batchReportUrl = checkUrl('batchReportUrl', b.batchReportUrl) ?? null;
      if (b.ipAllowList !== undefined) patch.ipAllowList = allowList(b.ipAllowList);
      if (b.pushSigning !== undefined) patch.pushSigning = b.pushSigning;
      if (b.uplinkCreateTime !== undefined) patch.uplinkCreateTime = b.uplinkCreateTime;
      if (b.tpsLimit !== undefined) patch.tpsLimit = b.tpsLimit;
      const updated = await store.updateApp(found.id, patch);
      return appView(updated ?? found);
    },
  );

  app.delete(
    '/apps/:app',
    { schema: { tags, summary: 'Delete an application', params: AppParams } },
    async (req, res) => {
      const found = await findAppOrThrow(store, (req.params as { app: string }).app);
      await store.deleteApp(found.id);
      return res.code(204).send();
    },
  );

  for (const [action, status] of [
    ['freeze', 'frozen'],
    ['unfreeze', 'active'],
  ] as const) {
    app.post(
      `/apps/:app/${action}`,
      { schema: { tags, summary: `${action} an application`, params: AppParams } },
      async (req) => {
        const found = await findAppOrThrow(store, (req.params as { app: string }).app);
        return appView((await store.updateApp(found.id, { status })) ?? found);
      },
    );
  }

  app.get(
    '/apps/:app/secret',
    { schema: { tags, summary: 'Reveal the app secret', params: AppParams } },
    async (req) => {
      const found = await findAppOrThrow(store, (req.params as { app: string }).app);
      return { appKey: found.appKey, appSecret: found.appSecret };
    },
  );
}
