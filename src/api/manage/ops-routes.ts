/**
 * Operator routes: statistics, overview, blocklist, uplink (MO) list, pushes (outbox) with
 * redelivery, the embedded simulator, and the code catalogues.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { API_CODES } from '../../domain/api-codes.js';
import { isTemplateType } from '../../domain/signature.js';
import { describeStatus, STATUS_CODES } from '../../domain/status-codes.js';
import type { OutboxState } from '../../store/records.js';
import { HttpError, invalid, notFound } from './http-error.js';
import { appIdFilter, listBody, type ManageDeps, PageQuery, pageOf, parseTimeParam } from './manage-deps.js';
import { blockView, moView, outboxView } from './views.js';

const DAY = 24 * 60 * 60 * 1000;

export async function opsRoutes(app: FastifyInstance, deps: ManageDeps): Promise<void> {
  const { store, config } = deps;
  const Range = {
    since: Type.Optional(Type.String()),
    until: Type.Optional(Type.String()),
    app: Type.Optional(Type.String()),
  };

  app.get(
    '/stats/daily',
    {
      schema: {
        tags: ['stats'],
        summary: 'Daily counts per app and template type',
        querystring: Type.Object({ ...Range, templateType: Type.Optional(Type.String()) }),
      },
    },
    async (req) => {
      const q = req.query as { since?: string; until?: string; app?: string; templateType?: string };
      const until = parseTimeParam('until', q.until) ?? Date.now();
      const since = parseTimeParam('since', q.since) ?? until - 7 * DAY;
      if (q.templateType && !isTemplateType(q.templateType))
        throw invalid(`unknown templateType ${q.templateType}`);
      const appId = await appIdFilter(store, q.app);
      const items = await store.statsByDay({ since, until, appId, templateType: q.templateType as never });
      return { items };
    },
  );

  app.get(
    '/stats/failures',
    {
      schema: {
        tags: ['stats'],
        summary: 'Failures by status code with descriptions',
        querystring: Type.Object(Range),
      },
    },
    async (req) => {
      const q = req.query as { since?: string; until?: string; app?: string };
      const until = parseTimeParam('until', q.until) ?? Date.now();
      const since = parseTimeParam('since', q.since) ?? until - 7 * DAY;
      const appId = await appIdFilter(store, q.app);
      const rows = await store.failureBreakdown({ since, until, appId });
      return {
        items: rows.map((r) => {
          const info = describeStatus(r.statusCode);
          return {
            statusCode: r.statusCode,
            count: r.count,
            description: info.description,
            suggestion: info.suggestion,
            source: info.source,
          };
        }),
      };
    },
  );

  app.get('/overview', { schema: { tags: ['stats'], summary: 'Dashboard numbers' } }, async () => {
    const now = Date.now();
    const [apps, pendingSignatures, pendingTemplates, queueDepth, outboxBacklog, days] = await Promise.all([
      store.listApps({ limit: 1 }),
      store.listSignatures({ status: 'pending' }, { limit: 1 }),
      store.listTemplates({ status: 'pending' }, { limit: 1 }),
      store.queueDepth(),
      store.outboxBacklog(),
      store.statsByDay({ since: now - DAY, until: now }),
    ]);
    const last24h = { sent: 0, delivered: 0, failed: 0, pending: 0 };
    for (const d of days) {
      last24h.sent += d.sent;
      last24h.delivered += d.delivered;
      last24h.failed += d.failed;
      last24h.pending += d.pending;
    }
    return {
      apps: apps.total,
      pendingSignatures: pendingSignatures.total,
      pendingTemplates: pendingTemplates.total,
      queueDepth,
      outboxBacklog,
      last24h,
      demo: config.demo,
      engine: deps.engine ? deps.engine.status() : null,
      simulator: { running: deps.simulator !== undefined, port: deps.simulator?.port ?? null },
    };
  });

  // blocklist
  app.get(
    '/blocklist',
    {
      schema: {
        tags: ['blocklist'],
        summary: 'List blocked numbers',
        querystring: Type.Object({
          app: Type.Optional(Type.String()),
          number: Type.Optional(Type.String()),
          ...PageQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query as { app?: string; number?: string; limit?: number; offset?: number };
      const page = pageOf(q);
      const appId = await appIdFilter(store, q.app);
      return listBody(await store.listBlocks({ appId, number: q.number }, page), page, blockView);
    },
  );
  app.post(
    '/blocklist',
    {
      schema: {
        tags: ['blocklist'],
        summary: 'Block a number (globally or for one app)',
        body: Type.Object(
          {
            number: Type.String({ pattern: '^\\+?[0-9]{3,21}$' }),
            app: Type.Optional(Type.String()),
            scope: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('promotion')])),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, res) => {
      const b = req.body as { number: string; app?: string; scope?: 'all' | 'promotion'; note?: string };
      const appId = (await appIdFilter(store, b.app)) ?? null;
      const entry = await store.addBlock({
        appId,
        number: b.number,
        scope: b.scope ?? 'all',
        reason: 'manual',
        note: b.note ?? null,
      });
      return res.code(201).send(blockView(entry));
    },
  );
  app.delete(
    '/blocklist/:id',
    { schema: { tags: ['blocklist'], summary: 'Unblock', params: Type.Object({ id: Type.Integer() }) } },
    async (req, res) => {
      const id = (req.params as { id: number }).id;
      if (!(await store.removeBlock(id))) throw notFound('blocklist entry', String(id));
      return res.code(204).send();
    },
  );

  // uplink
  app.get(
    '/mo',
    {
      schema: {
        tags: ['uplink'],
        summary: 'List received (MO) messages',
        querystring: Type.Object({
          app: Type.Optional(Type.String()),
          from: Type.Optional(Type.String()),
          since: Type.Optional(Type.String()),
          until: Type.Optional(Type.String()),
          ...PageQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query as {
        app?: string;
        from?: string;
        since?: string;
        until?: string;
        limit?: number;
        offset?: number;
      };
      const page = pageOf(q);
      const filter = {
        appId: await appIdFilter(store, q.app),
        from: q.from,
        since: parseTimeParam('since', q.since),
        until: parseTimeParam('until', q.until),
      };
      return listBody(await store.listMo(filter, page), page, moView);
    },
  );

  // pushes (outbox)
  app.get(
    '/pushes',
    {
      schema: {
        tags: ['pushes'],
        summary: 'List status-report and uplink pushes',
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union(['pending', 'leased', 'delivered', 'dead'].map((s) => Type.Literal(s))),
          ),
          app: Type.Optional(Type.String()),
          messageId: Type.Optional(Type.Integer()),
          ...PageQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query as {
        state?: OutboxState;
        app?: string;
        messageId?: number;
        limit?: number;
        offset?: number;
      };
      const page = pageOf(q);
      const appId = await appIdFilter(store, q.app);
      return listBody(
        await store.listOutbox({ state: q.state, appId, messageId: q.messageId }, page),
        page,
        outboxView,
      );
    },
  );
  app.post(
    '/pushes/:id/redeliver',
    {
      schema: {
        tags: ['pushes'],
        summary: 'Queue a push again, due now',
        params: Type.Object({ id: Type.Integer() }),
      },
    },
    async (req) => {
      const id = (req.params as { id: number }).id;
      const row = await store.redeliverOutbox(id, Date.now());
      if (!row) throw notFound('push', String(id));
      return outboxView(row);
    },
  );

  // simulator
  app.post(
    '/simulator/mo',
    {
      schema: {
        tags: ['simulator'],
        summary: 'Inject an MO (uplink) message through the embedded simulator',
        body: Type.Object(
          { from: Type.String({ minLength: 1 }), to: Type.String({ minLength: 1 }), text: Type.String() },
          { additionalProperties: false },
        ),
      },
    },
    async (req, res) => {
      if (!deps.simulator)
        throw new HttpError('UNAVAILABLE', 'no embedded simulator is running on this server');
      await deps.simulator.injectMo(req.body as { from: string; to: string; text: string });
      return res.code(202).send({ ok: true });
    },
  );
  app.get(
    '/simulator/magic-numbers',
    { schema: { tags: ['simulator'], summary: 'Number suffixes that force an outcome' } },
    async () => {
      if (!deps.simulator)
        throw new HttpError('UNAVAILABLE', 'no embedded simulator is running on this server');
      return { items: deps.simulator.magicNumbers() };
    },
  );

  // catalogues
  app.get('/codes', { schema: { tags: ['codes'], summary: 'Both code catalogues' } }, async () => ({
    api: Object.values(API_CODES),
    status: Object.values(STATUS_CODES),
  }));
  app.get(
    '/codes/:code',
    {
      schema: {
        tags: ['codes'],
        summary: 'Look up one API or status code',
        params: Type.Object({ code: Type.String() }),
      },
    },
    async (req) => {
      const code = (req.params as { code: string }).code;
      if (Object.hasOwn(API_CODES, code)) return { kind: 'api', ...API_CODES[code] };
      if (Object.hasOwn(STATUS_CODES, code)) return { kind: 'status', ...STATUS_CODES[code] };
      throw notFound('code', code);
    },
  );
}
