/**
 * Composition root: opens the store, provisions the demo, builds and starts the HTTP app, and
 * starts the delivery engine, the webhook worker and the embedded simulator. Nothing else lives
 * here. The engine, worker and simulator are loaded with dynamic `import()` so the API still
 * serves (with a warning) in a checkout where one of them is missing.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp } from './api/build-app.js';
import { type DemoInfo, demoSummary, provisionDemo } from './api/demo/provision-demo.js';
import { CONNECTOR_DEFAULTS } from './api/manage/carrier-routes.js';
import type { SimulatorHandle } from './api/manage/manage-deps.js';
import type { Config } from './config.js';
import { RetentionSweeper } from './maintenance/retention-sweeper.js';
import { SIMULATOR_CONNECTOR_NAME } from './simulator/simulator-connector.js';
import { openStore } from './store/open-store.js';
import type { NewConnector, NewRoute } from './store/records.js';
import type { Store } from './store/store.js';

export interface RunningServer {
  /** `http://host:port` actually bound (port 0 resolved). */
  url: string;
  app: FastifyInstance;
  store: Store;
  config: Config;
  demo?: DemoInfo;
  /** Stops taking requests, drains, stops the workers and closes the store. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Where start-up notices (admin token, demo summary) go; default stdout. */
  print?: (text: string) => void;
  /** Print the admin token (first start). */
  adminTokenGenerated?: boolean;
}

interface Stoppable {
  stop(): Promise<void> | void;
}

async function optionalImport<T>(path: string, log: Logger, what: string): Promise<T | undefined> {
  try {
    return (await import(path)) as T;
  } catch (err) {
    log.warn({ err: (err as Error).message }, `${what} is not available; continuing without it`);
    return undefined;
  }
}

/** Lease serialising {@link applyCarriers} across nodes that start at the same time. */
const APPLY_CARRIERS_LEASE = 'config:carriers';

/** True when every field `want` sets already has that value in `have`. */
function sameFields(want: object, have: object): boolean {
  const h = have as Record<string, unknown>;
  return Object.entries(want).every(([k, v]) => JSON.stringify(h[k]) === JSON.stringify(v));
}

/**
 * Upserts the connectors and routes declared in the config file (matched by name). In a cluster
 * every node starts with the same file: a lease makes nodes apply it one at a time (no duplicate
 * connectors when they start together), and unchanged entries are not rewritten (a rewrite bumps
 * `updatedAt`, which makes every node re-open that connector's binds).
 */
async function applyCarriers(store: Store, config: Config): Promise<void> {
  const { connectors, routes } = config.carriers;
  if (connectors.length === 0 && routes.length === 0) return;
  const deadline = Date.now() + 30_000;
  while (!(await store.acquireLease(APPLY_CARRIERS_LEASE, config.nodeId, 30_000, Date.now()))) {
    if (Date.now() > deadline) throw new Error('another node holds the carriers configuration lock');
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    await applyCarriersLocked(store, config);
  } finally {
    await store.releaseLease(APPLY_CARRIERS_LEASE, config.nodeId).catch(() => undefined);
  }
}

async function applyCarriersLocked(store: Store, config: Config): Promise<void> {
  const { connectors, routes } = config.carriers;
  const existing = new Map((await store.listConnectors()).map((c) => [c.name, c]));
  const ids = new Map([...existing].map(([name, c]) => [name, c.id]));
  for (const c of connectors) {
    const full = { ...CONNECTOR_DEFAULTS, ...c } as NewConnector;
    const have = existing.get(c.name);
    if (have) {
      if (!sameFields(full, have)) await store.updateConnector(have.id, full);
    } else ids.set(c.name, (await store.createConnector(full)).id);
  }
  const existingRoutes = new Map((await store.listRoutes()).map((r) => [r.name, r]));
  for (const r of routes) {
    const connectorIds = r.connectors.map((n) => {
      const id = ids.get(n);
      if (!id) throw new Error(`route ${r.name} names unknown connector ${n}`);
      return id;
    });
    const full: NewRoute = {
      name: r.name,
      priority: r.priority ?? 100,
      match: (r.match ?? {}) as NewRoute['match'],
      connectorIds,
      strategy: r.strategy ?? 'failover',
      enabled: r.enabled ?? true,
    };
    const have = existingRoutes.get(r.name);
    if (have) {
      if (!sameFields(full, have)) await store.updateRoute(have.id, full);
    } else await store.createRoute(full);
  }
}

/**
 * Start a Swiftlet server for `config`. Resolves once it listens.
 * @throws Error when the store cannot be opened or the port cannot be bound (the store is closed again).
 */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? pino({ level: config.logLevel });
  const print = opts.print ?? ((t: string) => process.stdout.write(`${t}\n`));
  const store = await openStore({
    url: config.databaseUrl,
    secretKey: Buffer.from(config.secretKey, 'hex'),
    log: (msg) => log.info(msg),
  });
  const stoppers: Stoppable[] = [];
  let app: FastifyInstance | undefined;
  try {
    await applyCarriers(store, config);
    const demo = config.demo ? await provisionDemo(store, config.dataDir) : undefined;

    let simulator: (SimulatorHandle & Stoppable) | undefined;
    // 'auto': run it when no carrier but the simulator's own connector (left by an earlier start)
    // is configured — so a restart on the same data directory delivers again.
    const connectors = await store.listConnectors();
    const carriers = connectors.filter((c) => c.name !== SIMULATOR_CONNECTOR_NAME);
    const wantSimulator =
      config.simulator.enabled === true || (config.simulator.enabled === 'auto' && carriers.length === 0);
    if (!wantSimulator) {
      const stale = connectors.find((c) => c.name === SIMULATOR_CONNECTOR_NAME && c.enabled);
      if (stale) {
        await store.updateConnector(stale.id, { enabled: false });
        log.warn(
          { connectorId: stale.id },
          'the embedded simulator is not running; its connector is disabled',
        );
      }
    }
    if (wantSimulator) {
      const mod = await optionalImport<{
        startEmbeddedSimulator(d: unknown): Promise<SimulatorHandle & Stoppable>;
      }>('./simulator/embedded.js', log, 'the embedded simulator');
      if (mod) {
        try {
          simulator = await mod.startEmbeddedSimulator({ store, config, log });
          stoppers.push(simulator);
        } catch (err) {
          log.warn({ err }, 'the embedded simulator failed to start; continuing without it');
        }
      }
    }

    let engine: ({ start(): void; status(): unknown } & Stoppable) | undefined;
    const engineMod = await optionalImport<{
      Engine: new (d: unknown) => { start(): void; status(): unknown } & Stoppable;
    }>('./engine/engine.js', log, 'the delivery engine');
    if (engineMod) engine = new engineMod.Engine({ store, config, log, nodeId: config.nodeId });

    app = await buildApp({ store, config, log, simulator, engine, print });
    await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

    if (engine) {
      engine.start();
      stoppers.unshift(engine);
    }
    const webhookMod = await optionalImport<{
      WebhookWorker: new (d: unknown) => { start(): void } & Stoppable;
    }>('./webhooks/webhook-worker.js', log, 'the webhook worker');
    if (webhookMod) {
      const worker = new webhookMod.WebhookWorker({ store, config, log, nodeId: config.nodeId });
      worker.start();
      stoppers.unshift(worker);
    }

    const retention = new RetentionSweeper({ store, log, nodeId: config.nodeId, options: config.retention });
    retention.start();
    stoppers.unshift(retention);

    log.info({ url, store: store.kind, demo: config.demo }, 'swiftlet is listening');
    if (opts.adminTokenGenerated) {
      print(
        `Admin token (saved in ${join(config.dataDir, 'admin-token')}; shown once):\n  ${config.adminToken}`,
      );
    }
    if (demo) print(demoSummary(demo.demo, url, config.dataDir));

    let closing: Promise<void> | undefined;
    const running: RunningServer = {
      url,
      app,
      store,
      config,
      demo: demo?.demo,
      close() {
        closing ??= (async () => {
          await (app as FastifyInstance).close();
          for (const s of stoppers)
            await Promise.resolve(s.stop()).catch((err) => log.warn({ err }, 'stop failed'));
          await store.close();
        })();
        return closing;
      },
    };
    return running;
  } catch (err) {
    if (app) await app.close().catch(() => {});
    for (const s of stoppers) await Promise.resolve(s.stop()).catch(() => {});
    await store.close().catch(() => {});
    throw err;
  }
}

/** SIGINT/SIGTERM → graceful close, then exit. A second signal exits at once. */
export function installShutdownHandlers(server: RunningServer, log?: Logger): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log?.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        log?.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}
