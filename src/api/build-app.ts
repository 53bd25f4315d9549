/**
 * Builds the HTTP application: the MSGSMS send routes, the management API under `/api/v1`,
 * health/readiness, metrics, OpenAPI + `/docs`, and the web console's static files. Never
 * listens (tests use `app.inject()`; `main.ts` calls `listen`).
 */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { NonceReplayGuard } from '../auth/nonce-replay-guard.js';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { registerConsole } from './console/index.js';
import { DOCS_HTML } from './docs-page.js';
import { errorPayload } from './manage/http-error.js';
import type { SimulatorHandle } from './manage/manage-deps.js';
import { managePlugin } from './manage/manage-plugin.js';
import { createMetrics } from './metrics.js';
import { errorBody, SEND_CONTENT_TYPE } from './send/build-response.js';
import { sendRoutes } from './send/send-routes.js';

export interface BuildAppDeps {
  store: Store;
  config: Config;
  /** A pino logger; default: no request logging (tests, benchmarks). */
  log?: FastifyBaseLogger;
  simulator?: SimulatorHandle;
  engine?: { status(): unknown };
  /** X-WSSE nonce memory; default a fresh guard per app. */
  replay?: NonceReplayGuard;
  /** Clock for the send routes; default `Date.now`. */
  now?: () => number;
  /**
   * Where one-time notices go (the generated console password on first start). Default: nowhere —
   * the password is also saved in `<dataDir>/admin-password`; `startServer` passes stdout.
   */
  print?: (text: string) => void;
}

/**
 * @throws Error at registration when an option is unusable (e.g. a console directory that is a
 * file): bad configuration fails at boot, not on the first request.
 */
export async function buildApp(deps: BuildAppDeps): Promise<FastifyInstance> {
  const { store, config } = deps;
  const app = Fastify({
    ...(deps.log ? { loggerInstance: deps.log } : { logger: false }),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // One log line per request would cost more than the request itself on the send path.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Huawei's paths are case-sensitive and exact (spec §17); keep it that way.
    routerOptions: { caseSensitive: true },
  }) as unknown as FastifyInstance;

  const metrics = createMetrics(store);
  app.addHook('onResponse', async (req, res) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, res.elapsedTime / 1000);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Swiftlet',
        version: '0.1.0',
        description: 'MSGSMS-compatible send API and the Swiftlet management API (docs/management-api.md).',
      },
      components: {
        securitySchemes: {
          wsse: {
            type: 'apiKey',
            in: 'header',
            name: 'X-WSSE',
            description: 'X-WSSE UsernameToken (with Authorization: WSSE …)',
          },
          aksk: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…',
          },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });

  await app.register(sendRoutes, {
    store,
    replay: deps.replay ?? new NonceReplayGuard(),
    onAccepted: (n) => metrics.acceptedMessages.inc(n),
    now: deps.now,
  });
  // Console sign-in routes, group sending, and the hook that accepts the bearer token OR a console session.
  const authenticate = await registerConsole(app, { store, config, print: deps.print ?? (() => {}) });
  await app.register(
    async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.schema = { ...(route.schema ?? {}), security: [{ bearer: [] }] };
      });
      await managePlugin(scope, {
        store,
        config,
        simulator: deps.simulator,
        engine: deps.engine,
        authenticate,
      });
    },
    { prefix: '/api/v1' },
  );

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, res) => {
    try {
      await store.ping();
      const migrations = await store.migrationStatus();
      const ready = migrations.applied >= migrations.known;
      return res
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not-ready', store: store.kind, migrations });
    } catch (err) {
      return res.code(503).send({ status: 'not-ready', store: store.kind, error: (err as Error).message });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, res) => {
    res.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs', { schema: { hide: true } }, async (_req, res) =>
    res.type('text/html; charset=utf-8').send(DOCS_HTML),
  );

  if (existsSync(config.consoleDir)) {
    await app.register(fastifyStatic, { root: config.consoleDir, prefix: '/console/', redirect: true });
    app.get('/', { schema: { hide: true } }, async (_req, res) => res.redirect('/console/'));
  }

  app.setNotFoundHandler((req, res) => {
    if (req.url.startsWith('/api/'))
      return res.code(404).send(errorPayload('NOT_FOUND', `no route ${req.method} ${req.url}`));
    return res.code(404).type(SEND_CONTENT_TYPE).send(errorBody('E000503'));
  });
  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, res) => {
    const status =
      err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    if (req.url.startsWith('/api/'))
      return res
        .code(status)
        .send(errorPayload(status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED', err.message ?? 'error'));
    return res
      .code(status)
      .type(SEND_CONTENT_TYPE)
      .send(errorBody(status === 413 ? 'E000503' : 'E000000'));
  });

  await app.ready();
  return app;
}
