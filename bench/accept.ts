/**
 * Accept benchmark: drives the public send API of a real `swiftlet serve --demo` process (SQLite,
 * engine and embedded simulator running, as a user runs it) with autocannon, in two shapes:
 *
 *   batch  — batchSendSms with 100 numbers per request, as fast as the server answers;
 *   single — one number per request at a fixed 500 requests per second (latency under load).
 *
 * Each shape runs on its own fresh server. Prints accepted messages per second, request p50/p99
 * latency and the server's peak RSS, checks
 * that every accepted message is committed (rows counted in the SQLite file afterwards), and writes
 * the figures to bench/results/accept.json.
 *
 * Parameters (env): BENCH_DURATION (s, default 15), BENCH_CONNECTIONS (default 16), BENCH_RATE
 * (single-number requests per second, default 500), BENCH_NODE_ARGS (extra node flags for the server
 * process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { serverNodeArgs } from './server-node-flags.js';

const duration = Number(process.env.BENCH_DURATION ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const rate = Number(process.env.BENCH_RATE ?? 500);
/**
 * Seconds of the same load, run first and discarded: the first second on a cold process runs
 * unoptimised code, and autocannon's coordinated-omission correction (each late response is
 * recorded again for every 1/rate interval it delayed) lets that one second dominate a 15 s p99.
 */
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const root = join(import.meta.dirname, '..');
/** The product's node flags for the server process, plus BENCH_NODE_ARGS (server-node-flags.ts). */
const nodeArgs = serverNodeArgs();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function wsse(appKey: string, secret: string): Record<string, string> {
  const nonce = randomBytes(16).toString('hex');
  const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const hex = createHash('sha256')
    .update(nonce + created + secret)
    .digest('hex');
  const digest = Buffer.from(hex).toString('base64');
  return {
    authorization: 'WSSE realm="SDP",profile="UsernameToken",type="Appkey"',
    'x-wsse': `UsernameToken Username="${appKey}",PasswordDigest="${digest}",Nonce="${nonce}",Created="${created}"`,
  };
}

let serial = 0;
function numbers(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    serial++;
    out.push(`+86138${String(serial).padStart(8, '0')}`);
  }
  return out.join(',');
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

interface Running {
  url: string;
  dataDir: string;
  demo: {
    appKey: string;
    appSecret: string;
    signature: { channelNumber: string };
    templates: Array<{ id: string; params: string[] }>;
  };
  stop(): Promise<{ peakRss: number; committed: number }>;
}

/** A fresh `swiftlet serve --demo` process on its own data directory, as a user starts it. */
async function startServer(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-bench-accept-'));
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      ...nodeArgs,
      join(root, 'bin', 'swiftlet.mjs'),
      'serve',
      '--demo',
      '--port',
      String(port),
      '--data',
      dataDir,
    ],
    {
      // The checkout's sources, not a dist/ that may predate them.
      env: { SWIFTLET_FROM_SOURCE: '1', ...process.env, SWIFTLET_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
  return {
    url,
    dataDir,
    demo,
    async stop() {
      const rss = peakRss(server.pid as number);
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      const db = new Database(join(dataDir, 'swiftlet.db'), { readonly: true });
      const committed = (db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
      return { peakRss: rss, committed };
    },
  };
}

function drive(server: Running, title: string, perRequest: number, opts: Partial<autocannon.Options>) {
  const { demo } = server;
  const template = demo.templates.find((t) => t.params.length > 0);
  if (!template) throw new Error('the demo has no template with a variable');
  return autocannon({
    title,
    url: server.url,
    duration,
    connections,
    ...opts,
    requests: [
      {
        method: 'POST',
        path: '/sms/batchSendSms/v1',
        setupRequest: (req) => {
          const body = new URLSearchParams({
            from: demo.signature.channelNumber,
            to: numbers(perRequest),
            templateId: template.id,
            templateParas: JSON.stringify(template.params),
          }).toString();
          return {
            ...req,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...wsse(demo.appKey, demo.appSecret),
            },
            body,
          };
        },
      },
    ],
  });
}

/**
 * Each scenario runs on its own fresh server: run back to back on one server, the single-number
 * scenario would measure the API while the engine drains the batch scenario's backlog of several
 * hundred thousand messages, which is neither scenario.
 */
async function main(): Promise<void> {
  const batchServer = await startServer();
  const batchWarm = await drive(batchServer, 'warm-up', 100, { duration: warmup });
  const batch = await drive(batchServer, 'batch of 100', 100, {});
  const batchEnd = await batchServer.stop();
  const singleServer = await startServer();
  const singleWarm = await drive(singleServer, 'warm-up', 1, {
    duration: warmup,
    overallRate: rate,
    connections: Math.max(connections, 32),
  });
  const single = await drive(singleServer, 'single number at fixed rate', 1, {
    overallRate: rate,
    connections: Math.max(connections, 32),
  });
  const singleEnd = await singleServer.stop();

  const acceptedBatch = batch['2xx'] * 100;
  const acceptedSingle = single['2xx'];
  // Every message answered 000000, warm-up included, must be in the database.
  const answeredBatch = (batchWarm['2xx'] + batch['2xx']) * 100;
  const answeredSingle = singleWarm['2xx'] + single['2xx'];
  const result = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    loadAverage: loadavg(),
    params: { duration, warmupSeconds: warmup, connections, rate },
    batch: {
      requests: batch.requests.total,
      non2xx: batch.non2xx,
      errors: batch.errors,
      acceptedMessagesPerSec: Math.round(acceptedBatch / duration),
      p50Ms: batch.latency.p50,
      p99Ms: batch.latency.p99,
      serverPeakRssMiB: Math.round(batchEnd.peakRss / 1024 / 1024),
      answeredMessages: answeredBatch,
      committedMessages: batchEnd.committed,
      allCommitted: batchEnd.committed >= answeredBatch,
    },
    single: {
      requests: single.requests.total,
      non2xx: single.non2xx,
      errors: single.errors,
      requestsPerSec: Math.round(single.requests.average),
      p50Ms: single.latency.p50,
      p99Ms: single.latency.p99,
      serverPeakRssMiB: Math.round(singleEnd.peakRss / 1024 / 1024),
      answeredMessages: answeredSingle,
      committedMessages: singleEnd.committed,
      allCommitted: singleEnd.committed >= answeredSingle,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `accept: batch ${result.batch.acceptedMessagesPerSec} msg/s (p50 ${result.batch.p50Ms} ms, p99 ${result.batch.p99Ms} ms, ` +
      `committed ${batchEnd.committed}/${answeredBatch}, peak RSS ${result.batch.serverPeakRssMiB} MiB); ` +
      `single @${rate}/s p50 ${result.single.p50Ms} ms p99 ${result.single.p99Ms} ms ` +
      `(committed ${singleEnd.committed}/${answeredSingle}, peak RSS ${result.single.serverPeakRssMiB} MiB)`,
  );
  writeFileSync(join(root, 'bench', 'results', 'accept.json'), `${JSON.stringify(result, null, 2)}\n`);
}

await main();
