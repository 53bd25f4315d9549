/**
 * Issue #6, "done when" 1: three `swiftlet serve` processes on one fresh PostgreSQL database and a
 * standalone simulator process. 10,000 messages go in through all three APIs (100-number
 * batches, statusCallback to a local receiver); one node is SIGKILLed in the middle. Then:
 * every accepted message is final, every one has a status report pushed at least once, the dead
 * node's binds are held again by the survivors, and the only destinations submitted twice are
 * ones whose first submit went over a session of the killed node (its in-flight window).
 *
 * Also covers: three nodes migrating an empty database at once, /readyz on every node, binds
 * spread over live nodes, and receipts answered on another node's bind (the simulator sends each
 * receipt on any bound session of the system_id, round robin).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type DemoInfo, provisionDemo } from '../../src/api/demo/provision-demo.js';
import { SmsClient } from '../../src/client/sms-client.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import {
  type ClusterView,
  createClusterDatabase,
  manage,
  type NodeProcess,
  numberFor,
  type ReportReceiver,
  SECRET_KEY,
  type SimulatorProcess,
  sleep,
  startNode,
  startReportReceiver,
  startSimulatorProcess,
  waitFor,
  writeClusterConfig,
} from './helpers/cluster-harness.js';

const TOTAL = 10_000;
const BATCH = 100;
const BINDS = 6;
const CONCURRENCY = 6;

describe('three nodes on one PostgreSQL database, one SIGKILLed mid-run', { timeout: 240_000 }, () => {
  let db: Awaited<ReturnType<typeof createClusterDatabase>>;
  let sim: SimulatorProcess;
  let receiver: ReportReceiver;
  let nodes: NodeProcess[] = [];
  let store: Store;
  let sql: pg.Client;
  let demo: DemoInfo;
  const demoDir = mkdtempSync(join(tmpdir(), 'swiftlet-cluster-demo-'));

  before(async () => {
    db = await createClusterDatabase();
    [sim, receiver] = await Promise.all([startSimulatorProcess(100), startReportReceiver()]);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await store?.close();
    await sql?.end();
    await sim?.stop();
    await receiver?.close();
    await db?.drop();
    rmSync(demoDir, { recursive: true, force: true });
  });

  /** On failure, prints what explains a message that never became final, then rethrows. */
  async function diagnoseOnFailure<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      const q = async (text: string) => JSON.stringify((await sql.query(text)).rows);
      console.log(
        `# stuck parts: ${await q(`SELECT p.message_id, p.seq, p.state, p.carrier_msg_id, p.submitted_at, m.updated_at
        FROM message_parts p JOIN messages m ON m.id = p.message_id WHERE m.final_at IS NULL ORDER BY 1 LIMIT 20`)}`,
      );
      console.log(
        `# their parked receipts: ${await q(`SELECT r.* FROM pending_receipts r JOIN message_parts p
        ON p.connector_id = r.connector_id AND p.carrier_msg_id = r.carrier_msg_id
        JOIN messages m ON m.id = p.message_id WHERE m.final_at IS NULL LIMIT 20`)}`,
      );
      console.log(`# parked receipts in all: ${await q('SELECT count(*) FROM pending_receipts')}`);
      console.log(
        `# events of one: ${await q(`SELECT e.kind, e.seq, e.at, e.detail FROM events e WHERE e.message_id =
        (SELECT min(id) FROM messages WHERE final_at IS NULL) ORDER BY e.id`)}`,
      );
      console.log(`# simulator: ${JSON.stringify((await sim.stats()).stats)}`);
      for (const n of nodes) {
        const warn = n
          .logTail()
          .split('\n')
          .filter((l) => /"level":(4|5|6)0/.test(l))
          .slice(-15);
        console.log(`# ${n.id} warnings:\n${warn.join('\n')}`);
      }
      throw err;
    }
  }

  it('three nodes start together on an empty database: migrations run once, all ready', async () => {
    const config = writeClusterConfig({
      databaseUrl: db.url,
      simulatorPort: sim.port,
      binds: BINDS,
      window: 50,
    });
    nodes = await Promise.all(['node-a', 'node-b', 'node-c'].map((id) => startNode(id, config)));
    for (const n of nodes) {
      const res = await fetch(`${n.url}/readyz`);
      const body = (await res.json()) as {
        status: string;
        store: string;
        migrations: { applied: number; known: number };
      };
      assert.equal(res.status, 200, `${n.id} /readyz`);
      assert.equal(body.store, 'postgres');
      assert.equal(body.migrations.applied, body.migrations.known);
      assert.equal((await fetch(`${n.url}/healthz`)).status, 200);
    }
    store = await openStore({ url: db.url, secretKey: Buffer.from(SECRET_KEY, 'hex') });
    // Three nodes applied the same carriers file at once: still one connector, one route.
    assert.equal((await store.listConnectors()).length, 1);
    assert.equal((await store.listRoutes()).length, 1);
    demo = (await provisionDemo(store, demoDir)).demo;
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });

  it('binds are spread over the live nodes and never exceed the connector’s count', async () => {
    const view = await waitFor(
      'binds spread over three nodes',
      async () => {
        const v = await manage<ClusterView>(nodes[0].url, '/cluster');
        const perNode = v.nodes.map((n) => n.binds);
        return v.nodes.length === 3 && perNode.every((b) => b === BINDS / 3) ? v : null;
      },
      30_000,
      200,
    );
    assert.deepEqual(view.nodes.map((n) => n.nodeId).sort(), ['node-a', 'node-b', 'node-c']);
    assert.ok(view.connectors[0].slots.every((s) => s.nodeId !== null));
    await waitFor('all sessions bound at the simulator', async () => (await sim.stats()).bound === BINDS);
    assert.ok((await sim.stats()).maxBound <= BINDS, 'never more binds than the connector allows');
  });

  it('10,000 messages through all three APIs survive a SIGKILLed node', async () => {
    const accepted = new Set<string>();
    const clients = nodes.map(
      (n) =>
        new SmsClient({
          endpoint: n.url,
          appKey: demo.appKey,
          appSecret: demo.appSecret,
          retries: 0,
          timeoutMs: 20_000,
        }),
    );
    const tpl = demo.templates.find((t) => t.params.length === 0) ?? demo.templates[0];
    const victim = nodes[2];
    let killedAt = 0;
    const startedAt = Date.now();
    const log = (m: string) => console.log(`# ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${m}`);
    let uncertain = 0;
    let next = 0;
    let done = 0;

    const sendBatch = async (b: number, worker: number): Promise<void> => {
      const to = Array.from({ length: BATCH }, (_, i) => numberFor(b * BATCH + i));
      // Round robin over the APIs; a load balancer skips the dead node once it is gone.
      for (let attempt = 0; ; attempt++) {
        const live = nodes.map((n, i) => ({ n, i })).filter(({ n }) => n.alive);
        const { i } = live[(b + worker + attempt) % live.length];
        try {
          const res = await clients[i].batchSendSms({
            from: demo.signature.channelNumber,
            to,
            templateId: tpl.id,
            templateParas: tpl.params.length > 0 ? tpl.params : undefined,
            statusCallback: receiver.url,
          });
          assert.equal(res.code, '000000');
          for (const r of res.result ?? []) if (r.status === '000000') accepted.add(r.smsMsgId);
          return;
        } catch (err) {
          const e = err as { mayHaveBeenSent?: boolean; name?: string };
          // A request cut by the kill may or may not have committed; it is not counted as
          // accepted (the client saw no answer) and is not retried (that could duplicate it).
          if (e.mayHaveBeenSent !== false) {
            uncertain++;
            return;
          }
          if (attempt > 5) throw err;
        }
      }
    };

    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        for (;;) {
          const b = next++;
          if (b >= TOTAL / BATCH) return;
          await sendBatch(b, worker);
          done++;
          if (done === TOTAL / BATCH / 2 && killedAt === 0) {
            killedAt = Date.now();
            victim.kill();
          }
        }
      }),
    );
    for (const c of clients) c.close();
    const sentAt = Date.now();
    log(`sent: ${accepted.size} accepted in ${sentAt - startedAt} ms, killed at ${killedAt - startedAt} ms`);
    assert.ok(killedAt > 0);
    assert.ok(
      accepted.size >= TOTAL - uncertain * BATCH,
      `accepted ${accepted.size}, uncertain batches ${uncertain}`,
    );

    // Every accepted message reaches a final state (the dead node's claims are taken over).
    await diagnoseOnFailure(
      waitFor(
        'every message final',
        async () => {
          const r = await sql.query<{ state: string; attempts: number; n: string; owner: string | null }>(
            `SELECT m.state, m.attempts, q.lease_owner AS owner, count(*) AS n FROM messages m
             LEFT JOIN queue q ON q.message_id = m.id WHERE m.final_at IS NULL GROUP BY 1, 2, 3`,
          );
          if (process.env.CLUSTER_DEBUG) console.log('# pending', JSON.stringify(r.rows));
          return r.rows.length === 0;
        },
        120_000,
        500,
      ),
    );
    log('every message final');
    const states = await sql.query<{ state: string; n: string }>(
      'SELECT state, count(*) AS n FROM messages GROUP BY state',
    );
    const byState = Object.fromEntries(states.rows.map((r) => [r.state, Number(r.n)]));
    assert.deepEqual(Object.keys(byState), ['DELIVERED'], JSON.stringify(byState));
    const ids = await sql.query<{ sms_msg_id: string }>('SELECT sms_msg_id FROM messages');
    const stored = new Set(ids.rows.map((r) => r.sms_msg_id));
    for (const id of accepted) assert.ok(stored.has(id), `accepted ${id} is stored`);

    // Every status report is pushed at least once.
    await waitFor(
      'a status report for every message',
      () => [...stored].every((id) => (receiver.reports.get(id) ?? 0) >= 1),
      60_000,
      500,
    );

    log('every status report pushed');
    // The dead node's binds are held by the survivors, and bound at the simulator again.
    const view = await waitFor(
      'binds re-established by the survivors',
      async () => {
        const v = await manage<ClusterView>(nodes[0].url, '/cluster');
        const holders = v.connectors[0].slots.map((s) => s.nodeId);
        return v.nodes.length === 2 && holders.every((h) => h === 'node-a' || h === 'node-b') ? v : null;
      },
      20_000,
      200,
    );
    assert.deepEqual(
      view.nodes.map((n) => n.binds),
      [BINDS / 2, BINDS / 2],
    );
    await waitFor(
      'sessions bound again at the simulator',
      async () => (await sim.stats()).bound === BINDS,
      20_000,
    );

    // Duplicates only from the dead node's window: the first submit of every destination sent
    // twice arrived on a session that closed when the node was killed.
    const s = await sim.stats();
    assert.ok(s.maxBound <= BINDS, `at most ${BINDS} binds at once (saw ${s.maxBound})`);
    const sessions = new Map(s.sessions.map((x) => [x.id, x]));
    const victimSession = (id: number) => {
      const x = sessions.get(id);
      return x?.closedAt != null && x.closedAt >= killedAt - 50;
    };
    for (const d of s.duplicates) {
      assert.ok(
        d.sessions.slice(0, -1).every(victimSession),
        `${d.destination} submitted ${d.sessions.length}× outside the dead node's window (sessions ${d.sessions})`,
      );
    }
    assert.equal(s.destinations, stored.size, 'every message submitted');
    console.log(
      `# cluster: ${accepted.size} accepted (${uncertain} batches cut by the kill), ${s.submits} submits, ` +
        `${s.duplicates.length} destinations resubmitted from the dead node's window, ` +
        `${receiver.pushes} pushes, ${s.stats.redeliveries} receipt redeliveries`,
    );
    await sleep(0);
  });
});
