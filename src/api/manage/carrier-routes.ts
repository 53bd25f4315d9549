/** `/connectors` and `/routes`: the SMPP carriers and the routing table. */
import type { FastifyInstance } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { MESSAGE_ID_MODES } from '../../smpp/message-id.js';
import type { NewConnector, NewRoute } from '../../store/records.js';
import { notFound } from './http-error.js';
import type { ManageDeps } from './manage-deps.js';
import { connectorView, routeView } from './views.js';

const lit = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const connectorFields = {
  name: Type.String({ minLength: 1, maxLength: 64 }),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  systemId: Type.String({ maxLength: 16 }),
  password: Type.String({ maxLength: 9 }),
  systemType: Type.String({ maxLength: 13 }),
  bindMode: lit(['transceiver', 'transmitter_receiver']),
  binds: Type.Integer({ minimum: 1, maximum: 64 }),
  window: Type.Integer({ minimum: 1, maximum: 1000 }),
  tps: Type.Integer({ minimum: 0 }),
  concat: lit(['udh8', 'udh16', 'sar', 'payload']),
  textMode: lit(['gsm7', 'gsm7-packed', 'latin1']),
  msgIdType: lit(MESSAGE_ID_MODES),
  tls: Type.Boolean(),
  enabled: Type.Boolean(),
};
/** Every field optional (schemas only; handlers cast the validated body). */
const optional = (fields: Record<string, TSchema>): Record<string, TSchema> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)]));

const CreateConnector = Type.Object(
  {
    ...optional(connectorFields),
    name: connectorFields.name,
    host: connectorFields.host,
    port: connectorFields.port,
    systemId: connectorFields.systemId,
    password: connectorFields.password,
  },
  { additionalProperties: false },
);
const PatchConnector = Type.Object(optional(connectorFields), { additionalProperties: false });

const routeFields = {
  name: Type.String({ minLength: 1, maxLength: 64 }),
  priority: Type.Integer(),
  match: Type.Object(
    {
      prefixes: Type.Optional(Type.Array(Type.String())),
      countries: Type.Optional(Type.Array(Type.String())),
      appIds: Type.Optional(Type.Array(Type.String())),
      templateTypes: Type.Optional(Type.Array(lit(['VERIFY_CODE_TYPE', 'NOTIFY_TYPE', 'PROMOTION_TYPE']))),
    },
    { additionalProperties: false },
  ),
  connectorIds: Type.Array(Type.String(), { minItems: 1 }),
  strategy: lit(['failover', 'roundrobin']),
  enabled: Type.Boolean(),
};
const CreateRoute = Type.Object(
  { ...optional(routeFields), name: routeFields.name, connectorIds: routeFields.connectorIds },
  { additionalProperties: false },
);
const PatchRoute = Type.Object(optional(routeFields), { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String() });

/** Connector defaults for fields a create request leaves out. */
export const CONNECTOR_DEFAULTS = {
  systemType: '',
  bindMode: 'transceiver',
  binds: 1,
  window: 10,
  tps: 0,
  concat: 'udh8',
  textMode: 'gsm7',
  msgIdType: 'auto',
  tls: false,
  enabled: true,
} as const;

export async function carrierRoutes(app: FastifyInstance, deps: ManageDeps): Promise<void> {
  const { store } = deps;
  const tags = ['carriers'];

  app.get('/connectors', { schema: { tags, summary: 'List SMPP connectors' } }, async () => ({
    items: (await store.listConnectors()).map(connectorView),
  }));
  app.post(
    '/connectors',
    { schema: { tags, summary: 'Create an SMPP connector', body: CreateConnector } },
    async (req, res) => {
      const c = await store.createConnector({
        ...CONNECTOR_DEFAULTS,
        ...(req.body as object),
      } as NewConnector);
      return res.code(201).send(connectorView(c));
    },
  );
  app.get(
    '/connectors/:id',
    { schema: { tags, summary: 'Show a connector', params: IdParams } },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const c = await store.getConnector(id);
      if (!c) throw notFound('connector', id);
      return connectorView(c);
    },
  );
  app.patch(
    '/connectors/:id',
    { schema: { tags, summary: 'Update a connector', params: IdParams, body: PatchConnector } },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const c = await store.updateConnector(id, req.body as Partial<NewConnector>);
      if (!c) throw notFound('connector', id);
      return connectorView(c);
    },
  );
  app.delete(
    '/connectors/:id',
    { schema: { tags, summary: 'Delete a connector', params: IdParams } },
    async (req, res) => {
      const id = (req.params as { id: string }).id;
      if (!(await store.deleteConnector(id))) throw notFound('connector', id);
      return res.code(204).send();
    },
  );

  app.get('/routes', { schema: { tags, summary: 'List routes' } }, async () => ({
    items: (await store.listRoutes()).map(routeView),
  }));
  app.post(
    '/routes',
    { schema: { tags, summary: 'Create a route', body: CreateRoute } },
    async (req, res) => {
      const r = await store.createRoute({
        priority: 100,
        match: {},
        strategy: 'failover',
        enabled: true,
        ...(req.body as object),
      } as NewRoute);
      return res.code(201).send(routeView(r));
    },
  );
  app.patch(
    '/routes/:id',
    { schema: { tags, summary: 'Update a route', params: IdParams, body: PatchRoute } },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const r = await store.updateRoute(id, req.body as Partial<NewRoute>);
      if (!r) throw notFound('route', id);
      return routeView(r);
    },
  );
  app.delete(
    '/routes/:id',
    { schema: { tags, summary: 'Delete a route', params: IdParams } },
    async (req, res) => {
      const id = (req.params as { id: string }).id;
      if (!(await store.deleteRoute(id))) throw notFound('route', id);
      return res.code(204).send();
    },
  );
}
