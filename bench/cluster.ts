/**
 * `bench/cluster.ts`: end-to-end messages per second for 1, 2 and 3 Swiftlet nodes on one
 * PostgreSQL database, next to one node on SQLite. Each run: a fresh database, a standalone
 * simulator process, N `swiftlet serve` processes, a status-report receiver in this process.
 * After a warm-up of WARMUP messages (not timed), MESSAGES messages go in through all APIs
 * (100-number batches, round robin); the clock stops when every status report arrived. Writes
 * bench/results/cluster.json.
 *
 * On a 2-core machine more nodes are not faster (they share the CPU); the figure is the cost of
 * coordination: `1 - msgPerSec(N nodes) / msgPerSec(1 node)` on PostgreSQL (target < 30 %).
 *
 *   node --import tsx bench/cluster.ts   (BENCH_MESSAGES=6000, BENCH_WARMUP=1000 by default;
 *                                         BENCH_RUNS=postgres:1,postgres:3 for a subset)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { provisionDemo } from '../src/api/demo/provision-demo.js';
import { SmsClient } from '../src/client/sms-client.js';
import { openStore } from '../src/store/open-store.js';
import {
  type ClusterView,
  createClusterDatabase,
  manage,
  type NodeProcess,
  numberFor,
  PG_ADMIN_URL,
  ROOT,
  SECRET_KEY,
  sleep,
  startNode,
  startReportReceiver,
  startSimulatorProcess,
  waitFor,
  writeClusterConfig,
} from '../test/cluster/helpers/cluster-harness.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 6_000);
/** Messages sent through every run before the clock starts (BENCH_WARMUP, default 1,000). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1_000);
const BATCH = 100;
const CONCURRENCY = 6;
const BINDS = 6;

interface RunResult {
  store: 'sqlite' | 'postgres';
  nodes: number;
  messages: number;
  /** Accept phase: all requests answered. */
  acceptMs: number;
  /** First request → last status report received. */
  totalMs: number;
  msgPerSec: number;
  /** CPU (user + system) of all node processes during the timed run, per 1,000 messages. */
  nodeCpuMsPer1000: number;
  /** CPU of the nodes' PostgreSQL backends during the timed run, per 1,000 messages. */
  pgCpuMsPer1000: number | null;
  /** PostgreSQL transactions committed (each single statement outside a transaction is one), per 1,000 messages. */
  pgCommitsPer1000: number | null;
  loadAvgBefore: number;
}

/** CPU time (user + system, ms) of these processes so far, from /proc (0 where unreadable). */
function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone or not Linux
    }
  }
  return ticks * 10; // USER_HZ = 100
}

/** Server processes of the connections open to database `name`, and its committed transactions. */
async function backendPids(name: string): Promise<{ pids: number[]; commits: number }> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    const r = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
    // Statistics are sent by backends in batches; ask for a fresh snapshot.
    await c.query('SELECT pg_stat_clear_snapshot()');
    const x = await c.query<{ n: string }>(
      'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1',
      [name],
    );
    return { pids: r.rows.map((y) => y.pid), commits: Number(x.rows[0]?.n ?? 0) };
  } finally {
    await c.end();
  }
}

async function run(kind: 'sqlite' | 'postgres', nodeCount: number): Promise<RunResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'swiftlet-bench-cluster-'));
  const db = kind === 'postgres' ? await createClusterDatabase() : null;
  const url = db ? db.url : `sqlite:${join(tmp, 'swiftlet.db')}`;
  const sim = await startSimulatorProcess(100);
  const receiver = await startReportReceiver();
  const nodes: NodeProcess[] = [];
  try {
    const config = writeClusterConfig({
      databaseUrl: url,
      simulatorPort: sim.port,
      binds: BINDS,
      window: 100,
      // Production-like leases: the benchmark kills nothing.
      engine: { leaseMs: 30_000, connectorRefreshMs: 1_000, bindLeaseMs: 5_000 },
      webhooks: { leaseMs: 60_000 },
    });
    for (const n of await Promise.all(
      Array.from({ length: nodeCount }, (_, i) => startNode(`bench-${i + 1}`, config)),
    ))
      nodes.push(n);
    const store = await openStore({ url, secretKey: Buffer.from(SECRET_KEY, 'hex') });
    const demo = (await provisionDemo(store, tmp)).demo;
    await store.close();
    await waitFor('all binds up', async () => (await sim.stats()).bound === BINDS, 30_000);
    // Binds are rebalanced as nodes join (the first node up may hold them all for a moment); a
    // bind moving during the timed run delays its window and receipts. Start once every node
    // holds its share.
    await waitFor(
      'binds spread over the nodes',
      async () => {
        const v = await manage<ClusterView>(nodes[0].url, '/cluster');
        const held = nodes.map(
          (n) => v.connectors.flatMap((c) => c.slots).filter((sl) => sl.nodeId === n.id).length,
        );
        return (
          v.nodes.length === nodeCount &&
          held.every((h) => h === Math.ceil(BINDS / nodeCount) || h === Math.floor(BINDS / nodeCount)) &&
          (await sim.stats()).bound === BINDS
        );
      },
      30_000,
      100,
    );

    const tpl = demo.templates.find((t) => t.params.length === 0) ?? demo.templates[0];
    const clients = nodes.map(
      (n) =>
        new SmsClient({ endpoint: n.url, appKey: demo.appKey, appSecret: demo.appSecret, timeoutMs: 60_000 }),
    );
    /** Sends `count` messages (100-number batches, round robin over the nodes). */
    const sendAll = async (count: number, prefix: string) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, w) => {
          for (;;) {
            const b = next++;
            if (b >= count / BATCH) return;
            const to = Array.from({ length: BATCH }, (_, i) => numberFor(b * BATCH + i, prefix));
            const res = await clients[(b + w) % clients.length].batchSendSms({
              from: demo.signature.channelNumber,
              to,
              templateId: tpl.id,
              statusCallback: receiver.url,
            });
            if (res.code !== '000000') throw new Error(`send failed: ${res.code}`);
          }
        }),
      );
    };
    // Warm-up (not timed): every node process compiles its hot paths once; on a short run that
    // one-off cost per process would be read as coordination cost.
    if (WARMUP > 0) {
      await sendAll(WARMUP, '139');
      await waitFor('warm-up reports', () => receiver.reports.size >= WARMUP, 600_000, 50);
    }
    const pgBefore = db ? await backendPids(db.name) : { pids: [], commits: 0 };
    const pgPids = pgBefore.pids;
    const cpuBefore = { nodes: cpuMsOf(nodes.map((n) => n.pid)), pg: cpuMsOf(pgPids) };
    const loadAvgBefore = loadavg()[0];
    const started = Date.now();
    await sendAll(MESSAGES, '138');
    const acceptMs = Date.now() - started;
    await waitFor('every status report', () => receiver.reports.size >= WARMUP + MESSAGES, 600_000, 50);
    const totalMs = Date.now() - started;
    const nodeCpuMs = cpuMsOf(nodes.map((n) => n.pid)) - cpuBefore.nodes;
    const pgCpuMs = cpuMsOf(pgPids) - cpuBefore.pg;
    // Counters reach pg_stat_database up to 1 s (PGSTAT_MIN_INTERVAL) after a transaction.
    if (db) await sleep(1100);
    const pgAfter = db ? await backendPids(db.name) : pgBefore;
    for (const c of clients) c.close();
    return {
      store: kind,
      nodes: nodeCount,
      messages: MESSAGES,
      acceptMs,
      totalMs,
      msgPerSec: Math.round((MESSAGES / totalMs) * 1000),
      nodeCpuMsPer1000: Math.round((nodeCpuMs / MESSAGES) * 1000),
      pgCpuMsPer1000: db ? Math.round((pgCpuMs / MESSAGES) * 1000) : null,
      pgCommitsPer1000: db ? Math.round(((pgAfter.commits - pgBefore.commits) / MESSAGES) * 1000) : null,
      loadAvgBefore: Math.round(loadAvgBefore * 100) / 100,
    };
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await sim.stop();
    await receiver.close();
    await db?.drop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Which runs (default all four). `BENCH_RUNS=postgres:1,postgres:2` runs a subset, prints it and
 * does not write the results file (a partial run would drop the other rows).
 */
const ALL_RUNS = [
  ['sqlite', 1],
  ['postgres', 1],
  ['postgres', 2],
  ['postgres', 3],
] as const;
const RUNS = process.env.BENCH_RUNS
  ? ALL_RUNS.filter(([k, n]) => process.env.BENCH_RUNS?.split(',').includes(`${k}:${n}`))
  : ALL_RUNS;

const results: RunResult[] = [];
for (const [kind, n] of RUNS) {
  const r = await run(kind, n);
  results.push(r);
  console.log(
    `${kind.padEnd(8)} ${n} node(s): ${r.msgPerSec} msg/s end to end (${r.messages} in ${r.totalMs} ms; accepted in ${r.acceptMs} ms; load ${r.loadAvgBefore}; CPU ms per 1,000 msgs: nodes ${r.nodeCpuMsPer1000}, postgres ${r.pgCpuMsPer1000 ?? '-'}; commits per 1,000: ${r.pgCommitsPer1000 ?? '-'})`,
  );
}
const pg1 = results.find((r) => r.store === 'postgres' && r.nodes === 1)?.msgPerSec ?? 0;
const coordinationCost = Object.fromEntries(
  results
    .filter((r) => r.store === 'postgres' && r.nodes > 1)
    .map((r) => [`${r.nodes}-nodes`, pg1 > 0 ? Math.round((1 - r.msgPerSec / pg1) * 1000) / 1000 : null]),
);
const out = {
  benchmark: 'cluster',
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? '',
    note: 'CPU shared with other work while measured',
  },
  settings: {
    messages: MESSAGES,
    warmup: WARMUP,
    batch: BATCH,
    concurrency: CONCURRENCY,
    binds: BINDS,
    receiptDelayMs: 100,
  },
  results,
  /** 1 − msg/s(N nodes on PostgreSQL) / msg/s(1 node on PostgreSQL); target < 0.30. */
  coordinationCost,
};
console.log('coordination cost vs 1 PostgreSQL node:', JSON.stringify(coordinationCost));
if (RUNS.length === ALL_RUNS.length) {
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'cluster.json'), `${JSON.stringify(out, null, 2)}\n`);
}
