/**
 * `swiftlet simulator --port 2775`: the SMSC simulator on its own, for other systems (Kannel,
 * Jasmin, any ESME) to bind to. Runs until SIGINT / SIGTERM (or `signal` aborts).
 *
 * With `controlPort`, a small HTTP control server listens on the same host:
 * - `POST /mo` `{"from","to","text","systemId"?}` → 200 `{"delivered":true}` once the ESME
 *   acknowledged it, 202 `{"queued":true}` when not within 5 s (it stays queued), 409 with
 *   `code: SIM_NO_RECEIVER` when nothing is bound to receive it, 400 on bad input;
 * - `GET /stats` → counters; `GET /magic-numbers` → the magic number table.
 */
import http from 'node:http';
import { MAGIC_NUMBERS } from './scenario.js';
import { SimulatorError } from './simulator-errors.js';
import { type SimulatorLogger, SmscSimulator } from './smsc-simulator.js';

export interface StandaloneSimulatorOptions {
  port: number;
  /** Listen address. Default 127.0.0.1; use 0.0.0.0 to let other hosts bind. */
  host?: string;
  /** Delay before DELIVRD receipts, ms. Default 200. */
  receiptDelayMs?: number;
  /** When both are given, only this system_id / password may bind. Default: anyone. */
  systemId?: string;
  password?: string;
  /** Port of the HTTP control server (MO injection). Default: none. */
  controlPort?: number;
  /** Called once listening (ports resolved when 0 was asked). */
  onReady?(info: { port: number; controlPort?: number }): void;
  /** Stops the simulator when aborted (tests; the CLI relies on signals). */
  signal?: AbortSignal;
  log?: SimulatorLogger;
}

/** How long `POST /mo` waits for the ESME's acknowledgement before answering 202. */
export const CONTROL_MO_WAIT_MS = 5_000;

const consoleLog: SimulatorLogger = {
  debug() {},
  info: (o, m) => console.log(`[simulator] ${m ?? ''} ${typeof o === 'string' ? o : JSON.stringify(o)}`),
  warn: (o, m) => console.warn(`[simulator] ${m ?? ''} ${typeof o === 'string' ? o : JSON.stringify(o)}`),
};

/** Runs the standalone simulator; resolves after it stopped (signal or abort). */
export async function runStandaloneSimulator(opts: StandaloneSimulatorOptions): Promise<void> {
  const log = opts.log ?? consoleLog;
  const host = opts.host ?? '127.0.0.1';
  const sim = new SmscSimulator({
    host,
    port: opts.port,
    credentials:
      opts.systemId !== undefined && opts.password !== undefined
        ? [{ systemId: opts.systemId, password: opts.password }]
        : undefined,
    scenario: opts.receiptDelayMs !== undefined ? { receiptDelayMs: opts.receiptDelayMs } : undefined,
    log,
  });
  const port = await sim.listen();
  let control: http.Server | undefined;
  let controlPort: number | undefined;
  if (opts.controlPort !== undefined) {
    control = http.createServer((req, res) => void handleControl(sim, req, res));
    await new Promise<void>((resolve, reject) => {
      control?.once('error', reject);
      control?.listen(opts.controlPort, host, () => resolve());
    });
    controlPort = (control.address() as { port: number }).port;
  }
  log.info({ port, host, controlPort }, 'SMSC simulator listening');
  opts.onReady?.({ port, controlPort });

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      opts.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (opts.signal?.aborted) stop();
    else opts.signal?.addEventListener('abort', stop, { once: true });
  });
  if (control) {
    control.closeAllConnections?.();
    await new Promise<void>((r) => control?.close(() => r()));
  }
  await sim.close();
  log.info({ stats: sim.stats() }, 'SMSC simulator stopped');
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('body too large');
  }
  return JSON.parse(body || '{}');
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handleControl(
  sim: SmscSimulator,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/stats') return send(res, 200, sim.stats());
  if (req.method === 'GET' && path === '/magic-numbers') return send(res, 200, MAGIC_NUMBERS);
  if (req.method !== 'POST' || path !== '/mo')
    return send(res, 404, { code: 'NOT_FOUND', message: 'POST /mo, GET /stats, GET /magic-numbers' });
  let mo: { from?: unknown; to?: unknown; text?: unknown; systemId?: unknown };
  try {
    mo = (await readJson(req)) as typeof mo;
  } catch {
    return send(res, 400, { code: 'SIM_BAD_MO', message: 'body must be JSON {"from","to","text"}' });
  }
  if (
    typeof mo.from !== 'string' ||
    typeof mo.to !== 'string' ||
    typeof mo.text !== 'string' ||
    (mo.systemId !== undefined && typeof mo.systemId !== 'string')
  ) {
    return send(res, 400, { code: 'SIM_BAD_MO', message: 'from, to and text must be strings' });
  }
  const delivered = sim.injectMo({
    from: mo.from,
    to: mo.to,
    text: mo.text,
    systemId: mo.systemId as string | undefined,
  });
  delivered.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'queued'>((r) => {
    timer = setTimeout(() => r('queued'), CONTROL_MO_WAIT_MS);
  });
  try {
    const r = await Promise.race([delivered.then(() => 'delivered' as const), timeout]);
    send(res, r === 'delivered' ? 200 : 202, r === 'delivered' ? { delivered: true } : { queued: true });
  } catch (err) {
    const code = err instanceof SimulatorError ? err.code : 'SIM_UNDELIVERED';
    send(res, code === 'SIM_NO_RECEIVER' ? 409 : code === 'SIM_BAD_MO' ? 400 : 503, {
      code,
      message: (err as Error).message,
    });
  } finally {
    clearTimeout(timer);
  }
}
