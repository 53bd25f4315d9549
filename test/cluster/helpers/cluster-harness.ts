/**
 * Shared machinery of the cluster tests and `bench/cluster.ts`: a fresh PostgreSQL database per
 * run, the counting simulator as its own process, Swiftlet nodes as real `swiftlet serve`
 * processes (SIGKILL-able), a status-report receiver, and a few polling helpers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PG_ADMIN_URL = process.env.SWIFTLET_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const ADMIN_TOKEN = 'cluster-admin-token-0123456789';
/** Every node must share the secret key: app secrets are encrypted with it in the database. */
export const SECRET_KEY = '07'.repeat(32);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T> | T,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(everyMs);
  }
}

/** A fresh database `swiftlet_cluster_<random>`; `drop()` removes it (connections forced out). */
export async function createClusterDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `swiftlet_cluster_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function waitForLine(
  proc: ChildProcess,
  re: RegExp,
  what: string,
  timeoutMs = 60_000,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let errBuf = '';
    const timer = setTimeout(
      () => done(new Error(`${what} did not start in ${timeoutMs} ms\n${errBuf.slice(-2000)}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) done(null, m);
      if (buf.length > 100_000) buf = buf.slice(-10_000);
    };
    const onErr = (d: Buffer) => {
      errBuf += d.toString();
      if (errBuf.length > 100_000) errBuf = errBuf.slice(-10_000);
    };
    const onExit = (code: number | null) =>
      done(new Error(`${what} exited (${code}) before it was ready\n${errBuf.slice(-2000)}`));
    function done(err: Error | null, m?: RegExpExecArray) {
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      proc.off('exit', onExit);
      // Keep draining so a chatty child never blocks on a full pipe.
      proc.stdout?.resume();
      if (err) reject(err);
      else resolve(m as RegExpExecArray);
    }
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onErr);
    proc.on('exit', onExit);
  });
}

export interface SimulatorStatsDump {
  stats: {
    submits: number;
    accepted: number;
    receiptsSent: number;
    redeliveries: number;
    boundSessions: number;
  };
  sessions: Array<{ id: number; openedAt: number; closedAt: number | null; submits: number }>;
  bound: number;
  maxBound: number;
  submits: number;
  destinations: number;
  duplicates: Array<{ destination: string; sessions: number[] }>;
}

export interface SimulatorProcess {
  port: number;
  stats(): Promise<SimulatorStatsDump>;
  stop(): Promise<void>;
}

/** Starts `counting-simulator.ts` as its own process. */
export async function startSimulatorProcess(receiptDelayMs = 100): Promise<SimulatorProcess> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'test', 'cluster', 'helpers', 'counting-simulator.ts'),
      String(receiptDelayMs),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const m = await waitForLine(proc, /READY (\{.*\})\n/, 'simulator');
  const { port, statsPort } = JSON.parse(m[1]) as { port: number; statsPort: number };
  return {
    port,
    async stats() {
      const res = await fetch(`http://127.0.0.1:${statsPort}/stats`);
      return (await res.json()) as SimulatorStatsDump;
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

/** The configuration file every node of a test cluster shares. */
export interface NodeConfigOptions {
  databaseUrl: string;
  simulatorPort: number;
  binds: number;
  window?: number;
  tps?: number;
  /** Extra `engine` keys (leases short in tests). */
  engine?: Record<string, unknown>;
  webhooks?: Record<string, unknown>;
}

/** Writes the shared JSON config; returns its path (in a fresh temp dir). */
export function writeClusterConfig(o: NodeConfigOptions): string {
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-cluster-cfg-'));
  const file = join(dir, 'swiftlet.json');
  const config = {
    databaseUrl: o.databaseUrl,
    demo: false,
    logLevel: 'warn',
    simulator: { enabled: false },
    frequency: { enabled: false },
    engine: {
      // Message claims: short enough that a dead node's claims come back within the test, long
      // enough that a CPU-starved live node renews them before they run out (a lost lease means
      // a second submit).
      leaseMs: 10_000,
      connectorRefreshMs: 300,
      bindLeaseMs: 1_500,
      ...o.engine,
    },
    webhooks: { allowLoopback: true, timeoutMs: 2_000, leaseMs: 10_000, ...o.webhooks },
    carriers: {
      connectors: [
        {
          name: 'cluster-sim',
          host: '127.0.0.1',
          port: o.simulatorPort,
          systemId: 'swiftlet',
          password: 'secret',
          binds: o.binds,
          window: o.window ?? 50,
          tps: o.tps ?? 0,
        },
      ],
      routes: [{ name: 'everything', connectors: ['cluster-sim'] }],
    },
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export interface NodeProcess {
  id: string;
  url: string;
  pid: number;
  /** SIGKILL: no shutdown, no lease release. */
  kill(): void;
  /** SIGTERM and wait (graceful), SIGKILL after 10 s. */
  stop(): Promise<void>;
  get alive(): boolean;
  /** The node's last log lines (its pino JSON on stdout, and stderr), for failure diagnostics. */
  logTail(): string;
}

/** Starts `swiftlet serve` (from source) as node `id` with the shared config file. */
export async function startNode(
  id: string,
  configFile: string,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `swiftlet-${id}-`));
  const proc = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'swiftlet.mjs'),
      'serve',
      '--port',
      '0',
      '--data',
      dataDir,
      '--config',
      configFile,
      '--no-demo',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SWIFTLET_FROM_SOURCE: '1',
        SWIFTLET_NODE_ID: id,
        SWIFTLET_ADMIN_TOKEN: ADMIN_TOKEN,
        SWIFTLET_SECRET_KEY: SECRET_KEY,
        ...env,
      },
    },
  );
  let exited = false;
  proc.once('exit', () => {
    exited = true;
    rmSync(dataDir, { recursive: true, force: true });
  });
  const m = await waitForLine(proc, /Swiftlet listening on (http:\/\/[0-9.:]+)/, `node ${id}`);
  let tail = '';
  const keep = (d: Buffer) => {
    tail += d.toString();
    if (tail.length > 40_000) tail = tail.slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return {
    id,
    url: m[1],
    pid: proc.pid as number,
    kill() {
      if (!exited) proc.kill('SIGKILL');
    },
    async stop() {
      if (exited) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([done, sleep(10_000)]);
      if (!exited) {
        proc.kill('SIGKILL');
        await done;
      }
    },
    get alive() {
      return !exited;
    },
    logTail: () => tail,
  };
}

/** GET a management route with the cluster admin token. */
export async function manage<T>(url: string, path: string): Promise<T> {
  const res = await fetch(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** What `GET /api/v1/cluster` answers (see src/api/manage/cluster-routes.ts). */
export interface ClusterView {
  node: string;
  nodes: Array<{ nodeId: string; self: boolean; binds: number }>;
  connectors: Array<{ name: string; binds: number; slots: Array<{ slot: number; nodeId: string | null }> }>;
}

/** Status-report receiver: counts pushes per smsMsgId (form bodies, spec §6). */
export interface ReportReceiver {
  url: string;
  reports: Map<string, number>;
  pushes: number;
  close(): Promise<void>;
}

export async function startReportReceiver(): Promise<ReportReceiver> {
  const reports = new Map<string, number>();
  const r: ReportReceiver = { url: '', reports, pushes: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      r.pushes++;
      const f = new URLSearchParams(body);
      const id = f.get('smsMsgId');
      if (id) reports.set(id, (reports.get(id) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/report`;
  r.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return r;
}

/** `+86138` + 4 digits + `0000`: unique per i < 10 000, never a simulator magic number. */
export function numberFor(i: number, prefix = '138'): string {
  return `+86${prefix}${String(i).padStart(4, '0')}0000`;
}
