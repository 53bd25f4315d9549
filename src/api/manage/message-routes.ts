/**
 * Send details: `GET /messages` (filters, paging), `GET /messages/:smsMsgId` (parts, events,
 * pushes) and `GET /messages.csv` (streamed export).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type MessageState, sendResultOf } from '../../domain/message-state.js';
import { isTemplateType } from '../../domain/signature.js';
import type { MessageRecord, OutboxRecord, PushAttempt } from '../../store/records.js';
import type { MessageFilter, Store } from '../../store/store.js';
import { invalid, notFound } from './http-error.js';
import { appIdFilter, listBody, type ManageDeps, PageQuery, pageOf, parseTimeParam } from './manage-deps.js';
import { attemptView, eventView, iso, messageView, outboxView, partView } from './views.js';

const STATES: readonly MessageState[] = [
  'ACCEPTED',
  'QUEUED',
  'SUBMITTED',
  'DELIVERED',
  'UNDELIVERED',
  'EXPIRED',
  'REJECTED',
  'FAILED',
];

const FilterQuery = {
  to: Type.Optional(Type.String()),
  smsMsgId: Type.Optional(Type.String()),
  app: Type.Optional(Type.String({ description: 'Application id or app key' })),
  templateId: Type.Optional(Type.String()),
  templateType: Type.Optional(Type.String()),
  channelNumber: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
  result: Type.Optional(
    Type.Union([Type.Literal('success'), Type.Literal('failed'), Type.Literal('sending')]),
  ),
  state: Type.Optional(Type.String()),
  statusCode: Type.Optional(Type.String()),
  status: Type.Optional(
    Type.String({
      description: 'A state name (QUEUED, DELIVERED, …) or a status code (DELIVRD, E200027, …)',
    }),
  ),
  since: Type.Optional(Type.String()),
  until: Type.Optional(Type.String()),
};
type FilterQueryT = { [K in keyof typeof FilterQuery]?: string };

/** Query parameters → store filter. Exported for the CSV export and tests. */
export async function messageFilter(store: Store, q: FilterQueryT): Promise<MessageFilter> {
  const f: MessageFilter = {};
  if (q.to) f.to = q.to.trim();
  if (q.smsMsgId) f.smsMsgId = q.smsMsgId;
  f.appId = await appIdFilter(store, q.app);
  if (q.templateId) f.templateId = q.templateId;
  if (q.templateType) {
    if (!isTemplateType(q.templateType)) throw invalid(`unknown templateType ${q.templateType}`);
    f.templateType = q.templateType;
  }
  if (q.channelNumber) f.channelNumber = q.channelNumber;
  if (q.signature) f.signatureName = q.signature;
  if (q.result) f.result = q.result as MessageFilter['result'];
  const state =
    q.state ?? (q.status && (STATES as readonly string[]).includes(q.status) ? q.status : undefined);
  if (state) {
    if (!(STATES as readonly string[]).includes(state)) throw invalid(`unknown state ${state}`);
    f.state = state as MessageState;
  }
  const code =
    q.statusCode ?? (q.status && !(STATES as readonly string[]).includes(q.status) ? q.status : undefined);
  if (code) f.statusCode = code;
  f.since = parseTimeParam('since', q.since);
  f.until = parseTimeParam('until', q.until);
  for (const k of Object.keys(f) as (keyof MessageFilter)[]) if (f[k] === undefined) delete f[k];
  return f;
}

const CSV_COLUMNS = [
  'smsMsgId',
  'createdAt',
  'appId',
  'from',
  'to',
  'countryId',
  'templateId',
  'templateType',
  'signatureName',
  'encoding',
  'total',
  'state',
  'result',
  'statusCode',
  'finalAt',
] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote always-dangerous characters; prefix formula starters so spreadsheets do not execute them.
  const safe = /^[=+\-@]/.test(s) && !/^\+?[0-9]+$/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(m: MessageRecord): string {
  const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    smsMsgId: m.smsMsgId,
    createdAt: iso(m.createdAt),
    appId: m.appId,
    from: m.channelNumber,
    to: m.to,
    countryId: m.countryId,
    templateId: m.templateId,
    templateType: m.templateType,
    signatureName: m.signatureName,
    encoding: m.encoding,
    total: m.total,
    state: m.state,
    result: sendResultOf(m.state),
    statusCode: m.statusCode,
    finalAt: iso(m.finalAt),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;
}

export async function messageRoutes(app: FastifyInstance, deps: ManageDeps): Promise<void> {
  const { store } = deps;
  const tags = ['messages'];

  app.get(
    '/messages',
    {
      schema: {
        tags,
        summary: 'Query send details',
        querystring: Type.Object({ ...FilterQuery, ...PageQuery }),
      },
    },
    async (req) => {
      const q = req.query as FilterQueryT & { limit?: number; offset?: number };
      const page = pageOf(q);
      return listBody(await store.queryMessages(await messageFilter(store, q), page), page, messageView);
    },
  );

  app.get(
    '/messages.csv',
    {
      schema: {
        tags,
        summary: 'Export send details as CSV (streamed)',
        querystring: Type.Object({
          ...FilterQuery,
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 })),
        }),
      },
    },
    async (req, res) => {
      const q = req.query as FilterQueryT & { limit?: number };
      const filter = await messageFilter(store, q);
      const limit = q.limit ?? 10_000;
      async function* rows() {
        yield `${CSV_COLUMNS.join(',')}\n`;
        let offset = 0;
        while (offset < limit) {
          const batch = await store.queryMessages(filter, { limit: Math.min(500, limit - offset), offset });
          for (const m of batch.items) yield csvRow(m);
          if (batch.items.length < 500) break;
          offset += batch.items.length;
        }
      }
      return res
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="messages.csv"')
        .send(Readable.from(rows()));
    },
  );

  app.get(
    '/messages/:smsMsgId',
    {
      schema: {
        tags,
        summary: 'One message with parts, events and pushes',
        params: Type.Object({ smsMsgId: Type.String() }),
      },
    },
    async (req) => {
      const id = (req.params as { smsMsgId: string }).smsMsgId;
      const d = await store.getMessageDetail(id);
      if (!d) throw notFound('message', id);
      return {
        message: messageView(d.message),
        parts: d.parts.map(partView),
        events: d.events.map(eventView),
        pushes: d.pushes.map((p) => {
          const attempts = (p.attempts as unknown as PushAttempt[]) ?? [];
          return { ...outboxView(p as unknown as OutboxRecord), attempts: attempts.map(attemptView) };
        }),
      };
    },
  );
}
