/**
 * Entry of the worker thread that runs the embedded SMSC simulator (see embedded.ts), so its
 * SMPP sessions, scenario and receipt scheduling use the second core instead of the server's
 * event loop. It talks to the engine over real SMPP on loopback exactly as in-process.
 *
 * Protocol (structured-clone messages):
 * - in `workerData`: `{ options }`, the serialisable SmscSimulatorOptions (no functions);
 * - to the parent: `listening {port}`, `start-failed {error}`, `stats {stats}` (every
 *   STATS_INTERVAL_MS and after each injection), `log {level,obj,msg}`, `mo-done {id,error?}`,
 *   `closed`;
 * - from the parent: `inject {id,mo}`, `stop`, and `crash` — fault injection: the worker throws
 *   an uncaught error and dies, as it would on a bug, so tests can watch the parent restart it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SimulatorError } from './simulator-errors.js';
import {
  type InjectMo,
  type SimulatorLogger,
  SmscSimulator,
  type SmscSimulatorOptions,
} from './smsc-simulator.js';

/** How often the worker sends its counters to the parent (the parent's `stats()` is a cached copy). */
export const STATS_INTERVAL_MS = 250;

/** A message from the worker to the parent. */
export type FromSimulatorThread =
  | { type: 'listening'; port: number }
  | { type: 'start-failed'; error: { message: string; code?: string } }
  | { type: 'stats'; stats: ReturnType<SmscSimulator['stats']> }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; obj: unknown; msg?: string }
  | { type: 'mo-done'; id: number; error?: { message: string; code?: string } }
  | { type: 'closed' };

/** A message from the parent to the worker. */
export type ToSimulatorThread =
  | { type: 'inject'; id: number; mo: InjectMo }
  | { type: 'stop' }
  | { type: 'crash' };

/** What the parent passes as `workerData`. */
export interface SimulatorThreadData {
  options: SmscSimulatorOptions;
}

const port = parentPort;
if (port) void run(port, workerData as SimulatorThreadData);

async function run(parent: NonNullable<typeof parentPort>, data: SimulatorThreadData): Promise<void> {
  const send = (m: FromSimulatorThread) => parent.postMessage(m);
  // Log objects may hold values that cannot be cloned (sockets); fall back to their text.
  const logAt =
    (level: 'debug' | 'info' | 'warn') =>
    (obj: object | string, msg?: string): void => {
      try {
        send({ type: 'log', level, obj, msg });
      } catch {
        send({ type: 'log', level, obj: { detail: String(obj) }, msg });
      }
    };
  const log: SimulatorLogger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn') };
  const sim = new SmscSimulator({ ...data.options, log });
  try {
    send({ type: 'listening', port: await sim.listen() });
  } catch (err) {
    send({ type: 'start-failed', error: errorInfo(err) });
    parent.close();
    return;
  }
  const ticker = setInterval(() => send({ type: 'stats', stats: sim.stats() }), STATS_INTERVAL_MS);
  parent.on('message', (m: ToSimulatorThread) => {
    if (m.type === 'inject') {
      sim.injectMo(m.mo).then(
        () => send({ type: 'mo-done', id: m.id }),
        (err) => send({ type: 'mo-done', id: m.id, error: errorInfo(err) }),
      );
      send({ type: 'stats', stats: sim.stats() });
    } else if (m.type === 'crash') {
      setImmediate(() => {
        throw new Error('simulator thread crashed on request (fault injection)');
      });
    } else if (m.type === 'stop') {
      clearInterval(ticker);
      void sim.close().finally(() => {
        send({ type: 'stats', stats: sim.stats() });
        send({ type: 'closed' });
        parent.close();
      });
    }
  });
}

function errorInfo(err: unknown): { message: string; code?: string } {
  if (err instanceof SimulatorError) return { message: err.message, code: err.code };
  return { message: err instanceof Error ? err.message : String(err) };
}
