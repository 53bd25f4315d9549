import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { acceptAndClaim, newMessage, newTestApp } from './fixtures.js';

const CONN = 'conn-1';

for (const engine of ENGINES) {
  describe(`message flow (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    let app: AppRecord;
    let batchApp: AppRecord;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
      app = await newTestApp(store);
      batchApp = await newTestApp(store, { batchReportUrl: 'http://batch.example/r' });
    });
    after(() => t.cleanup());

    const reportsFor = async (messageId: number) =>
      (await store.listOutbox({ messageId }, { limit: 100 })).items.sort((a, b) => a.id - b.id);

    it('accept → claim → submit → receipt → final writes a §6 report with the exact fields', async () => {
      const m = newMessage(app, { statusCallback: 'http://cb.example/r', extend: 'ext-1' });
      await store.acceptMessages([m]);
      assert.equal(await store.queueDepth(), 1);
      const claimed = await store.claimMessages('node-a', 10, 30_000, Date.now() + 1);
      assert.equal(claimed.length, 1);
      const c = claimed[0];
      assert.equal(c.message.smsMsgId, m.smsMsgId);
      assert.equal(c.message.state, 'QUEUED');
      assert.deepEqual(
        c.parts.map((p) => [p.seq, p.state]),
        [[1, 'QUEUED']],
      );
      assert.equal(c.appBatchReportUrl, null);
      // Leased: a second claim gets nothing.
      assert.equal((await store.claimMessages('node-b', 10, 30_000, Date.now() + 1)).length, 0);

      await store.recordSubmits([
        {
          messageId: c.message.id,
          connectorId: CONN,
          parts: [{ seq: 1, carrierMsgId: 'c-1', submittedAt: Date.now() }],
        },
      ]);
      assert.equal(await store.queueDepth(), 0);
      const receivedAt = Math.floor(Date.now() / 1000) * 1000 + 2000;
      const res = await store.applyReceipts([
        {
          connectorId: CONN,
          carrierMsgId: 'c-1',
          stat: 'DELIVRD',
          err: '000',
          receivedAt,
          raw: 'id:c-1 stat:DELIVRD',
        },
      ]);
      assert.deepEqual(res, { matched: 1, pending: 0 });

      const d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'DELIVERED');
      assert.equal(d?.message.statusCode, 'DELIVRD');
      assert.equal(d?.message.connectorId, CONN);
      assert.equal(d?.parts[0].carrierMsgId, 'c-1');
      assert.deepEqual(
        d?.events.map((e) => e.kind),
        ['accepted', 'submitted', 'receipt', 'final'],
      );
      assert.equal(d?.pushes.length, 1);
      const [r] = await reportsFor(c.message.id);
      assert.equal(r.kind, 'status');
      assert.equal(r.url, 'http://cb.example/r');
      assert.equal(r.state, 'pending');
      assert.deepEqual(
        Object.keys(r.payload).sort(),
        [
          'extend',
          'orgCode',
          'sequence',
          'smsMsgId',
          'source',
          'status',
          'statusDesc',
          'to',
          'total',
          'updateTime',
        ].sort(),
      );
      assert.equal(r.payload.smsMsgId, m.smsMsgId);
      assert.equal(r.payload.total, '1');
      assert.equal(r.payload.sequence, '1');
      assert.equal(r.payload.status, 'DELIVRD');
      assert.equal(r.payload.source, '2');
      assert.equal(r.payload.updateTime, `${new Date(receivedAt).toISOString().slice(0, 19)}Z`);
      assert.match(r.payload.updateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(r.payload.orgCode, '000');
      assert.equal(r.payload.extend, 'ext-1');
      assert.equal(r.payload.to, m.to);
      assert.ok(r.payload.statusDesc.length > 0);

      // A duplicate receipt is an event, not a second report.
      await store.applyReceipts([
        { connectorId: CONN, carrierMsgId: 'c-1', stat: 'UNDELIV', err: '001', receivedAt, raw: 'dup' },
      ]);
      assert.equal((await reportsFor(c.message.id)).length, 1);
      const d2 = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d2?.message.state, 'DELIVERED');
      assert.equal(d2?.events.filter((e) => e.kind === 'receipt').length, 2);
    });

    it('matches a receipt that arrived before the submit was recorded', async () => {
      const m = newMessage(app, { statusCallback: 'http://cb.example/r' });
      const [id] = await acceptAndClaim(store, [m]);
      const early = await store.applyReceipts([
        {
          connectorId: CONN,
          carrierMsgId: 'early-1',
          stat: 'UNDELIV',
          err: '013',
          receivedAt: Date.now(),
          raw: 'early',
        },
      ]);
      assert.deepEqual(early, { matched: 0, pending: 1 });
      await store.recordSubmits([
        {
          messageId: id,
          connectorId: CONN,
          parts: [{ seq: 1, carrierMsgId: 'early-1', submittedAt: Date.now() }],
        },
      ]);
      const d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'UNDELIVERED');
      assert.equal(d?.message.statusCode, 'UNDELIV');
      const [r] = await reportsFor(id);
      assert.equal(r.payload.status, 'UNDELIV');
      assert.equal(r.payload.orgCode, '013');
      assert.equal(r.payload.extend, undefined);
      assert.equal(r.payload.to, undefined);
      // Consumed: applying the submit again matches nothing new.
      assert.equal((await reportsFor(id)).length, 1);
    });

    it('a 3-part message gets 3 reports and is final only when every part is', async () => {
      const m = newMessage(batchApp, { total: 3 });
      const [id] = await acceptAndClaim(store, [m]);
      const now = Date.now();
      await store.recordSubmits([
        {
          messageId: id,
          connectorId: CONN,
          parts: [1, 2, 3].map((seq) => ({ seq, carrierMsgId: `long-${seq}`, submittedAt: now })),
        },
      ]);
      await store.applyReceipts([
        { connectorId: CONN, carrierMsgId: 'long-1', stat: 'DELIVRD', err: null, receivedAt: now, raw: '' },
        { connectorId: CONN, carrierMsgId: 'long-2', stat: 'ACCEPTD', err: null, receivedAt: now, raw: '' },
      ]);
      assert.equal((await store.getMessageDetail(m.smsMsgId))?.message.state, 'SUBMITTED');
      await store.applyReceipts([
        { connectorId: CONN, carrierMsgId: 'long-2', stat: 'DELIVRD', err: null, receivedAt: now, raw: '' },
        { connectorId: CONN, carrierMsgId: 'long-3', stat: 'UNDELIV', err: null, receivedAt: now, raw: '' },
      ]);
      const d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'UNDELIVERED');
      assert.equal(d?.message.statusCode, 'UNDELIV');
      const reports = await reportsFor(id);
      assert.equal(reports.length, 3);
      assert.ok(reports.every((r) => r.kind === 'batch_status' && r.url === 'http://batch.example/r'));
      assert.deepEqual(
        reports.map((r) => [r.payload.total, r.payload.sequence, r.payload.status]),
        [
          ['3', '1', 'DELIVRD'],
          ['3', '2', 'DELIVRD'],
          ['3', '3', 'UNDELIV'],
        ],
      );
    });

    it('finalize writes a platform report per part (source 1, no updateTime) and removes the queue row', async () => {
      const m = newMessage(app, { statusCallback: 'http://cb.example/r', total: 2 });
      const [id] = await acceptAndClaim(store, [m]);
      await store.finalizeMessages([
        {
          messageId: id,
          state: 'FAILED',
          statusCode: 'E200027',
          source: '1',
          eventKind: 'routed',
          detail: { reason: 'no route' },
        },
      ]);
      const d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'FAILED');
      assert.equal(d?.message.statusCode, 'E200027');
      assert.ok(d?.message.finalAt);
      assert.ok(d?.parts.every((p) => p.state === 'FAILED' && p.statusCode === 'E200027'));
      const reports = await reportsFor(id);
      assert.equal(reports.length, 2);
      for (const r of reports) {
        assert.equal(r.payload.status, 'E200027');
        assert.equal(r.payload.source, '1');
        assert.equal(r.payload.updateTime, undefined);
      }
      assert.equal((await store.claimMessages('node-a', 10, 1000, Date.now() + 10)).length, 0);
      // Finalizing again is a no-op.
      await store.finalizeMessages([
        { messageId: id, state: 'REJECTED', statusCode: 'X', source: '1', eventKind: 'final', detail: {} },
      ]);
      assert.equal((await reportsFor(id)).length, 2);
    });

    it('report destination: statusCallback wins, else the batch address, else nothing', async () => {
      const noDest = newMessage(app);
      const cbOverBatch = newMessage(batchApp, { statusCallback: 'http://cb.example/own' });
      const ids = await acceptAndClaim(store, [noDest, cbOverBatch]);
      await store.finalizeMessages(
        ids.map((messageId) => ({
          messageId,
          state: 'REJECTED' as const,
          statusCode: 'SC:0001',
          source: '3' as const,
          eventKind: 'intercepted' as const,
          detail: {},
        })),
      );
      assert.equal((await reportsFor(ids[0])).length, 0);
      const [r] = await reportsFor(ids[1]);
      assert.equal(r.kind, 'status');
      assert.equal(r.url, 'http://cb.example/own');
      assert.equal(r.payload.source, '3');
    });

    it('expires parts with no receipt (EXPIRED, source 1, no updateTime)', async () => {
      const m = newMessage(app, { statusCallback: 'http://cb.example/r' });
      const [id] = await acceptAndClaim(store, [m]);
      await store.recordSubmits([
        { messageId: id, connectorId: CONN, parts: [{ seq: 1, carrierMsgId: 'exp-1', submittedAt: 1000 }] },
      ]);
      const n = await store.expireParts(2000, Date.now(), 100);
      assert.ok(n >= 1);
      const d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'EXPIRED');
      assert.equal(d?.message.statusCode, 'EXPIRED');
      const [r] = await reportsFor(id);
      assert.equal(r.payload.status, 'EXPIRED');
      assert.equal(r.payload.source, '1');
      assert.equal(r.payload.updateTime, undefined);
      assert.equal(await store.expireParts(2000, Date.now(), 100), 0);
    });

    it('an expired lease is taken over by another owner; renew keeps it', async () => {
      const m = newMessage(app);
      await store.acceptMessages([m]);
      const t0 = Date.now() + 1;
      const a = await store.claimMessages('owner-a', 10, 1000, t0);
      assert.equal(a.length, 1);
      await store.renewMessageLeases('owner-a', [a[0].message.id], 5000, t0 + 500);
      assert.equal((await store.claimMessages('owner-b', 10, 1000, t0 + 2000)).length, 0);
      const b = await store.claimMessages('owner-b', 10, 1000, t0 + 6000);
      assert.deepEqual(
        b.map((c) => c.message.id),
        [a[0].message.id],
      );
      await store.requeueMessages([{ messageId: b[0].message.id, dueAt: t0 + 10_000, reason: 'throttled' }]);
      assert.equal((await store.claimMessages('owner-c', 10, 1000, t0 + 9000)).length, 0);
      const c = await store.claimMessages('owner-c', 10, 1000, t0 + 10_000);
      assert.equal(c[0].message.attempts, 1);
      await store.finalizeMessages([
        {
          messageId: c[0].message.id,
          state: 'FAILED',
          statusCode: 'E200034',
          source: '1',
          eventKind: 'final',
          detail: {},
        },
      ]);
    });

    it('group-commits concurrent accept calls and keeps every message', async () => {
      const calls = Array.from({ length: 20 }, () => Array.from({ length: 25 }, () => newMessage(app)));
      await Promise.all(calls.map((c) => store.acceptMessages(c)));
      const page = await store.queryMessages({ appId: app.id, state: 'ACCEPTED' }, { limit: 1 });
      assert.equal(page.total, 500);
      // A failing batch rejects every call in it: a duplicate smsMsgId violates the unique index.
      const dup = newMessage(app);
      const results = await Promise.allSettled([
        store.acceptMessages([dup]),
        store.acceptMessages([{ ...dup }]),
      ]);
      assert.ok(results.every((r) => r.status === 'rejected'));
      assert.equal((await store.queryMessages({ smsMsgId: dup.smsMsgId }, { limit: 1 })).total, 0);
      // Drain the queue so other tests see an empty one.
      const drained = await store.claimMessages('drain', 1000, 60_000, Date.now() + 1);
      await store.finalizeMessages(
        drained.map((d) => ({
          messageId: d.message.id,
          state: 'FAILED' as const,
          statusCode: 'E200027',
          source: '1' as const,
          eventKind: 'final' as const,
          detail: {},
        })),
      );
    });
  });
}

describe('parked receipts matched by the sweep (sqlite)', () => {
  it('a parked receipt whose part got its carrier id without matching it is applied once', async () => {
    const t = await createTestStore('sqlite');
    try {
      const app = await newTestApp(t.store);
      const m = newMessage(app, { statusCallback: 'http://cb.example/r' });
      const [id] = await acceptAndClaim(t.store, [m]);
      const parked = await t.store.applyReceipts([
        {
          connectorId: CONN,
          carrierMsgId: 'late-1',
          stat: 'DELIVRD',
          err: null,
          receivedAt: Date.now(),
          raw: 'late',
        },
      ]);
      assert.deepEqual(parked, { matched: 0, pending: 1 });
      assert.equal(await t.store.matchParkedReceipts(0, 10), 0, 'no part carries that id yet');
      // The part gets its carrier id by a write that did not look at parked receipts.
      const raw = new Database(t.url.slice('sqlite:'.length));
      try {
        raw
          .prepare(
            "UPDATE message_parts SET state = 'SUBMITTED', connector_id = ?, carrier_msg_id = 'late-1' WHERE message_id = ?",
          )
          .run(CONN, id);
        raw.prepare("UPDATE messages SET state = 'SUBMITTED' WHERE id = ?").run(id);
      } finally {
        raw.close();
      }
      assert.equal(
        await t.store.matchParkedReceipts(Date.now() + 60_000, 10),
        0,
        'parked before the look-back',
      );
      assert.equal(await t.store.matchParkedReceipts(0, 10), 1);
      assert.equal((await t.store.getMessageDetail(m.smsMsgId))?.message.state, 'DELIVERED');
      assert.equal(await t.store.matchParkedReceipts(0, 10), 0);
    } finally {
      await t.cleanup();
    }
  });
});
