import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Engine, type EngineConfig } from '../../src/engine/engine.js';
import { silentLogger } from '../../src/engine/logger.js';
import type { AppRecord, ConnectorRecord, NewMessage } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, type TestStore } from '../store/engines.js';
import { newMessage, newTestApp } from '../store/fixtures.js';
import { testEngineConfig, until } from './helpers/engine-harness.js';
import { newConnector, type RecordingLink, recordingFactory } from './helpers/recording-link.js';

const CONFIG = testEngineConfig();

describe('Engine with a recording carrier link (real store)', () => {
  let t: TestStore;
  let store: Store;
  let app: AppRecord;
  let connector: ConnectorRecord;
  let engine: Engine | undefined;
  let links: Map<string, RecordingLink>;

  beforeEach(async () => {
    t = await createTestStore();
    store = t.store;
    app = await newTestApp(store);
    connector = await store.createConnector(newConnector());
    await store.createRoute({
      name: 'cn',
      priority: 10,
      match: { prefixes: ['+86'] },
      connectorIds: [connector.id],
      strategy: 'failover',
      enabled: true,
    });
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await t.cleanup();
  });

  async function run(config: Partial<EngineConfig> = {}, clock?: () => number): Promise<RecordingLink> {
    const f = recordingFactory();
    links = f.links;
    engine = new Engine({
      store,
      config: { ...CONFIG, ...config },
      log: silentLogger,
      nodeId: 'node-1',
      linkFactory: f.factory,
      clock,
    });
    engine.start();
    await engine.ready();
    return links.get(connector.id) as RecordingLink;
  }
  const send = async (over: Partial<NewMessage> = {}) => {
    const m = newMessage(app, { statusCallback: 'http://cb.example/report', ...over });
    await store.acceptMessages([m]);
    return m;
  };
  const detail = (m: NewMessage) => store.getMessageDetail(m.smsMsgId);
  const finalOf = (m: NewMessage) =>
    until(async () => {
      const d = await detail(m);
      return d && d.message.finalAt !== null ? d : undefined;
    });

  it('submits a queued message and records the normalised carrier id per part', async () => {
    const link = await run();
    const m = await send({ total: 2, content: 'x'.repeat(200) });
    const d = await until(async () => {
      const x = await detail(m);
      return x?.message.state === 'SUBMITTED' ? x : undefined;
    });
    assert.equal(link.submits.length, 1);
    assert.equal(link.submits[0].message.smsMsgId, m.smsMsgId);
    assert.equal(d.message.connectorId, connector.id);
    // hex "0A…" → decimal, as the connector's msgIdType says.
    for (const p of d.parts) {
      assert.equal(p.state, 'SUBMITTED');
      assert.match(p.carrierMsgId ?? '', /^\d+$/);
    }
  });

  it('no route → FAILED E200027 with a platform report (source 1, no updateTime)', async () => {
    await run();
    const m = await send({ to: '+14155550100', countryId: 'US', extend: 'ext-1' });
    const d = await finalOf(m);
    assert.equal(d.message.state, 'FAILED');
    assert.equal(d.message.statusCode, 'E200027');
    assert.equal(d.pushes.length, 1);
    assert.deepEqual(d.pushes[0].payload, {
      smsMsgId: m.smsMsgId,
      total: '1',
      sequence: '1',
      status: 'E200027',
      statusDesc: 'Gateway matching failed: no route is configured for this number.',
      source: '1',
      orgCode: '000',
      extend: 'ext-1',
      to: '+14155550100',
    });
    assert.equal(links.get(connector.id)?.submits.length, 0);
  });

  it('blocklist: a global block rejects (SC:0001, source 3); an opt-out block only stops promotion', async () => {
    const link = await run();
    await store.addBlock({
      appId: null,
      number: '+8613900000001',
      scope: 'all',
      reason: 'manual',
      note: null,
    });
    await store.addBlock({
      appId: app.id,
      number: '+8613900000002',
      scope: 'promotion',
      reason: 'opt-out',
      note: null,
    });
    const blocked = await send({ to: '+8613900000001' });
    const promo = await send({ to: '+8613900000002', templateType: 'PROMOTION_TYPE' });
    const notify = await send({ to: '+8613900000002', templateType: 'NOTIFY_TYPE' });
    for (const m of [blocked, promo]) {
      const d = await finalOf(m);
      assert.equal(d.message.state, 'REJECTED');
      assert.equal(d.message.statusCode, 'SC:0001');
      assert.equal(d.pushes[0].payload.source, '3');
      assert.equal(d.pushes[0].payload.updateTime, undefined);
      assert.ok(d.events.some((e) => e.kind === 'intercepted'));
    }
    await until(async () => (await detail(notify))?.message.state === 'SUBMITTED');
    assert.deepEqual(
      link.submits.map((s) => s.message.smsMsgId),
      [notify.smsMsgId],
    );
  });

  it('an MO "R" (opt-out) blocks the next promotion message to that number', async () => {
    const link = await run();
    const sig = await store.createSignature({ appId: app.id, name: 'Shop', type: 'PROMOTION_TYPE' });
    const ch = (await store.approveSignature(sig.id))?.channelNumber as string;
    await link.deliver({ source_addr: '8613900000009', source_addr_ton: 1, destination_addr: ch, text: 'R' });
    const m = await send({ to: '+8613900000009', templateType: 'PROMOTION_TYPE' });
    const d = await finalOf(m);
    assert.equal(d.message.statusCode, 'SC:0001');
    assert.equal(link.submits.length, 0);
  });

  it('frequency caps (when enabled) reject with the rule code; keyword rules with KEYWORD', async () => {
    const link = await run({
      frequency: {
        enabled: true,
        rules: [{ windowMs: 60_000, max: 2, sameContent: false, code: 'MILIMIT' }],
      },
      interception: { keywords: ['casino'] },
    });
    const now = Date.now();
    const a = await send({ to: '+8613900000003', createdAt: now - 3 });
    const b = await send({ to: '+8613900000003', createdAt: now - 2 });
    const c = await send({ to: '+8613900000003', createdAt: now - 1 });
    const k = await send({ to: '+8613900000004', content: 'Big CASINO bonus' });
    const dc = await finalOf(c);
    assert.equal(dc.message.state, 'REJECTED');
    assert.equal(dc.message.statusCode, 'MILIMIT');
    const dk = await finalOf(k);
    assert.equal(dk.message.statusCode, 'KEYWORD');
    await until(async () => link.submits.length === 2);
    assert.deepEqual(link.submits.map((s) => s.message.smsMsgId).sort(), [a.smsMsgId, b.smsMsgId].sort());
  });

  it('a link failure requeues the message with back-off; the next attempt succeeds', async () => {
    const link = await run();
    link.script = (_m, n) =>
      n === 1
        ? { kind: 'retry', reason: 'response timeout' }
        : { kind: 'ok', parts: [{ seq: 1, carrierMsgId: '1F', submittedAt: Date.now() }] };
    const m = await send();
    const d = await until(async () => {
      const x = await detail(m);
      return x?.message.state === 'SUBMITTED' ? x : undefined;
    });
    assert.equal(link.submits.length, 2);
    assert.equal(d.message.attempts, 1);
    assert.equal(d.parts[0].carrierMsgId, '31');
    assert.ok(d.events.some((e) => e.kind === 'requeued' && e.detail.reason === 'response timeout'));
  });

  it('retries exhausted → FAILED E200034 (source 1)', async () => {
    const link = await run();
    link.script = () => ({ kind: 'retry', reason: 'connection lost' });
    const m = await send();
    const d = await finalOf(m);
    assert.equal(d.message.state, 'FAILED');
    assert.equal(d.message.statusCode, 'E200034');
    assert.equal(link.submits.length, CONFIG.engine.maxAttempts);
    assert.equal(d.pushes[0].payload.source, '1');
  });

  it('a submit_sm_resp error → REJECTED with the SMPP error name (source 2)', async () => {
    const link = await run();
    link.script = () => ({ kind: 'rejected', statusCode: 'ESME_RSUBMITFAIL', commandStatus: 0x45 });
    const m = await send();
    const d = await finalOf(m);
    assert.equal(d.message.state, 'REJECTED');
    assert.equal(d.message.statusCode, 'ESME_RSUBMITFAIL');
    assert.equal(d.pushes[0].payload.source, '2');
    assert.equal(link.submits.length, 1);
  });

  it('no bound session: nothing is submitted and the message waits in the queue', async () => {
    const link = await run();
    link.ready = false;
    const m = await send();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(link.submits.length, 0);
    link.ready = true;
    await until(async () => (await detail(m))?.message.state === 'SUBMITTED');
  });

  it('a receipt is committed (part, message, report row) before deliver resolves, with the exact §6 fields', async () => {
    const link = await run();
    link.script = () => ({
      kind: 'ok',
      parts: [{ seq: 1, carrierMsgId: '00ABC', submittedAt: Date.now() }],
    });
    const m = await send({ extend: 'e9', to: '+8613900000005' });
    await until(async () => (await detail(m))?.message.state === 'SUBMITTED');
    const before = Date.now();
    // The receipt writes the id in another case and without the leading zeros: hex mode matches it.
    await link.deliver({
      source_addr: '8613900000005',
      destination_addr: 'csms00000001',
      esm_class: 0x04,
      text: 'id:abc sub:001 dlvrd:001 submit date:2501010000 done date:2501010001 stat:DELIVRD err:000 text:',
    });
    // No polling: the commit happened before deliver() resolved.
    const d = await detail(m);
    assert.equal(d?.message.state, 'DELIVERED');
    assert.equal(d?.message.statusCode, 'DELIVRD');
    assert.equal(d?.parts[0].state, 'DELIVERED');
    const push = d?.pushes[0];
    assert.ok(push);
    const { updateTime, ...rest } = push.payload;
    assert.deepEqual(rest, {
      smsMsgId: m.smsMsgId,
      total: '1',
      sequence: '1',
      status: 'DELIVRD',
      statusDesc: 'Delivered to the handset.',
      source: '2',
      orgCode: '000',
      extend: 'e9',
      to: '+8613900000005',
    });
    assert.match(updateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Date.parse(updateTime) >= Math.floor(before / 1000) * 1000);
  });

  it('receipts arriving together are applied in one group and all resolve', async () => {
    const link = await run();
    let n = 0;
    link.script = () => ({
      kind: 'ok',
      parts: [{ seq: 1, carrierMsgId: String(100 + ++n), submittedAt: Date.now() }],
    });
    const msgs = [await send(), await send(), await send()];
    for (const m of msgs) await until(async () => (await detail(m))?.message.state === 'SUBMITTED');
    await Promise.all(
      [101, 102, 103].map((id, i) =>
        link.deliver({
          esm_class: 0x04,
          text: `id:${id} stat:${i === 0 ? 'UNDELIV' : 'DELIVRD'} err:${i === 0 ? '001' : '000'}`,
        }),
      ),
    );
    const states = await Promise.all(msgs.map(async (m) => (await detail(m))?.message.state));
    assert.deepEqual(states, ['UNDELIVERED', 'DELIVERED', 'DELIVERED']);
    assert.equal((await detail(msgs[0]))?.pushes[0].payload.orgCode, '001');
    assert.equal(engine?.status().receiptsApplied, 3);
  });

  it('expiry: no receipt within the window → EXPIRED, source 1, no updateTime', async () => {
    const link = await run({ engine: { ...CONFIG.engine, receiptWindowMs: 30 } });
    const m = await send();
    await until(async () => (await detail(m))?.message.state === 'SUBMITTED');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await engine?.sweepExpired(), 1);
    const d = await detail(m);
    assert.equal(d?.message.state, 'EXPIRED');
    assert.equal(d?.pushes[0].payload.status, 'EXPIRED');
    assert.equal(d?.pushes[0].payload.source, '1');
    assert.equal(d?.pushes[0].payload.updateTime, undefined);
    assert.equal(link.submits.length, 1);
  });

  it('an MO becomes an MO record with its uplink outbox row before deliver resolves', async () => {
    const link = await run();
    await store.updateApp(app.id, { uplinkUrl: 'http://up.example/mo' });
    const sig = await store.createSignature({ appId: app.id, name: 'Shop', type: 'NOTIFY_TYPE' });
    const ch = (await store.approveSignature(sig.id))?.channelNumber as string;
    await link.deliver({
      source_addr: '8613700000001',
      source_addr_ton: 1,
      destination_addr: `${ch}12`,
      text: 'Hello',
    });
    const mos = await store.listMo({ appId: app.id }, { limit: 10 });
    assert.equal(mos.total, 1);
    assert.equal(mos.items[0].from, '+8613700000001');
    assert.equal(mos.items[0].body, 'Hello');
    assert.equal(mos.items[0].connectorId, connector.id);
    const ob = await store.listOutbox({ appId: app.id }, { limit: 10 });
    assert.equal(ob.items[0].kind, 'uplink');
    assert.equal(ob.items[0].payload.to, `${ch}12`);
  });

  it('status reports connectors and counters', async () => {
    await run();
    const m = await send();
    await until(async () => (await detail(m))?.message.state === 'SUBMITTED');
    const s = engine?.status();
    assert.equal(s?.running, true);
    assert.equal(s?.connectors.length, 1);
    assert.equal(s?.connectors[0].id, connector.id);
    assert.equal(s?.connectors[0].ready, true);
    assert.equal(s?.dispatcher.counters.submitted, 1);
  });
});
