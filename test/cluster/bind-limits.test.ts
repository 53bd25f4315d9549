/**
 * Issue #6, "done when" 2: two nodes on one PostgreSQL database never exceed a connector's bind
 * count or its throughput cap together, and a receipt that arrives on the other node's bind is
 * matched through the store. The nodes run in this process (`startServer` twice, own node ids,
 * own pools); the SMSC is a scripted one on src/smpp/smpp-server.ts that counts concurrent binds
 * and the submit times.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DemoInfo, provisionDemo } from '../../src/api/demo/provision-demo.js';
import { SmsClient } from '../../src/client/sms-client.js';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/main.js';
import {
  ADMIN_TOKEN,
  type ClusterView,
  createClusterDatabase,
  manage,
  numberFor,
  SECRET_KEY,
  waitFor,
} from './helpers/cluster-harness.js';
import { ScriptedSmsc } from './helpers/scripted-smsc.js';

interface Cluster {
  nodes: RunningServer[];
  demo: DemoInfo;
  close(): Promise<void>;
}

/** Two in-process nodes on a fresh database, one connector to `smscPort`. */
async function twoNodes(
  smscPort: number,
  connector: { binds: number; tps: number; window: number },
): Promise<Cluster> {
  const db = await createClusterDatabase();
  const dirs: string[] = [];
  const nodes: RunningServer[] = [];
  for (const nodeId of ['node-1', 'node-2']) {
    const dataDir = mkdtempSync(join(tmpdir(), `swiftlet-${nodeId}-`));
    dirs.push(dataDir);
    const { config } = loadConfig(
      {
        dataDir,
        databaseUrl: db.url,
        port: 0,
        nodeId,
        demo: false,
        logLevel: 'silent',
        adminToken: ADMIN_TOKEN,
        secretKey: SECRET_KEY,
        simulator: { enabled: false },
        frequency: { enabled: false },
        engine: { leaseMs: 10_000, connectorRefreshMs: 200, bindLeaseMs: 1_000 },
        carriers: {
          connectors: [
            {
              name: 'scripted',
              host: '127.0.0.1',
              port: smscPort,
              systemId: 'swiftlet',
              password: 'pw',
              ...connector,
            },
          ],
          routes: [{ name: 'all', connectors: ['scripted'] }],
        },
      },
      {},
    );
    nodes.push(await startServer(config, { print: () => {} }));
  }
  const demo = (await provisionDemo(nodes[0].store, dirs[0])).demo;
  return {
    nodes,
    demo,
    async close() {
      for (const n of nodes) await n.close();
      await db.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

async function send(c: Cluster, node: number, numbers: string[]): Promise<string[]> {
  const client = new SmsClient({
    endpoint: c.nodes[node].url,
    appKey: c.demo.appKey,
    appSecret: c.demo.appSecret,
  });
  const tpl = c.demo.templates.find((t) => t.params.length === 0) ?? c.demo.templates[0];
  try {
    const res = await client.batchSendSms({
      from: c.demo.signature.channelNumber,
      to: numbers,
      templateId: tpl.id,
    });
    assert.equal(res.code, '000000');
    return (res.result ?? []).map((r) => r.smsMsgId);
  } finally {
    client.close();
  }
}

describe('two nodes share a connector’s binds and throughput cap', { timeout: 90_000 }, () => {
  const BINDS = 3;
  const TPS = 40;
  const COUNT = 240;
  let smsc: ScriptedSmsc;
  let cluster: Cluster;

  before(async () => {
    smsc = new ScriptedSmsc();
    const port = await smsc.listen();
    cluster = await twoNodes(port, { binds: BINDS, tps: TPS, window: 10 });
  });
  after(async () => {
    await cluster?.close();
    await smsc?.close();
  });

  it('binds: spread 2 + 1, never more than the connector allows at the SMSC', async () => {
    const view = await waitFor('binds spread over both nodes', async () => {
      const v = await manage<ClusterView>(cluster.nodes[0].url, '/cluster');
      const per = v.nodes.map((n) => n.binds).sort();
      return v.nodes.length === 2 && per[0] === 1 && per[1] === 2 ? v : null;
    });
    assert.equal(view.connectors[0].slots.filter((s) => s.nodeId !== null).length, BINDS);
    await waitFor('three sessions bound', () => smsc.bound === BINDS);
    assert.ok(smsc.maxBound <= BINDS, `max concurrent binds ${smsc.maxBound}`);
  });

  it(`throughput: ${COUNT} messages through both APIs stay within ${TPS}/s together`, async () => {
    const half = COUNT / 2;
    await Promise.all([
      send(
        cluster,
        0,
        Array.from({ length: half }, (_, i) => numberFor(i)),
      ),
      send(
        cluster,
        1,
        Array.from({ length: half }, (_, i) => numberFor(half + i)),
      ),
    ]);
    await waitFor('every message submitted', () => smsc.submitTimes.length >= COUNT, 60_000);
    const t = smsc.submitTimes;
    const spanSec = (t[t.length - 1] - t[0]) / 1000;
    // A token bucket of capacity TPS refilled at TPS/s lets at most TPS × (span + 1) through.
    assert.ok(
      t.length <= TPS * (spanSec + 1) + 1,
      `${t.length} submits in ${spanSec.toFixed(2)} s exceed ${TPS}/s`,
    );
    assert.ok(smsc.maxInWindow(1000) <= 2 * TPS, `max in one second: ${smsc.maxInWindow(1000)}`);
    assert.ok(smsc.maxBound <= BINDS, `max concurrent binds ${smsc.maxBound}`);
  });
});

describe('a receipt on the other node’s bind is matched through the store', { timeout: 60_000 }, () => {
  let smsc: ScriptedSmsc;
  let cluster: Cluster;

  before(async () => {
    smsc = new ScriptedSmsc({ receiptOnOtherSessionAfterMs: 50 });
    const port = await smsc.listen();
    // Two binds over two nodes: one each, so "another session" is always the other node.
    cluster = await twoNodes(port, { binds: 2, tps: 0, window: 10 });
  });
  after(async () => {
    await cluster?.close();
    await smsc?.close();
  });

  it('every message becomes DELIVERED from receipts that arrived at the other node', async () => {
    await waitFor('one bind per node', async () => {
      const v = await manage<ClusterView>(cluster.nodes[0].url, '/cluster');
      return v.nodes.length === 2 && v.nodes.every((n) => n.binds === 1) && smsc.bound === 2;
    });
    const ids = [
      ...(await send(
        cluster,
        0,
        Array.from({ length: 20 }, (_, i) => numberFor(i, '139')),
      )),
      ...(await send(
        cluster,
        1,
        Array.from({ length: 20 }, (_, i) => numberFor(20 + i, '139')),
      )),
    ];
    const store = cluster.nodes[0].store;
    await waitFor(
      'all delivered',
      async () => {
        for (const id of ids)
          if ((await store.getMessageDetail(id))?.message.state !== 'DELIVERED') return false;
        return true;
      },
      30_000,
      200,
    );
    assert.equal(smsc.crossReceipts, ids.length, 'every receipt went over the other node’s bind');
  });
});

describe('an app’s tpsLimit is one budget for the whole cluster', { timeout: 60_000 }, () => {
  let smsc: ScriptedSmsc;
  let cluster: Cluster;

  before(async () => {
    smsc = new ScriptedSmsc();
    cluster = await twoNodes(await smsc.listen(), { binds: 1, tps: 0, window: 10 });
  });
  after(async () => {
    await cluster?.close();
    await smsc?.close();
  });

  it('requests over the limit on either node answer E000623 (HTTP 429)', async () => {
    const LIMIT = 2;
    await cluster.nodes[0].store.updateApp(cluster.demo.appId, { tpsLimit: LIMIT });
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send(cluster, i % 2, [numberFor(i, '137')]).then(
          () => 'ok',
          (err: { code?: string; httpStatus?: number }) => `${err.code}/${err.httpStatus}`,
        ),
      ),
    );
    const elapsedSec = (Date.now() - started) / 1000;
    const ok = outcomes.filter((o) => o === 'ok').length;
    assert.ok(
      outcomes.every((o) => o === 'ok' || o === 'E000623/429'),
      outcomes.join(', '),
    );
    assert.ok(ok >= 1, 'the first requests pass');
    // Both nodes draw from one bucket: capacity LIMIT, refilled LIMIT per second.
    assert.ok(ok <= LIMIT + Math.ceil(elapsedSec * LIMIT), `${ok} accepted in ${elapsedSec} s`);
    assert.ok(outcomes.includes('E000623/429'));
  });
});
