/**
 * The embedded default: `swiftlet serve` without configured carriers runs the SMSC simulator
 * in-process on loopback and routes all traffic to it over a REAL SMPP connection, so the
 * default setup exercises the same path as production.
 *
 * On each start it makes sure the store holds a connector named `simulator` pointing at the
 * port just opened (the port changes when it is random) and a catch-all route to it.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { ConnectorRecord, NewConnector } from '../store/records.js';
import type { Store } from '../store/store.js';
import { MAGIC_NUMBERS, type ScenarioConfig } from './scenario.js';
import { SIMULATOR_CONNECTOR_NAME } from './simulator-connector.js';
import { SIMULATOR_ERRORS, SimulatorError, type SimulatorErrorCode } from './simulator-errors.js';
import type { FromSimulatorThread, SimulatorThreadData, ToSimulatorThread } from './simulator-thread.js';
import {
  emptySimulatorStats,
  type InjectMo,
  type SimulatorLogger,
  type SimulatorStats,
  SmscSimulator,
  type SmscSimulatorOptions,
} from './smsc-simulator.js';

export { SIMULATOR_CONNECTOR_NAME };
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
  /**
   * Counters of the simulator. In a thread this is the copy the worker last sent (every
   * 250 ms and after each injection), so it stays synchronous.
   */
  stats(): SimulatorStats;
  /**
   * The running simulator (events, scenario), for tests and diagnostics. Only when it runs
   * in-process (`config.simulator.thread: false`); undefined when it runs in a worker thread.
   */
  simulator?: SmscSimulator;
  /** Times the simulator thread died and was started again (0 in-process). */
  restarts(): number;
  /** Fault injection for tests: makes the simulator thread die as on a bug (no-op in-process). */
  crashThread(): void;
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

/**
 * Starts the simulator and registers its connector and route. By default
 * (`config.simulator.thread`, default true) the simulator runs in a worker thread so its work
 * does not share the server's event loop; `thread: false` runs it in-process (the handle then
 * carries `simulator`). `options.random` (a function, which cannot cross to a thread) also keeps
 * it in-process; `options.log` is replaced by `deps.log` in the thread.
 */
export async function startEmbeddedSimulator(deps: EmbeddedDeps): Promise<EmbeddedSimulator> {
  const cfg = (deps.config?.simulator ?? {}) as Partial<{
    receiptDelayMs: number;
    port: number;
    slowReceiptDelayMs: number;
    rules: ScenarioConfig['rules'];
    thread: boolean;
  }>;
  const scenario: Partial<ScenarioConfig> = { ...deps.options?.scenario };
  if (typeof cfg.receiptDelayMs === 'number') scenario.receiptDelayMs = cfg.receiptDelayMs;
  if (typeof cfg.slowReceiptDelayMs === 'number') scenario.slowReceiptDelayMs = cfg.slowReceiptDelayMs;
  if (Array.isArray(cfg.rules)) scenario.rules = cfg.rules;
  const log = deps.log ?? deps.options?.log;
  const options: SmscSimulatorOptions = {
    ...deps.options,
    // Receipts (deliver_sm) outstanding towards the engine: as wide as the submit window, so
    // receipts keep up with submits at the same round trip.
    session: { windowSize: EMBEDDED_WINDOW, ...deps.options?.session },
    host: '127.0.0.1',
    port: typeof cfg.port === 'number' ? cfg.port : (deps.options?.port ?? 0),
    scenario,
    log,
  };
  const runner =
    cfg.thread !== false && deps.options?.random === undefined
      ? await superviseSimulatorThread(options, log)
      : await startInProcess(options);
  const port = runner.port;
  let connector: ConnectorRecord;
  try {
    connector = await ensureConnector(deps.store, port);
    await ensureRoute(deps.store, connector.id);
  } catch (err) {
    await runner.stop();
    throw err;
  }
  deps.log?.info(
    { port, connectorId: connector.id, thread: runner.simulator === undefined },
    'embedded SMSC simulator started',
  );
  const systemId = connector.systemId;

  return {
    port,
    ...(runner.simulator ? { simulator: runner.simulator } : {}),
    magicNumbers: () => MAGIC_NUMBERS,
    stats: () => runner.stats(),
    restarts: () => runner.restarts,
    crashThread: () => runner.crash(),
    async injectMo(mo) {
      const req: InjectMo = { from: mo.from, to: mo.to, text: mo.text, systemId };
      const delivered = runner.injectMo(req);
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
    stop: () => runner.stop(),
  };
}

/** A started simulator, in-process or in a thread. */
interface SimulatorRunner {
  port: number;
  /** Only in-process. */
  simulator?: SmscSimulator;
  stats(): SimulatorStats;
  injectMo(mo: InjectMo): Promise<void>;
  /** Resolves when the runner ended by itself (a dead thread), never after `stop()`. */
  died: Promise<void>;
  restarts: number;
  crash(): void;
  stop(): Promise<void>;
}

async function startInProcess(options: SmscSimulatorOptions): Promise<SimulatorRunner> {
  const sim = new SmscSimulator(options);
  const port = await sim.listen();
  return {
    port,
    simulator: sim,
    stats: () => sim.stats(),
    injectMo: (mo) => sim.injectMo(mo),
    died: new Promise<void>(() => {}),
    restarts: 0,
    crash: () => {},
    stop: () => sim.close(),
  };
}

/** Back-off before restarting a dead simulator thread: 0.5 s doubling to 30 s. */
const RESTART_BASE_MS = 500;
const RESTART_MAX_MS = 30_000;

/**
 * A simulator thread that is started again when it dies (a bug in the worker must not leave the
 * demo without a carrier), on the same port so the connector record stays right. The engine's
 * SMPP client sees the connection drop and rebinds on its own; receipts the dead thread still
 * owed are lost with it, and those messages end EXPIRED by the expiry sweep like any carrier that
 * never sends a receipt.
 */
async function superviseSimulatorThread(
  options: SmscSimulatorOptions,
  log: SimulatorLogger | undefined,
): Promise<SimulatorRunner> {
  let current = await startSimulatorThread(options, log);
  const port = current.port;
  let stopped = false;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  /** A restart under way: stop() waits for it and stops what it started. */
  let starting: Promise<SimulatorRunner> | undefined;
  const supervisor: SimulatorRunner = {
    port,
    stats: () => current.stats(),
    injectMo: (mo) => current.injectMo(mo),
    died: new Promise<void>(() => {}),
    get restarts() {
      return restarts;
    },
    crash: () => current.crash(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const restarting = starting; // taken now: its callback forgets it once settled
      await current.stop();
      const next = await restarting?.catch(() => undefined);
      await next?.stop();
    },
  };
  const watch = (r: SimulatorRunner, attempt: number) => {
    void r.died.then(() => {
      if (stopped) return;
      const delay = Math.min(RESTART_BASE_MS * 2 ** attempt, RESTART_MAX_MS);
      log?.warn({ delayMs: delay }, 'embedded SMSC simulator thread died; starting it again');
      timer = setTimeout(() => {
        if (stopped) return;
        starting = startSimulatorThread({ ...options, port }, log);
        starting.then(
          (next) => {
            starting = undefined;
            if (stopped) return; // stop() stops it
            current = next;
            restarts++;
            log?.info({ port, restarts }, 'embedded SMSC simulator thread started again');
            watch(next, 0);
          },
          (err) => {
            starting = undefined;
            log?.warn({ err }, 'restarting the embedded SMSC simulator thread failed; trying again');
            watch(r, attempt + 1);
          },
        );
      }, delay);
      timer.unref?.();
    });
  };
  watch(current, 0);
  return supervisor;
}

/** How long `stop()` waits for the worker to close its sessions before terminating it. */
const THREAD_STOP_WAIT_MS = 5_000;

/**
 * Creates the worker for simulator-thread.ts. From the compiled dist/ it is the .js next to this
 * file. From source (this file is .ts, run through tsx) the worker needs tsx too, and on Node 20
 * loader hooks are not inherited by workers (neither `--import tsx` nor bin/swiftlet.mjs's
 * `register()`), so a small bootstrap registers tsx in the worker first.
 */
function createSimulatorWorker(data: SimulatorThreadData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./simulator-thread.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    import(workerData.tsxApi).then((m) => { m.register(); return import(workerData.entry); });
  `;
  return new Worker(bootstrap, {
    eval: true,
    workerData: { ...data, tsxApi: import.meta.resolve('tsx/esm/api'), entry: entry.href },
  });
}

/**
 * Runs the simulator in a worker thread (see simulator-thread.ts). Like the in-process
 * simulator's listening socket, the worker keeps the process alive until `stop()`; it ends with
 * the process on exit. An error or exit of the worker is logged, fails pending injections with
 * SIM_STOPPED and never throws in this thread.
 */
async function startSimulatorThread(
  options: SmscSimulatorOptions,
  log: SimulatorLogger | undefined,
): Promise<SimulatorRunner> {
  const { log: _log, random: _random, ...cloneable } = options;
  const worker = createSimulatorWorker({ options: cloneable });
  let stats: SimulatorStats = emptySimulatorStats();
  let nextId = 1;
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let exited = false;
  let stopping = false;
  const failPending = () => {
    for (const p of pending.values()) p.reject(new SimulatorError('SIM_STOPPED'));
    pending.clear();
  };
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      exited = true;
      failPending();
      if (!stopping) log?.warn({ code }, 'embedded SMSC simulator thread exited');
      resolve();
    }),
  );
  let onStarted: (m: FromSimulatorThread) => void = () => {};
  const started = new Promise<number>((resolve, reject) => {
    onStarted = (m) => {
      if (m.type === 'listening') resolve(m.port);
      else if (m.type === 'start-failed') reject(toError(m.error));
    };
    exit.then(() => reject(new SimulatorError('SIM_STOPPED', 'the simulator thread exited while starting')));
  });
  let closed: () => void = () => {};
  const closedMsg = new Promise<void>((resolve) => {
    closed = resolve;
  });
  worker.on('message', (m: FromSimulatorThread) => {
    switch (m.type) {
      case 'listening':
      case 'start-failed':
        onStarted(m);
        break;
      case 'stats':
        stats = m.stats;
        break;
      case 'log':
        log?.[m.level](m.obj as object, m.msg);
        break;
      case 'mo-done': {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (p && m.error) p.reject(toError(m.error));
        else p?.resolve();
        break;
      }
      case 'closed':
        closed();
        break;
    }
  });
  worker.on('error', (err) => log?.warn({ err }, 'embedded SMSC simulator thread failed'));

  let port: number;
  try {
    port = await started;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  const send = (m: ToSimulatorThread) => worker.postMessage(m);
  return {
    port,
    stats: () => stats,
    died: exit.then(() => (stopping ? new Promise<void>(() => {}) : undefined)),
    restarts: 0,
    crash: () => send({ type: 'crash' }),
    injectMo(mo) {
      if (exited || stopping) return Promise.reject(new SimulatorError('SIM_STOPPED'));
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ type: 'inject', id, mo });
      });
    },
    async stop() {
      if (exited) return;
      stopping = true;
      send({ type: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closedMsg,
        exit,
        new Promise<void>((r) => (timer = setTimeout(r, THREAD_STOP_WAIT_MS))),
      ]);
      clearTimeout(timer);
      await worker.terminate();
      await exit;
    },
  };
}

/** A simulator error sent by the worker, as a SimulatorError again when it had a code. */
function toError(e: { message: string; code?: string }): Error {
  if (e.code && e.code in SIMULATOR_ERRORS) {
    const err = new SimulatorError(e.code as SimulatorErrorCode);
    err.message = e.message;
    return err;
  }
  return new Error(e.message);
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
