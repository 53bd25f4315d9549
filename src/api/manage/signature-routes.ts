/** `/signatures`: create, list, show, update (rejected only), delete, approve, reject. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { TEMPLATE_TYPES, validateSignatureName } from '../../domain/signature.js';
import type { SignatureRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { HttpError, invalid, notFound } from './http-error.js';
import { appIdFilter, findAppOrThrow, listBody, type ManageDeps, PageQuery, pageOf } from './manage-deps.js';
import { deleteRoute, IdParams, idOf, type ReviewedKind, rejectRoute, showRoute } from './review-routes.js';
import { signatureView } from './views.js';

export const TemplateTypeSchema = Type.Union(TEMPLATE_TYPES.map((t) => Type.Literal(t)));
const ReviewStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
]);

export async function findSignatureOrThrow(store: Store, id: string): Promise<SignatureRecord> {
  const sig = await store.getSignature(id);
  if (!sig) throw notFound('signature', id);
  return sig;
}

function checkName(name: string): void {
  const why = validateSignatureName(name);
  if (why) throw invalid(why);
}

export async function signatureRoutes(app: FastifyInstance, deps: ManageDeps): Promise<void> {
  const { store, config } = deps;
  const tags = ['signatures'];
  const kind: ReviewedKind<SignatureRecord> = {
    path: '/signatures',
    noun: 'signature',
    tags,
    find: (id) => findSignatureOrThrow(store, id),
    remove: (id) => store.deleteSignature(id),
    reject: (id, reason) => store.rejectSignature(id, reason),
    view: signatureView,
  };

  app.post(
    '/signatures',
    {
      schema: {
        tags,
        summary: 'Create a signature (auto-approved in the demo profile)',
        body: Type.Object(
          { app: Type.String(), name: Type.String(), type: TemplateTypeSchema },
          { additionalProperties: false },
        ),
      },
    },
    async (req, res) => {
      const b = req.body as { app: string; name: string; type: SignatureRecord['type'] };
      const owner = await findAppOrThrow(store, b.app);
      if (owner.region !== 'cn')
        throw invalid('signatures exist only for Chinese-mainland (cn) applications');
      checkName(b.name);
      if (await store.findSignatureByName(owner.id, b.name)) {
        throw new HttpError('CONFLICT', `signature ${b.name} already exists in this application`);
      }
      let sig = await store.createSignature({ appId: owner.id, name: b.name, type: b.type });
      if (config.demo) sig = (await store.approveSignature(sig.id)) ?? sig;
      return res.code(201).send(signatureView(sig));
    },
  );

  app.get(
    '/signatures',
    {
      schema: {
        tags,
        summary: 'List signatures',
        querystring: Type.Object({
          app: Type.Optional(Type.String()),
          status: Type.Optional(ReviewStatus),
          ...PageQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query as {
        app?: string;
        status?: SignatureRecord['status'];
        limit?: number;
        offset?: number;
      };
      const page = pageOf(q);
      const appId = await appIdFilter(store, q.app);
      return listBody(await store.listSignatures({ appId, status: q.status }, page), page, signatureView);
    },
  );

  showRoute(app, kind);

  app.patch(
    '/signatures/:id',
    {
      schema: {
        tags,
        summary: 'Edit a rejected signature (goes back to pending)',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Type.String()), type: Type.Optional(TemplateTypeSchema) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const sig = await findSignatureOrThrow(store, idOf(req));
      const b = req.body as { name?: string; type?: SignatureRecord['type'] };
      if (sig.status !== 'rejected')
        throw new HttpError('INVALID_STATE', 'only a rejected signature can be edited');
      if (b.name !== undefined) checkName(b.name);
      const updated = await store.updateSignature(sig.id, b);
      if (!updated) throw new HttpError('INVALID_STATE', 'only a rejected signature can be edited');
      return signatureView(updated);
    },
  );

  deleteRoute(app, kind);

  app.post(
    '/signatures/:id/approve',
    { schema: { tags, summary: 'Approve (idempotent); allocates the channel number', params: IdParams } },
    async (req) => {
      const sig = await findSignatureOrThrow(store, idOf(req));
      return signatureView((await store.approveSignature(sig.id)) ?? sig);
    },
  );

  rejectRoute(app, kind);
}
