import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { parseSdkAuthorization, verifyAkSk } from '../../src/auth/aksk.js';
import { silentLogger } from '../../src/engine/logger.js';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { type WebhookOptions, WebhookWorker } from '../../src/webhooks/webhook-worker.js';
import { createTestStore, type TestStore } from '../store/engines.js';
import { newTestApp } from '../store/fixtures.js';
import { makeReports } from './helpers/outbox-rows.js';
import { type Receiver, startReceiver } from './helpers/receiver.js';

const OPTS: WebhookOptions = {
  timeoutMs: 1_000,
  maxAgeMs: 72 * 3_600_000,
  allowPrivate: false,
  allowLoopback: true,
  batchDelayMs: 50,
  retryBaseMs: 20,
  retryMaxMs: 40,
  pollMs: 20,
};

async function until(cond: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WebhookWorker (real store, real HTTP receivers)', () => {
  let t: TestStore;
  let store: Store;
  let rx: Receiver;
  let worker: WebhookWorker | undefined;
  before(async () => {
    t = await createTestStore();
    store = t.store;
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    rx = await startReceiver();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await rx.close();
  });
  const start = (opts: Partial<WebhookOptions> = {}, extra: { clock?: () => number } = {}) => {
    worker = new WebhookWorker({
      store,
      config: { webhooks: { ...OPTS, ...opts } },
      log: silentLogger,
      nodeId: 'n1',
      ...extra,
    });
    worker.start();
    return worker;
  };
  const outbox = async (app: AppRecord) => (await store.listOutbox({ appId: app.id }, { limit: 500 })).items;

  it('pushes a status report as the exact §6 form body and marks it delivered', async () => {
    const app = await newTestApp(store);
    const [m] = await makeReports(store, app, 1, {
      statusCallback: rx.url('/report'),
      extend: 'order-7',
      to: '+8613900000001',
    });
    start();
    const [got] = await rx.waitFor(1);
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/report');
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(
      got.body,
      `sequence=1&total=1&orgCode=000&source=1&smsMsgId=${encodeURIComponent(m.smsMsgId)}&status=E200027` +
        `&statusDesc=${new URLSearchParams({ d: 'Gateway matching failed: no route is configured for this number.' }).toString().slice(2)}` +
        '&extend=order-7&to=%2B8613900000001',
    );
    assert.equal(got.headers.authorization, undefined);
    await until(async () => (await outbox(app))[0].state === 'delivered');
    const detail = await store.getMessageDetail(m.smsMsgId);
    const attempts = detail?.pushes[0].attempts ?? [];
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0].httpStatus, 200);
    assert.equal(attempts[0].error, null);
  });

  it('claims again as soon as completed pushes free room (no poll wait at the in-flight cap)', async () => {
    const app = await newTestApp(store);
    await makeReports(store, app, 12, { statusCallback: rx.url('/cap') });
    // At most 2 rows held and a poll interval far longer than the test: only the wake-up on
    // completion can get all 12 through in time.
    start({ maxInFlight: 2, claimBatch: 2, pollMs: 60_000 });
    await rx.waitFor(12, 4_000);
    await until(async () => (await outbox(app)).every((o) => o.state === 'delivered'), 4_000);
    assert.equal(worker?.status().inFlight, 0);
  });

  it('treats 4xx (except 408/429) as delivered: the response is not processed', async () => {
    const app = await newTestApp(store);
    await makeReports(store, app, 1, { statusCallback: rx.url() });
    rx.respond = () => 404;
    start();
    await until(async () => (await outbox(app))[0].state === 'delivered');
    assert.equal(rx.received.length, 1);
  });

  it('groups batch reports per app and address, at most 50 per push (120 → 50, 50, 20)', async () => {
    const app = await newTestApp(store, { batchReportUrl: rx.url('/batch') });
    const msgs = await makeReports(store, app, 120, { statusCallback: null });
    start({ claimBatch: 500 });
    const got = await rx.waitFor(3);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(rx.received.length, 3);
    const lists = got.map((r) => {
      assert.equal(r.headers['content-type'], 'application/json');
      return (JSON.parse(r.body) as { statusReportList: Array<Record<string, string>> }).statusReportList;
    });
    assert.deepEqual(
      lists.map((l) => l.length).sort((a, b) => b - a),
      [50, 50, 20],
    );
    const ids = new Set(lists.flat().map((e) => e.smsMsgId));
    assert.equal(ids.size, 120);
    for (const m of msgs) assert.ok(ids.has(m.smsMsgId));
    const first = lists[0][0];
    assert.deepEqual(Object.keys(first), [
      'smsMsgId',
      'total',
      'sequence',
      'status',
      'statusDesc',
      'source',
      'orgCode',
    ]);
    assert.equal(first.status, 'E200027');
    await until(async () => (await outbox(app)).every((o) => o.state === 'delivered'));
  });

  it('pushes an uplink (MO) as the §8 form body', async () => {
    const app = await newTestApp(store, { uplinkUrl: rx.url('/mo') });
    const sig = await store.createSignature({ appId: app.id, name: 'Shop', type: 'NOTIFY_TYPE' });
    const ch = (await store.approveSignature(sig.id))?.channelNumber as string;
    const mo = await store.insertMo({
      smsMsgId: 'mo-77',
      from: '+8613700000001',
      to: `${ch}9`,
      body: 'hello 你好',
      connectorId: null,
      receivedAt: Date.now(),
    });
    assert.equal(mo.appId, app.id);
    start();
    const [got] = await rx.waitFor(1);
    assert.equal(got.path, '/mo');
    assert.equal(got.body, `from=%2B8613700000001&to=${ch}9&body=hello+%E4%BD%A0%E5%A5%BD&smsMsgId=mo-77`);
  });

  it('signs pushes with the app key pair when pushSigning is on (verified with verifyAkSk)', async () => {
    const app = await newTestApp(store, { pushSigning: true });
    await makeReports(store, app, 1, { statusCallback: rx.url('/signed?x=1') });
    start();
    const [got] = await rx.waitFor(1);
    const auth = parseSdkAuthorization(got.headers.authorization);
    assert.ok(auth.ok, String(got.headers.authorization));
    assert.equal(auth.access, app.appKey);
    assert.ok(auth.signedHeaders.includes('x-sdk-date'));
    assert.ok(auth.signedHeaders.includes('host'));
    assert.ok(auth.signedHeaders.includes('content-type'));
    const verdict = verifyAkSk({
      method: got.method,
      path: '/signed',
      query: 'x=1',
      headers: got.headers,
      rawBody: got.rawBody,
      secret: app.appSecret,
      auth,
      now: Date.now(),
    });
    assert.deepEqual(verdict, { ok: true });
  });

  it('retries a 500 with back-off, then delivers; every attempt is recorded', async () => {
    const app = await newTestApp(store);
    const [m] = await makeReports(store, app, 1, { statusCallback: rx.url() });
    rx.respond = (_r, i) => (i < 2 ? 500 : 200);
    start();
    await rx.waitFor(3);
    await until(async () => (await outbox(app))[0].state === 'delivered');
    const attempts = (await store.getMessageDetail(m.smsMsgId))?.pushes[0].attempts ?? [];
    assert.deepEqual(
      attempts.map((a) => a.httpStatus),
      [500, 500, 200],
    );
    assert.deepEqual(
      attempts.map((a) => a.error),
      ['HTTP 500', 'HTTP 500', null],
    );
    assert.equal((await outbox(app))[0].attempts, 3);
  });

  it('retries connection errors and timeouts (recorded with the error)', async () => {
    const app = await newTestApp(store);
    await makeReports(store, app, 1, { statusCallback: rx.url() });
    rx.respond = (_r, i) => (i === 0 ? 'hang' : 200);
    start({ timeoutMs: 150 });
    await until(async () => (await outbox(app))[0].state === 'delivered');
    const o = (await outbox(app))[0];
    assert.equal(o.attempts, 2);
  });

  it('gives up (dead) once the push is older than maxAge (injected clock)', async () => {
    const app = await newTestApp(store);
    await makeReports(store, app, 1, { statusCallback: rx.url() });
    rx.respond = () => 503;
    const later = Date.now() + OPTS.maxAgeMs + 1_000;
    start({}, { clock: () => later });
    await until(async () => (await outbox(app))[0].state === 'dead');
    const o = (await outbox(app))[0];
    assert.equal(o.attempts, 1);
    assert.equal(o.lastHttpStatus, 503);
    assert.equal(rx.received.length, 1);
  });

  it('refuses a loopback destination when loopback is not allowed: dead at once, nothing sent', async () => {
    const app = await newTestApp(store);
    await makeReports(store, app, 1, { statusCallback: rx.url() });
    start({ allowLoopback: false });
    await until(async () => (await outbox(app))[0].state === 'dead');
    const o = (await outbox(app))[0];
    assert.match(o.lastError ?? '', /refused: 127\.0\.0\.1 \(loopback/);
    assert.equal(rx.received.length, 0);
  });

  it('refuses a cloud-metadata destination even with private and loopback allowed', async () => {
    const app = await newTestApp(store);
    await makeReports(store, app, 1, { statusCallback: 'http://169.254.169.254/latest/meta-data' });
    start({ allowPrivate: true });
    await until(async () => (await outbox(app))[0].state === 'dead');
    assert.match((await outbox(app))[0].lastError ?? '', /metadata/);
  });
});
