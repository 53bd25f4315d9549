/**
 * The management API as one encapsulated plugin (mounted at `/api/v1`): bearer-token check,
 * the `{ error: { code, message } }` error shape, and every route file.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appRoutes } from './app-routes.js';
import { carrierRoutes } from './carrier-routes.js';
import { clusterRoutes } from './cluster-routes.js';
import { errorPayload, HttpError } from './http-error.js';
import type { ManageDeps } from './manage-deps.js';
import { messageRoutes } from './message-routes.js';
import { opsRoutes } from './ops-routes.js';
import { signatureRoutes } from './signature-routes.js';
import { templateRoutes } from './template-routes.js';

/** Constant-time token comparison (hashing first makes the lengths equal). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function managePlugin(
  app: FastifyInstance,
  deps: ManageDeps & { authenticate?: (req: FastifyRequest, res: FastifyReply) => Promise<void> },
): Promise<void> {
  const expected = deps.config.adminToken;
  // The console's hook (src/api/console) accepts the bearer token OR a console session + CSRF.
  if (deps.authenticate) app.addHook('onRequest', deps.authenticate);
  else
    app.addHook('onRequest', async (req, res) => {
      const h = req.headers.authorization ?? '';
      const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
      if (!m || !tokenMatches(m[1], expected)) {
        return res
          .code(401)
          .send(
            errorPayload('UNAUTHORIZED', 'missing or invalid admin token (Authorization: Bearer <token>)'),
          );
      }
    });

  app.setErrorHandler((err: FastifyError | HttpError, req, res) => {
    if (err instanceof HttpError)
      return res.code(err.statusCode).send(errorPayload(err.code, err.message, err.details));
    const fe = err as FastifyError;
    if (fe.validation) return res.code(400).send(errorPayload('VALIDATION_FAILED', fe.message));
    if (/unique|duplicate/i.test(fe.message ?? ''))
      return res.code(409).send(errorPayload('CONFLICT', 'an entity with these values already exists'));
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      return res.code(fe.statusCode).send(errorPayload('VALIDATION_FAILED', fe.message));
    }
    req.log.error({ err }, 'management request failed');
    return res.code(500).send(errorPayload('INTERNAL', `internal error (request ${req.id})`));
  });

  app.setNotFoundHandler((req, res) =>
    res.code(404).send(errorPayload('NOT_FOUND', `no route ${req.method} ${req.url}`)),
  );

  for (const routes of [
    appRoutes,
    signatureRoutes,
    templateRoutes,
    messageRoutes,
    opsRoutes,
    carrierRoutes,
    clusterRoutes,
  ]) {
    await app.register(routes, deps);
  }
}
