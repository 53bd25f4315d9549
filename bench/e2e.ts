/**
 * End-to-end benchmark: send API → engine → SMPP on loopback → embedded SMSC simulator →
 * delivery receipt → status-report push → a receiver in this process. The server runs as its own
 * process (`swiftlet serve --demo`, SQLite, from source), so the load generator does not share
 * its event loop.
 *
 * Mode "sustained" (default): batchSendSms requests of BENCH_BATCH numbers with a statusCallback,
 * BENCH_CONCURRENCY in flight, held back when more than BENCH_MAX_BACKLOG messages are accepted
 * but not yet reported (so the rate measured is what the whole path sustains, not what the API
 * accepts). After BENCH_WARMUP s, counts status reports received for BENCH_DURATION s (default
 * 60). Then waits for every report still owed (nothing may be lost). Prints and writes to
 * bench/results/e2e.json: end-to-end messages/s, accepted/s, submit latency (accept → submit_sm_resp
 * recorded) and receipt latency (submit → receipt committed) p50/p99 from the store's events,
 * end-to-end latency (send response → report received) p50/p99, the server's peak RSS.
 *
 * Mode "queue" (BENCH_QUEUE=1000000): the only carrier is unreachable at first, so nothing is
 * submitted; BENCH_QUEUE messages are accepted into the queue while the server's RSS is sampled
 * every second; then an SMSC simulator process starts on the carrier's port and the queue drains
 * for BENCH_DRAIN s (default 60) while RSS is sampled again. RSS must stay flat.
 *
 * Env: BENCH_DURATION, BENCH_WARMUP (5), BENCH_BATCH (200), BENCH_CONCURRENCY (6),
 * BENCH_MAX_BACKLOG (20000), BENCH_QUEUE, BENCH_DRAIN, BENCH_NODE_ARGS (node flags for the server besides SERVER_NODE_FLAGS, for the
 * server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_KEEP (keep the data dir).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SmsClient } from '../src/client/index.js';
import { serverNodeArgs } from './server-node-flags.js';

const env = process.env;
const DURATION_S = Number(env.BENCH_DURATION ?? 60);
const WARMUP_S = Number(env.BENCH_WARMUP ?? 5);
const BATCH = Number(env.BENCH_BATCH ?? 200);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 6);
const MAX_BACKLOG = Number(env.BENCH_MAX_BACKLOG ?? 20_000);
const QUEUE = Number(env.BENCH_QUEUE ?? 0);
const DRAIN_S = Number(env.BENCH_DRAIN ?? 60);
/** When set, the simulator connector's window / bind count are changed through the management API first. */
const WINDOW = env.BENCH_WINDOW ? Number(env.BENCH_WINDOW) : undefined;
const BINDS = env.BENCH_BINDS ? Number(env.BENCH_BINDS) : undefined;
const ROOT = join(import.meta.dirname, '..');
const NODE_ARGS = serverNodeArgs();

interface Demo {
  appKey: string;
  appSecret: string;
  signature: { channelNumber: string };
  templates: Array<{ id: string }>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnNode(args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  const p = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env, SWIFTLET_FROM_SOURCE: '1', SWIFTLET_LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return p;
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error('server did not become ready');
    await sleep(200);
  }
}

/** Current and peak RSS of a process, MiB (Linux /proc). */
function rssOf(pid: number): { rss: number; peak: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** CPU seconds (user + system, all threads) a process has used so far (Linux /proc). */
function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

function pct(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The status-report receiver's server, run in a worker thread: at 5,000+ pushes a second the
 * receiver must not share an event loop with the load generator (or it becomes the limit it is
 * measuring). It answers at once and posts (smsMsgId, arrival time) pairs to the main thread in
 * batches every 20 ms.
 */
const RECEIVER_WORKER = `
const { parentPort } = require('node:worker_threads');
const { createServer } = require('node:http');
let batch = [];
let requests = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    requests++;
    const body = Buffer.concat(chunks).toString();
    const id = new URLSearchParams(body).get('smsMsgId');
    if (id) batch.push(id, Date.now());
    res.writeHead(200, { 'content-length': '2' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
const flush = () => {
  if (batch.length > 0 || requests > 0) parentPort.postMessage({ batch, requests });
  batch = [];
  requests = 0;
};
setInterval(flush, 20);
parentPort.on('message', (m) => {
  if (m === 'close') {
    flush();
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
`;

/** The status-report receiver: counts reports, keeps arrival times per smsMsgId. */
function startReceiver() {
  const arrivals = new Map<string, number>();
  let reports = 0;
  let requests = 0;
  const worker = new Worker(RECEIVER_WORKER, { eval: true });
  const port = new Promise<number>((resolve) => {
    worker.on('message', (m: { port?: number }) => {
      if (m.port !== undefined) resolve(m.port);
    });
  });
  worker.on('message', (m: { port?: number; batch?: Array<string | number>; requests?: number }) => {
    if (m.port !== undefined) return;
    requests += m.requests ?? 0;
    const b = m.batch ?? [];
    for (let i = 0; i < b.length; i += 2) {
      reports++;
      const id = b[i] as string;
      if (!arrivals.has(id)) arrivals.set(id, b[i + 1] as number);
    }
  });
  return {
    arrivals,
    get reports() {
      return reports;
    },
    get requests() {
      return requests;
    },
    listen: () => port,
    close: () =>
      new Promise<void>((r) => {
        worker.once('exit', () => r());
        worker.postMessage('close');
      }),
  };
}

/** Unique destinations that never end in a magic suffix (those end in a non-zero digit). */
let numberSeq = 0;
const nextNumber = () => `+86138${String(numberSeq++ % 10_000_000).padStart(7, '0')}0`;

interface Sender {
  accepted: number;
  rejected: number;
  errors: number;
  sentAt: Map<string, number>;
  /** Resolves when every worker returned (the `limit` reached, or stopped). */
  finished: Promise<void>;
  stop(): Promise<void>;
}

/** Keeps `concurrency` batchSendSms requests in flight while `allow()` says so. */
function startSending(
  client: SmsClient,
  demo: Demo,
  callback: string | undefined,
  allow: (s: Sender) => boolean,
  opts: { concurrency: number; batch: number; limit?: number; trackTimes: boolean },
): Sender {
  let running = true;
  let issued = 0;
  const s: Sender = {
    accepted: 0,
    rejected: 0,
    errors: 0,
    sentAt: new Map(),
    finished: Promise.resolve(),
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
  const worker = async () => {
    while (running) {
      if (opts.limit !== undefined && issued >= opts.limit) return;
      if (!allow(s)) {
        await sleep(5);
        continue;
      }
      const n = opts.limit !== undefined ? Math.min(opts.batch, opts.limit - issued) : opts.batch;
      issued += n;
      const to = Array.from({ length: n }, nextNumber);
      try {
        const r = await client.batchSendSms({
          from: demo.signature.channelNumber,
          to,
          templateId: demo.templates[1].id,
          templateParas: ['123456'],
          ...(callback ? { statusCallback: callback } : {}),
        });
        const now = Date.now();
        for (const e of r.result ?? []) {
          if (e.status === '000000') {
            s.accepted++;
            if (opts.trackTimes) s.sentAt.set(e.smsMsgId, now);
          } else s.rejected++;
        }
      } catch (err) {
        s.errors++;
        if (s.errors < 5) console.error('send failed:', (err as Error).message);
        await sleep(50);
      }
    }
  };
  const workers = Array.from({ length: opts.concurrency }, worker);
  s.finished = Promise.all(workers).then(() => undefined);
  return s;
}

/** Submit and receipt latencies of messages created in [from, to), from the store's events. */
function storeLatencies(dbFile: string, from: number, to: number) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT m.created_at AS created,
                (SELECT MIN(e.at) FROM events e WHERE e.message_id = m.id AND e.kind = 'submitted') AS submitted,
                (SELECT MIN(e.at) FROM events e WHERE e.message_id = m.id AND e.kind = 'receipt') AS receipt
           FROM messages m
          WHERE m.created_at >= ? AND m.created_at < ? AND (m.id % 10) = 0`,
      )
      .all(from, to) as Array<{ created: number; submitted: number | null; receipt: number | null }>;
    const submit = rows.filter((r) => r.submitted !== null).map((r) => (r.submitted as number) - r.created);
    const receipt = rows
      .filter((r) => r.submitted !== null && r.receipt !== null)
      .map((r) => (r.receipt as number) - (r.submitted as number));
    submit.sort((a, b) => a - b);
    receipt.sort((a, b) => a - b);
    return {
      sampled: rows.length,
      submitMs: { p50: pct(submit, 50), p99: pct(submit, 99) },
      receiptMs: { p50: pct(receipt, 50), p99: pct(receipt, 99) },
    };
  } finally {
    db.close();
  }
}

function writeResults(name: string, data: unknown): void {
  const file = join(ROOT, 'bench', 'results', 'e2e.json');
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first run
  }
  all[name] = data;
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`results written to ${file} (${name})`);
}

const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  node: process.version,
  /** 1, 5 and 15 minute load averages when the figures were written: other work on the machine shows here. */
  loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
});

/** PATCHes the embedded simulator's connector (window, binds) and waits for the engine to re-bind. */
async function tuneConnector(url: string, dataDir: string): Promise<void> {
  const headers = {
    authorization: `Bearer ${readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()}`,
    'content-type': 'application/json',
  };
  const list = (await (await fetch(`${url}/api/v1/connectors`, { headers })).json()) as {
    items: Array<{ id: string; name: string }>;
  };
  const sim = list.items.find((c) => c.name === 'simulator');
  if (!sim) throw new Error('no simulator connector');
  const body = {
    ...(WINDOW !== undefined ? { window: WINDOW } : {}),
    ...(BINDS !== undefined ? { binds: BINDS } : {}),
  };
  const r = await fetch(`${url}/api/v1/connectors/${sim.id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify(body),
  });
  if (r.status !== 200) throw new Error(`PATCH connector: ${r.status} ${await r.text()}`);
  console.log(`simulator connector set to ${JSON.stringify(body)}`);
  await sleep(7_000);
}

async function sustained(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-bench-e2e-'));
  const port = await freePort();
  const rx = startReceiver();
  const rxPort = await rx.listen();
  const proc = spawnNode([
    ...NODE_ARGS,
    join(ROOT, 'bin', 'swiftlet.mjs'),
    'serve',
    '--demo',
    '--port',
    String(port),
    '--data',
    dataDir,
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as Demo;
    if (WINDOW !== undefined || BINDS !== undefined) await tuneConnector(url, dataDir);
    const client = new SmsClient({
      endpoint: url,
      appKey: demo.appKey,
      appSecret: demo.appSecret,
      timeoutMs: 30_000,
    });
    const rssSamples: number[] = [];
    const sender = startSending(
      client,
      demo,
      `http://127.0.0.1:${rxPort}/report`,
      (s) => s.accepted - rx.arrivals.size < MAX_BACKLOG,
      { concurrency: CONCURRENCY, batch: BATCH, trackTimes: true },
    );
    console.log(
      `warming up ${WARMUP_S} s, then measuring ${DURATION_S} s (batch ${BATCH}, ${CONCURRENCY} in flight, backlog ≤ ${MAX_BACKLOG})`,
    );
    await sleep(WARMUP_S * 1000);
    const t0 = Date.now();
    const cpu0 = cpuSecondsOf(proc.pid as number);
    const r0 = rx.arrivals.size;
    const a0 = sender.accepted;
    const perSecond: number[] = [];
    let last = r0;
    for (let i = 0; i < DURATION_S; i++) {
      await sleep(1000);
      const now = rx.arrivals.size;
      perSecond.push(now - last);
      last = now;
      const { rss } = rssOf(proc.pid as number);
      rssSamples.push(rss);
      if (i % 10 === 9)
        console.log(
          `  ${i + 1}s: ${Math.round((now - r0) / ((Date.now() - t0) / 1000))} msg/s e2e, backlog ${sender.accepted - now}, RSS ${rss} MiB`,
        );
    }
    const t1 = Date.now();
    const cpu1 = cpuSecondsOf(proc.pid as number);
    const r1 = rx.arrivals.size;
    const a1 = sender.accepted;
    await sender.stop();
    // Everything accepted must be reported.
    const owedUntil = Date.now() + 60_000;
    while (rx.arrivals.size < sender.accepted && Date.now() < owedUntil) await sleep(200);
    const lost = sender.accepted - rx.arrivals.size;
    const e2e: number[] = [];
    for (const [id, at] of rx.arrivals) {
      const sent = sender.sentAt.get(id);
      if (sent !== undefined && sent >= t0 && sent < t1) e2e.push(at - sent);
    }
    e2e.sort((a, b) => a - b);
    const peak = rssOf(proc.pid as number).peak;
    client.close();
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    const lat = storeLatencies(join(dataDir, 'swiftlet.db'), t0, t1);
    const seconds = (t1 - t0) / 1000;
    const result = {
      at: new Date().toISOString(),
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      batch: BATCH,
      concurrency: CONCURRENCY,
      maxBacklog: MAX_BACKLOG,
      connector: {
        window: WINDOW ?? 200,
        binds: BINDS ?? 1,
        note: WINDOW || BINDS ? 'changed via PATCH /connectors' : 'embedded default',
      },
      endToEndPerSecond: Math.round((r1 - r0) / seconds),
      acceptedPerSecond: Math.round((a1 - a0) / seconds),
      worstSecond: Math.min(...perSecond),
      bestSecond: Math.max(...perSecond),
      totalAccepted: sender.accepted,
      totalReported: rx.arrivals.size,
      pushRequests: rx.requests,
      notReported: lost,
      sendErrors: sender.errors,
      submitLatencyMs: lat.submitMs,
      receiptLatencyMs: lat.receiptMs,
      latencySample: lat.sampled,
      endToEndLatencyMs: { p50: pct(e2e, 50), p99: pct(e2e, 99) },
      serverPeakRssMiB: peak,
      serverRssMiB: { min: Math.min(...rssSamples), max: Math.max(...rssSamples) },
      // How much CPU the server got (1.0 = one core busy all the time) and spent per message: on
      // a shared machine, a low share means other load held the server back.
      serverCpuCores: Math.round(((cpu1 - cpu0) / seconds) * 100) / 100,
      serverCpuMsPerMessage: r1 > r0 ? Math.round(((cpu1 - cpu0) * 1000 * 1000) / (r1 - r0)) / 1000 : null,
      target: { endToEndPerSecond: 5000, met: (r1 - r0) / seconds >= 5000 },
      machine: machine(),
      serverNodeArgs: NODE_ARGS,
    };
    console.log(JSON.stringify(result, null, 2));
    writeResults('sustained', result);
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await rx.close();
    if (!env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`data dir kept: ${dataDir}`);
  }
}

async function queue(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-bench-queue-'));
  const port = await freePort();
  const smscPort = await freePort();
  const rx = startReceiver();
  const rxPort = await rx.listen();
  const configFile = join(dataDir, 'swiftlet.json');
  // The carrier is configured but nothing listens yet: messages queue up, none is submitted.
  writeFileSync(
    configFile,
    JSON.stringify({
      simulator: { enabled: false },
      carriers: {
        connectors: [
          {
            name: 'later',
            host: '127.0.0.1',
            port: smscPort,
            systemId: 'bench',
            password: 'pw',
            window: 50,
            msgIdType: 'hex',
          },
        ],
        routes: [{ name: 'all', connectors: ['later'] }],
      },
    }),
  );
  const proc = spawnNode([
    ...NODE_ARGS,
    join(ROOT, 'bin', 'swiftlet.mjs'),
    'serve',
    '--demo',
    '--port',
    String(port),
    '--data',
    dataDir,
    '--config',
    configFile,
  ]);
  const url = `http://127.0.0.1:${port}`;
  let sim: ChildProcess | undefined;
  try {
    await waitReady(url);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as Demo;
    const client = new SmsClient({
      endpoint: url,
      appKey: demo.appKey,
      appSecret: demo.appSecret,
      timeoutMs: 60_000,
    });
    const fill: Array<{ s: number; queued: number; rssMiB: number }> = [];
    const drain: Array<{ s: number; reported: number; rssMiB: number }> = [];
    const t0 = Date.now();
    const sender = startSending(client, demo, `http://127.0.0.1:${rxPort}/report`, () => true, {
      concurrency: 4,
      batch: 500,
      limit: QUEUE,
      trackTimes: false,
    });
    const sampler = setInterval(() => {
      fill.push({
        s: Math.round((Date.now() - t0) / 1000),
        queued: sender.accepted,
        rssMiB: rssOf(proc.pid as number).rss,
      });
    }, 1000);
    await sender.finished;
    clearInterval(sampler);
    const filledIn = (Date.now() - t0) / 1000;
    fill.push({ s: Math.round(filledIn), queued: sender.accepted, rssMiB: rssOf(proc.pid as number).rss });
    console.log(
      `queued ${sender.accepted} in ${filledIn.toFixed(1)} s (${Math.round(sender.accepted / filledIn)} msg/s accepted)`,
    );
    for (const f of fill.filter((_, i) => i % 10 === 0))
      console.log(`  fill ${f.s}s: ${f.queued} queued, RSS ${f.rssMiB} MiB`);
    // Let it sit with the full queue a little (the dispatcher keeps cycling its held messages).
    await sleep(5_000);
    const idleRss = rssOf(proc.pid as number).rss;
    sim = spawnNode([join(ROOT, 'bin', 'swiftlet.mjs'), 'simulator', '--port', String(smscPort)]);
    const d0 = Date.now();
    for (let i = 0; i < DRAIN_S; i++) {
      await sleep(1000);
      drain.push({ s: i + 1, reported: rx.arrivals.size, rssMiB: rssOf(proc.pid as number).rss });
      if (i % 10 === 9)
        console.log(
          `  drain ${i + 1}s: ${rx.arrivals.size} reported, RSS ${drain[drain.length - 1].rssMiB} MiB`,
        );
    }
    const drained = rx.arrivals.size;
    const peak = rssOf(proc.pid as number).peak;
    client.close();
    const fillRss = fill.map((f) => f.rssMiB).filter((x) => x > 0);
    const drainRss = drain.map((f) => f.rssMiB);
    const result = {
      at: new Date().toISOString(),
      queued: sender.accepted,
      sendErrors: sender.errors,
      fillSeconds: Math.round(filledIn),
      acceptedPerSecond: Math.round(sender.accepted / filledIn),
      rssMiB: {
        fill: {
          first: fillRss[0],
          min: Math.min(...fillRss),
          max: Math.max(...fillRss),
          last: fillRss[fillRss.length - 1],
        },
        idleWithFullQueue: idleRss,
        drain: {
          min: Math.min(...drainRss),
          max: Math.max(...drainRss),
          last: drainRss[drainRss.length - 1],
        },
        peak,
      },
      drainSeconds: Math.round((Date.now() - d0) / 1000),
      drainedReports: drained,
      drainPerSecond: Math.round(drained / DRAIN_S),
      fillSamples: fill,
      drainSamples: drain,
      machine: machine(),
      serverNodeArgs: NODE_ARGS,
    };
    console.log(JSON.stringify({ ...result, fillSamples: undefined, drainSamples: undefined }, null, 2));
    writeResults('queue', result);
  } finally {
    sim?.kill('SIGTERM');
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    await rx.close();
    if (!env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (QUEUE > 0) await queue();
else await sustained();
