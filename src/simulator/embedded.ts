/**
 * The embedded default: `swiftlet serve` without configured carriers runs the SMSC simulator
 * in-process on loopback and routes all traffic to it over a REAL SMPP connection, so the
 * default setup exercises the same path as production.
 *
 * On each start it makes sure the store holds a connector named `simulator` pointing at the
 * port just opened (the port changes when it is random) and a catch-all route to it.
 */
import type { Config } from '../config.js';
import type { ConnectorRecord, NewConnector } from '../store/records.js';
import type { Store } from '../store/store.js';
import { MAGIC_NUMBERS, type ScenarioConfig } from './scenario.js';
import { SimulatorError } from './simulator-errors.js';
import {
  type InjectMo,
  type SimulatorLogger,
  type SimulatorStats,
  SmscSimulator,
  type SmscSimulatorOptions,
} from './smsc-simulator.js';

/** Name of the connector the embedded simulator owns. */
export const SIMULATOR_CONNECTOR_NAME = 'simulator';
/** Name of the catch-all route created when no route uses the simulator connector. */
export const SIMULATOR_ROUTE_NAME = 'simulator-default';
/**
 * Priority of that route. Lower runs first; a high number so any route an operator adds
 * later is tried before it.
 */
export const SIMULATOR_ROUTE_PRIORITY = 1_000_000;
/** How long `injectMo` waits for the engine to acknowledge the MO before returning anyway. */
export const EMBEDDED_MO_WAIT_MS = 10_000;

export interface EmbeddedSimulator {
  port: number;
  /**
   * Injects an MO (as if a handset sent it to `to`). Resolves once the engine acknowledged it
   * (deliver_sm_resp, i.e. after it was stored), or after 10 s when the engine is not bound:
   * the MO then stays queued and is delivered when it binds.
   */
  injectMo(mo: { from: string; to: string; text: string }): Promise<void>;
  magicNumbers(): typeof MAGIC_NUMBERS;
  stats(): SimulatorStats;
  /** The running simulator (events, scenario), for tests and diagnostics. */
  simulator: SmscSimulator;
  stop(): Promise<void>;
}

export interface EmbeddedDeps {
  store: Store;
  config: Config;
  log?: SimulatorLogger;
  /** Extra simulator options (tests: scenario rules, short delays). Config values win for port / receipt delay. */
  options?: Partial<SmscSimulatorOptions>;
}

/**
 * Window (submit_sm outstanding per bind) of the embedded simulator connector. Default 200.
 * The simulator answers on loopback in well under a millisecond of work, but the engine and the
 * simulator share one event loop, so a submit_sm_resp takes as long as a turn of that loop
 * (tens of ms under load): throughput ≈ window ÷ round trip. With 50 the bind capped the whole
 * path near 2,000 msg/s; 200 keeps it above 5,000. Real carriers set their own window
 * (connector setting); this only affects the connector created for the simulator, and an
 * existing `simulator` connector keeps what it has (change it with PATCH /connectors).
 */
export const EMBEDDED_WINDOW = 200;

// The connector the engine binds with. The simulator accepts any credentials by default.
const CONNECTOR_DEFAULTS: Omit<NewConnector, 'host' | 'port'> = {
  name: SIMULATOR_CONNECTOR_NAME,
  systemId: 'swiftlet',
  password: 'sim',
  systemType: '',
  bindMode: 'transceiver',
  binds: 1,
  window: EMBEDDED_WINDOW,
  tps: 0,
  concat: 'udh8',
  textMode: 'gsm7',
  msgIdType: 'hex',
  tls: false,
  enabled: true,
};

/** Starts the in-process simulator and registers its connector and route. */
export async function startEmbeddedSimulator(deps: EmbeddedDeps): Promise<EmbeddedSimulator> {
  const cfg = (deps.config?.simulator ?? {}) as Partial<{
    receiptDelayMs: number;
    port: number;
    slowReceiptDelayMs: number;
    rules: ScenarioConfig['rules'];
  }>;
  const scenario: Partial<ScenarioConfig> = { ...deps.options?.scenario };
  if (typeof cfg.receiptDelayMs === 'number') scenario.receiptDelayMs = cfg.receiptDelayMs;
  if (typeof cfg.slowReceiptDelayMs === 'number') scenario.slowReceiptDelayMs = cfg.slowReceiptDelayMs;
  if (Array.isArray(cfg.rules)) scenario.rules = cfg.rules;
  const sim = new SmscSimulator({
    ...deps.options,
    // Receipts (deliver_sm) outstanding towards the engine: as wide as the submit window, so
    // receipts keep up with submits at the same round trip.
    session: { windowSize: EMBEDDED_WINDOW, ...deps.options?.session },
    host: '127.0.0.1',
    port: typeof cfg.port === 'number' ? cfg.port : (deps.options?.port ?? 0),
    scenario,
    log: deps.log ?? deps.options?.log,
  });
  const port = await sim.listen();
  let connector: ConnectorRecord;
  try {
    connector = await ensureConnector(deps.store, port);
    await ensureRoute(deps.store, connector.id);
  } catch (err) {
    await sim.close();
    throw err;
  }
  deps.log?.info({ port, connectorId: connector.id }, 'embedded SMSC simulator started');
  const systemId = connector.systemId;

  return {
    port,
    simulator: sim,
    magicNumbers: () => MAGIC_NUMBERS,
    stats: () => sim.stats(),
    async injectMo(mo) {
      const req: InjectMo = { from: mo.from, to: mo.to, text: mo.text, systemId };
      const delivered = sim.injectMo(req);
      // After a timeout nobody awaits it any more; a later SIM_STOPPED must not be unhandled.
      delivered.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          deps.log?.warn({ to: mo.to }, 'simulator MO not acknowledged yet; it stays queued');
          resolve();
        }, EMBEDDED_MO_WAIT_MS);
        timer.unref?.();
      });
      try {
        await Promise.race([delivered, timeout]);
      } catch (err) {
        if (err instanceof SimulatorError) throw err;
        throw new SimulatorError('SIM_UNDELIVERED', (err as Error).message);
      } finally {
        clearTimeout(timer);
      }
    },
    stop: () => sim.close(),
  };
}

/** Creates the `simulator` connector, or points the existing one at `port` (keeping its other settings). */
async function ensureConnector(store: Store, port: number): Promise<ConnectorRecord> {
  const existing = (await store.listConnectors()).find((c) => c.name === SIMULATOR_CONNECTOR_NAME);
  if (!existing) return store.createConnector({ ...CONNECTOR_DEFAULTS, host: '127.0.0.1', port });
  if (existing.host === '127.0.0.1' && existing.port === port && existing.enabled) return existing;
  const updated = await store.updateConnector(existing.id, { host: '127.0.0.1', port, enabled: true });
  return updated ?? existing;
}

/** Adds a catch-all route to the simulator unless some route already uses it. */
async function ensureRoute(store: Store, connectorId: string): Promise<void> {
  const routes = await store.listRoutes();
  if (routes.some((r) => r.connectorIds.includes(connectorId))) return;
  await store.createRoute({
    name: SIMULATOR_ROUTE_NAME,
    priority: SIMULATOR_ROUTE_PRIORITY,
    match: {},
    connectorIds: [connectorId],
    strategy: 'failover',
    enabled: true,
  });
}
