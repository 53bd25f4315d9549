/**
 * Batches whose rows depend on each other, on both engines: the PostgreSQL store writes receipts,
 * platform outcomes, expiry and outbox completions set-based (src/store/postgres/), computing in
 * memory what the row-by-row versions read back between statements. These pin that both give the
 * same result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { acceptAndClaim, failAll, newMessage, newTestApp } from './fixtures.js';

const CONN = 'conn-b';

for (const engine of ENGINES) {
  describe(`batched writes (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    let app: AppRecord;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
      app = await newTestApp(store, { batchReportUrl: 'http://batch.example/r' });
    });
    after(() => t.cleanup());

    const reportsFor = async (messageId: number) =>
      (await store.listOutbox({ messageId }, { limit: 100 })).items.sort((a, b) => a.id - b.id);
    const receipt = (carrierMsgId: string, stat: string, receivedAt: number, err: string | null = null) => ({
      connectorId: CONN,
      carrierMsgId,
      stat,
      err,
      receivedAt,
      raw: `${carrierMsgId} ${stat}`,
    });

    it('receipts in one batch see each other: ACCEPTD then DELIVRD, duplicates, unmatched, multi-part', async () => {
      const one = newMessage(app, { statusCallback: 'http://cb.example/one' });
      const three = newMessage(app, { total: 3 });
      const [idOne, idThree] = await acceptAndClaim(store, [one, three]);
      const at = Date.now();
      await store.recordSubmits([
        { messageId: idOne, connectorId: CONN, parts: [{ seq: 1, carrierMsgId: 'b-1', submittedAt: at }] },
        {
          messageId: idThree,
          connectorId: CONN,
          parts: [1, 2, 3].map((seq) => ({ seq, carrierMsgId: `b-3-${seq}`, submittedAt: at })),
        },
      ]);
      const res = await store.applyReceipts([
        receipt('b-1', 'ACCEPTD', at + 1),
        receipt('b-3-2', 'UNDELIV', at + 2, '013'),
        receipt('b-1', 'DELIVRD', at + 3),
        receipt('nobody', 'DELIVRD', at + 4),
        receipt('b-1', 'UNDELIV', at + 5),
        receipt('b-3-1', 'DELIVRD', at + 6),
        receipt('b-3-3', 'DELIVRD', at + 7),
      ]);
      assert.deepEqual(res, { matched: 6, pending: 1 });

      const d1 = await store.getMessageDetail(one.smsMsgId);
      assert.equal(d1?.message.state, 'DELIVERED');
      assert.equal(d1?.message.statusCode, 'DELIVRD');
      assert.equal(d1?.message.finalAt, at + 3);
      assert.deepEqual(
        d1?.events.map((e) => [e.kind, e.kind === 'receipt' ? e.detail.duplicate : null]),
        [
          ['accepted', null],
          ['submitted', null],
          ['receipt', false],
          ['receipt', false],
          ['final', null],
          ['receipt', true],
        ],
      );
      const r1 = await reportsFor(idOne);
      assert.deepEqual(
        r1.map((r) => [r.kind, r.url, r.payload.status]),
        [['status', 'http://cb.example/one', 'DELIVRD']],
      );

      // Final once every part is; the worst part decides the state and the code.
      const d3 = await store.getMessageDetail(three.smsMsgId);
      assert.equal(d3?.message.state, 'UNDELIVERED');
      assert.equal(d3?.message.statusCode, 'UNDELIV');
      assert.equal(d3?.message.finalAt, at + 7);
      assert.deepEqual(
        d3?.parts.map((p) => [p.seq, p.state, p.statusCode, p.errorCode, p.receiptAt]),
        [
          [1, 'DELIVERED', 'DELIVRD', null, at + 6],
          [2, 'UNDELIVERED', 'UNDELIV', '013', at + 2],
          [3, 'DELIVERED', 'DELIVRD', null, at + 7],
        ],
      );
      assert.equal(d3?.events.filter((e) => e.kind === 'final').length, 1);
      const r3 = await reportsFor(idThree);
      assert.deepEqual(
        r3.map((r) => [r.kind, r.payload.sequence, r.payload.status, r.payload.orgCode]),
        [
          ['batch_status', '2', 'UNDELIV', '013'],
          ['batch_status', '1', 'DELIVRD', '000'],
          ['batch_status', '3', 'DELIVRD', '000'],
        ],
      );

      // The unmatched one waits in pending_receipts and is matched by a later submit.
      const late = newMessage(app);
      const [idLate] = await acceptAndClaim(store, [late]);
      await store.recordSubmits([
        {
          messageId: idLate,
          connectorId: CONN,
          parts: [{ seq: 1, carrierMsgId: 'nobody', submittedAt: at + 9 }],
        },
      ]);
      const dl = await store.getMessageDetail(late.smsMsgId);
      assert.equal(dl?.message.state, 'DELIVERED');
      assert.equal((await reportsFor(idLate)).length, 1);
    });

    it('finalize: the first outcome of a message counts, final messages are left alone', async () => {
      const a = newMessage(app, { total: 2 });
      const b = newMessage(app);
      const [ia, ib] = await acceptAndClaim(store, [a, b]);
      await store.finalizeMessages([
        { messageId: ib, state: 'FAILED', statusCode: 'E1', source: '1', eventKind: 'final', detail: {} },
      ]);
      await store.finalizeMessages([
        {
          messageId: ia,
          state: 'REJECTED',
          statusCode: 'SC:1',
          source: '3',
          eventKind: 'intercepted',
          detail: {},
        },
        { messageId: ib, state: 'FAILED', statusCode: 'E2', source: '1', eventKind: 'final', detail: {} },
        { messageId: ia, state: 'FAILED', statusCode: 'E3', source: '1', eventKind: 'final', detail: {} },
        {
          messageId: 987_654_321,
          state: 'FAILED',
          statusCode: 'E4',
          source: '1',
          eventKind: 'final',
          detail: {},
        },
      ]);
      const da = await store.getMessageDetail(a.smsMsgId);
      assert.equal(da?.message.state, 'REJECTED');
      assert.equal(da?.message.statusCode, 'SC:1');
      assert.deepEqual(
        da?.parts.map((p) => [p.state, p.statusCode]),
        [
          ['REJECTED', 'SC:1'],
          ['REJECTED', 'SC:1'],
        ],
      );
      assert.deepEqual(
        da?.events.map((e) => e.kind),
        ['accepted', 'intercepted', 'final'],
      );
      assert.deepEqual(
        (await reportsFor(ia)).map((r) => [r.payload.sequence, r.payload.status, r.payload.source]),
        [
          ['1', 'SC:1', '3'],
          ['2', 'SC:1', '3'],
        ],
      );
      assert.equal((await store.getMessageDetail(b.smsMsgId))?.message.statusCode, 'E1');
      assert.equal((await reportsFor(ib)).length, 1);
    });

    it('expiry honours its limit and makes a message final only when every part is', async () => {
      const m = newMessage(app, { total: 2 });
      const [id] = await acceptAndClaim(store, [m]);
      await store.recordSubmits([
        {
          messageId: id,
          connectorId: CONN,
          parts: [
            { seq: 1, carrierMsgId: 'x-1', submittedAt: 1000 },
            { seq: 2, carrierMsgId: 'x-2', submittedAt: 1001 },
          ],
        },
      ]);
      assert.equal(await store.expireParts(5000, 9000, 1), 1);
      let d = await store.getMessageDetail(m.smsMsgId);
      assert.deepEqual(
        d?.parts.map((p) => p.state),
        ['EXPIRED', 'SUBMITTED'],
      );
      assert.equal(d?.message.state, 'SUBMITTED');
      assert.equal(await store.expireParts(5000, 9001, 10), 1);
      d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'EXPIRED');
      assert.equal(d?.message.finalAt, 9001);
      assert.deepEqual(
        d?.events.filter((e) => e.kind === 'expired' || e.kind === 'final').map((e) => [e.kind, e.seq]),
        [
          ['expired', 1],
          ['expired', 2],
          ['final', null],
        ],
      );
      assert.deepEqual(
        (await reportsFor(id)).map((r) => [r.payload.sequence, r.payload.status, r.payload.source]),
        [
          ['1', 'EXPIRED', '1'],
          ['2', 'EXPIRED', '1'],
        ],
      );
      assert.equal(await store.expireParts(5000, 9002, 10), 0);
    });

    it('claims never exceed the limit; a row completed twice in one call gets both attempts', async () => {
      const msgs = Array.from({ length: 7 }, () =>
        newMessage(app, { statusCallback: 'http://cb.example/z' }),
      );
      await store.acceptMessages(msgs);
      const now = Date.now() + 1;
      const first = await store.claimMessages('n1', 3, 30_000, now);
      const second = await store.claimMessages('n2', 3, 30_000, now);
      const third = await store.claimMessages('n3', 3, 30_000, now);
      assert.deepEqual([first.length, second.length, third.length], [3, 3, 1]);
      const all = [...first, ...second, ...third].map((c) => c.message.id);
      assert.equal(new Set(all).size, 7);
      assert.ok(first.every((c) => c.message.state === 'QUEUED'));

      await failAll(store, all, 'E9');
      const pushes = await store.claimOutbox('w', 2, 10_000, Date.now() + 1);
      assert.equal(pushes.length, 2);
      const [p, q] = pushes;
      const at = Date.now();
      await store.completeOutbox([
        {
          id: p.id,
          attempt: { outboxId: p.id, at, httpStatus: 503, latencyMs: 1, error: 'HTTP 503' },
          outcome: 'retry',
          nextDueAt: at + 60_000,
        },
        {
          id: q.id,
          attempt: { outboxId: q.id, at, httpStatus: null, latencyMs: 2.6, error: 'timeout' },
          outcome: 'dead',
        },
        {
          id: p.id,
          attempt: { outboxId: p.id, at: at + 1, httpStatus: 200, latencyMs: 3, error: null },
          outcome: 'delivered',
        },
      ]);
      const rows = (await store.listOutbox({}, { limit: 1000 })).items;
      const rp = rows.find((r) => r.id === p.id);
      const rq = rows.find((r) => r.id === q.id);
      assert.equal(rp?.state, 'delivered');
      assert.equal(rp?.attempts, 2);
      assert.equal(rp?.lastHttpStatus, 200);
      assert.equal(rp?.lastAttemptAt, at + 1);
      assert.equal(rp?.dueAt, at + 60_000);
      assert.equal(rq?.state, 'dead');
      assert.equal(rq?.attempts, 1);
      assert.equal(rq?.lastError, 'timeout');
      assert.equal(rq?.lastHttpStatus, null);
    });
  });
}
