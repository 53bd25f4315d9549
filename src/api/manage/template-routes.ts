/**
 * `/templates`: create (content validated with parseTemplate), list, show, update (rejected
 * only), delete, approve, reject, activate, deactivate, and `POST /templates/preview`.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { segmentText } from '../../domain/segments.js';
import {
  parseTemplate,
  renderMessage,
  renderTemplate,
  type TemplateVariable,
  type VariableAttribute,
  validateParams,
} from '../../domain/template.js';
import type { TemplateRecord, TemplateStatus } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { HttpError, invalid, notFound } from './http-error.js';
import { appIdFilter, findAppOrThrow, listBody, type ManageDeps, PageQuery, pageOf } from './manage-deps.js';
import { deleteRoute, IdParams, idOf, type ReviewedKind, rejectRoute, showRoute } from './review-routes.js';
import { findSignatureOrThrow, TemplateTypeSchema } from './signature-routes.js';
import { templateView } from './views.js';

const Attribute = Type.Union(['PHONE', 'CHARDIGIT', 'DATETIME', 'MONEY', 'TEXT'].map((a) => Type.Literal(a)));
const Attributes = Type.Record(Type.String({ pattern: '^[0-9]{1,2}$' }), Attribute);
const StatusSchema = Type.Union(['pending', 'active', 'inactive', 'rejected'].map((s) => Type.Literal(s)));

async function findTemplateOrThrow(store: Store, id: string): Promise<TemplateRecord> {
  const t = await store.getTemplate(id);
  if (!t) throw notFound('template', id);
  return t;
}

function toAttributes(a: Record<string, string> | undefined): Record<number, VariableAttribute> {
  const out: Record<number, VariableAttribute> = {};
  for (const [k, v] of Object.entries(a ?? {})) out[Number(k)] = v as VariableAttribute;
  return out;
}

function variablesOrThrow(
  content: string,
  attributes: Record<number, VariableAttribute>,
): TemplateVariable[] {
  const parsed = parseTemplate(content, attributes);
  if (!parsed.ok) throw invalid('invalid template content', parsed.errors);
  return parsed.variables;
}

export async function templateRoutes(app: FastifyInstance, deps: ManageDeps): Promise<void> {
  const { store, config } = deps;
  const tags = ['templates'];
  const kind: ReviewedKind<TemplateRecord> = {
    path: '/templates',
    noun: 'template',
    tags,
    find: (id) => findTemplateOrThrow(store, id),
    remove: (id) => store.deleteTemplate(id),
    reject: (id, reason) => store.setTemplateStatus(id, 'rejected', reason),
    view: templateView,
  };

  app.post(
    '/templates',
    {
      schema: {
        tags,
        summary: 'Create a template (auto-approved in the demo profile)',
        body: Type.Object(
          {
            app: Type.String(),
            signatureId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            universal: Type.Optional(Type.Boolean()),
            name: Type.String({ minLength: 1, maxLength: 64 }),
            type: TemplateTypeSchema,
            content: Type.String(),
            variableAttributes: Type.Optional(Attributes),
            region: Type.Optional(Type.Union([Type.Literal('cn'), Type.Literal('intl')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, res) => {
      const b = req.body as {
        app: string;
        signatureId?: string | null;
        universal?: boolean;
        name: string;
        type: TemplateRecord['type'];
        content: string;
        variableAttributes?: Record<string, string>;
        region?: 'cn' | 'intl';
      };
      const owner = await findAppOrThrow(store, b.app);
      const attributes = toAttributes(b.variableAttributes);
      variablesOrThrow(b.content, attributes);
      const universal = b.universal === true;
      let signatureId: string | null = null;
      if (owner.region === 'cn') {
        if (universal && b.signatureId)
          throw invalid('a universal template is not bound to a signature; omit signatureId');
        if (!universal) {
          if (!b.signatureId) throw invalid('a mainland template needs signatureId or universal: true');
          const sig = await findSignatureOrThrow(store, b.signatureId);
          if (sig.appId !== owner.id) throw invalid('the signature belongs to another application');
          if (sig.type !== b.type)
            throw invalid(`template type ${b.type} must equal the signature type ${sig.type}`);
          signatureId = sig.id;
        }
      } else if (b.signatureId || universal) {
        throw invalid('international templates take no signature');
      }
      let tpl = await store.createTemplate({
        appId: owner.id,
        signatureId,
        universal,
        name: b.name,
        type: b.type,
        region: b.region ?? owner.region,
        content: b.content,
        variableAttributes: attributes,
      });
      if (config.demo) tpl = (await store.setTemplateStatus(tpl.id, 'active')) ?? tpl;
      return res.code(201).send(templateView(tpl));
    },
  );

  app.get(
    '/templates',
    {
      schema: {
        tags,
        summary: 'List templates',
        querystring: Type.Object({
          app: Type.Optional(Type.String()),
          status: Type.Optional(StatusSchema),
          signatureId: Type.Optional(Type.String()),
          ...PageQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query as {
        app?: string;
        status?: TemplateStatus;
        signatureId?: string;
        limit?: number;
        offset?: number;
      };
      const page = pageOf(q);
      const appId = await appIdFilter(store, q.app);
      return listBody(
        await store.listTemplates({ appId, status: q.status, signatureId: q.signatureId }, page),
        page,
        templateView,
      );
    },
  );

  showRoute(app, kind);

  app.patch(
    '/templates/:id',
    {
      schema: {
        tags,
        summary: 'Edit a rejected template (goes back to pending)',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            content: Type.Optional(Type.String()),
            type: Type.Optional(TemplateTypeSchema),
            variableAttributes: Type.Optional(Attributes),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const tpl = await findTemplateOrThrow(store, idOf(req));
      if (tpl.status !== 'rejected')
        throw new HttpError('INVALID_STATE', 'only a rejected template can be edited');
      const b = req.body as {
        name?: string;
        content?: string;
        type?: TemplateRecord['type'];
        variableAttributes?: Record<string, string>;
      };
      const attributes = b.variableAttributes ? toAttributes(b.variableAttributes) : tpl.variableAttributes;
      variablesOrThrow(b.content ?? tpl.content, attributes);
      const updated = await store.updateTemplate(tpl.id, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.content !== undefined ? { content: b.content } : {}),
        ...(b.type !== undefined ? { type: b.type } : {}),
        ...(b.variableAttributes !== undefined ? { variableAttributes: attributes } : {}),
      });
      if (!updated) throw new HttpError('INVALID_STATE', 'only a rejected template can be edited');
      return templateView(updated);
    },
  );

  deleteRoute(app, kind);

  /** Status transitions: [action, allowed from-states, target, idempotent states]. */
  const transitions: Array<[string, TemplateStatus[], TemplateStatus, TemplateStatus[]]> = [
    ['approve', ['pending', 'rejected'], 'active', ['active', 'inactive']],
    ['activate', ['inactive'], 'active', ['active']],
    ['deactivate', ['active'], 'inactive', ['inactive']],
  ];
  for (const [action, from, to, idempotent] of transitions) {
    app.post(
      `/templates/:id/${action}`,
      { schema: { tags, summary: `${action} a template`, params: IdParams } },
      async (req) => {
        const tpl = await findTemplateOrThrow(store, idOf(req));
        if (idempotent.includes(tpl.status)) return templateView(tpl);
        if (!from.includes(tpl.status))
          throw new HttpError('INVALID_STATE', `cannot ${action} a ${tpl.status} template`);
        return templateView((await store.setTemplateStatus(tpl.id, to)) ?? tpl);
      },
    );
  }

  rejectRoute(app, kind);

  app.post(
    '/templates/preview',
    {
      schema: {
        tags,
        summary: 'Render a template with sample parameters: text, encoding, segments',
        body: Type.Object(
          {
            templateId: Type.Optional(Type.String()),
            content: Type.Optional(Type.String()),
            variableAttributes: Type.Optional(Attributes),
            signature: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            params: Type.Optional(Type.Array(Type.String())),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const b = req.body as {
        templateId?: string;
        content?: string;
        variableAttributes?: Record<string, string>;
        signature?: string | null;
        params?: string[];
      };
      let content: string;
      let attributes: Record<number, VariableAttribute>;
      let signature: string | null = b.signature ?? null;
      if (b.templateId !== undefined) {
        const tpl = await findTemplateOrThrow(store, b.templateId);
        content = tpl.content;
        attributes = tpl.variableAttributes;
        if (b.signature === undefined && tpl.signatureId)
          signature = (await store.getSignature(tpl.signatureId))?.name ?? null;
      } else if (b.content !== undefined) {
        content = b.content;
        attributes = toAttributes(b.variableAttributes);
      } else {
        throw invalid('give templateId or content');
      }
      const variables = variablesOrThrow(content, attributes);
      let values: string[];
      if (b.params === undefined) {
        values = variables.map((v) => v.token);
      } else {
        const checked = validateParams(variables, b.params);
        if (!checked.ok) throw invalid(`invalid params: ${checked.reason}`, [checked.reason]);
        values = checked.values;
      }
      const text = renderMessage(signature, renderTemplate(content, variables, values));
      const seg = segmentText(text);
      return {
        text,
        length: [...text].length,
        encoding: seg.encoding,
        forcedUcs2: seg.forcedUcs2,
        total: seg.total,
        segments: seg.segments,
        variables: variables.map((v) => ({
          position: v.position,
          token: v.token,
          attribute: v.attribute,
          maxLength: v.maxLength,
        })),
      };
    },
  );
}
