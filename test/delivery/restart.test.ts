/**
 * A second start on the same data directory (what `npm start` twice does) runs the embedded
 * simulator again and delivers — the simulator's own connector, left by the first start, is not
 * mistaken for a configured carrier. With a real carrier configured, the stale simulator
 * connector is switched off instead of routing to a port nobody listens on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DemoInfo } from '../../src/api/demo/provision-demo.js';
import { SmsClient } from '../../src/client/index.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/main.js';

const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-restart-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function config(extra: Record<string, unknown> = {}) {
  return loadConfig(
    {
      dataDir,
      port: 0,
      demo: true,
      logLevel: 'silent',
      consoleDir: join(dataDir, 'no-console'),
      simulator: { receiptDelayMs: 20 },
      ...extra,
    },
    {},
  ).config;
}

async function sendAndAwaitDelivery(url: string, demo: DemoInfo, to: string): Promise<string> {
  const client = new SmsClient({ endpoint: url, appKey: demo.appKey, appSecret: demo.appSecret });
  try {
    const tpl = demo.templates.find((t) => t.params.length === 0);
    assert.ok(tpl);
    const res = await client.batchSendSms({
      from: demo.signature.channelNumber,
      to: [to],
      templateId: tpl.id,
    });
    assert.equal(res.code, '000000', JSON.stringify(res));
    return res.result?.[0]?.smsMsgId as string;
  } finally {
    client.close();
  }
}

async function stateOf(url: string, token: string, smsMsgId: string, want: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await fetch(`${url}/api/v1/messages/${encodeURIComponent(smsMsgId)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const state = ((await r.json()) as { message: { state: string } }).message.state;
    if (state === want || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('npm start twice on one data directory: the second start delivers too', async () => {
  for (const round of [1, 2]) {
    const cfg = config();
    const server = await startServer(cfg, { print: () => {} });
    try {
      const id = await sendAndAwaitDelivery(server.url, server.demo as DemoInfo, `+861380000010${round}`);
      assert.equal(await stateOf(server.url, cfg.adminToken, id, 'DELIVERED'), 'DELIVERED', `start ${round}`);
      const connectors = await server.store.listConnectors();
      assert.equal(connectors.length, 1, 'one simulator connector, reused');
    } finally {
      await server.close();
    }
  }
});

test('with a real carrier configured, the stale simulator connector is switched off', async () => {
  const cfg = config({
    carriers: {
      connectors: [{ name: 'carrier-a', host: '127.0.0.1', port: 9, systemId: 'a', password: 'b' }],
      routes: [],
    },
  });
  const server = await startServer(cfg, { print: () => {} });
  try {
    const connectors = await server.store.listConnectors();
    const sim = connectors.find((c) => c.name === 'simulator');
    assert.ok(sim, 'the simulator connector from the first test is still stored');
    assert.equal(sim.enabled, false);
    assert.ok(connectors.some((c) => c.name === 'carrier-a' && c.enabled));
  } finally {
    await server.close();
  }
});
