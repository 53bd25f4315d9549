/**
 * Retention (`purgeHistory`): final messages older than the cutoff go with their parts, timeline
 * and pushes; a message that is not final, or whose report is still to be pushed, stays; finished
 * pushes and MOs older than the cutoff go; batches are bounded; the newest row of a table is kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { acceptAndClaim, failAll, newMessage, newTestApp } from './fixtures.js';

const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describe(`retention (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    let app: AppRecord;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
      app = await newTestApp(store);
    });
    after(() => t.cleanup());

    const fail = (ids: number[]) => failAll(store, ids);
    const deliverPushes = async (messageId: number) => {
      const rows = (await store.listOutbox({ messageId }, { limit: 10 })).items;
      const now = Date.now();
      await store.completeOutbox(
        rows.map((r) => ({
          id: r.id,
          attempt: { outboxId: r.id, at: now, httpStatus: 200, latencyMs: 1, error: null },
          outcome: 'delivered' as const,
        })),
      );
    };

    it('removes old final messages with everything of theirs; keeps unfinished ones and new ones', async () => {
      const old = Date.now() - 100 * 24 * HOUR;
      const cb = { statusCallback: 'http://cb.example/r', createdAt: old };
      const [a, b, c, d] = [
        newMessage(app, cb),
        newMessage(app, cb),
        newMessage(app, { createdAt: old }),
        newMessage(app, { ...cb, createdAt: Date.now() }),
      ];
      const [ia, ib, , id] = await acceptAndClaim(store, [a, b, c, d]);
      await fail([ia, ib, id]);
      await deliverPushes(ia);
      await deliverPushes(id);
      const cutoff = Date.now() - 90 * 24 * HOUR;

      const r = await store.purgeHistory(cutoff, 1000);
      assert.equal(r.messages, 1, 'only a: b has a report to push, c is not final, d is new');
      assert.equal(await store.getMessageDetail(a.smsMsgId), undefined);
      assert.equal((await store.listOutbox({ messageId: ia }, { limit: 5 })).total, 0);
      for (const m of [b, c, d]) assert.ok(await store.getMessageDetail(m.smsMsgId), `${m.smsMsgId} kept`);

      await deliverPushes(ib);
      assert.equal((await store.purgeHistory(cutoff, 1000)).messages, 1);
      assert.equal(await store.getMessageDetail(b.smsMsgId), undefined);
      const detailC = await store.getMessageDetail(c.smsMsgId);
      assert.equal(detailC?.message.finalAt, null, 'a message still in flight is never removed');
    });

    it('works in bounded batches', async () => {
      const old = Date.now() - 100 * 24 * HOUR;
      const msgs = Array.from({ length: 5 }, () => newMessage(app, { createdAt: old }));
      const ids = await acceptAndClaim(store, [...msgs, newMessage(app)]);
      await fail(ids);
      const cutoff = Date.now() - 90 * 24 * HOUR;
      assert.equal((await store.purgeHistory(cutoff, 2)).messages, 2);
      assert.equal((await store.purgeHistory(cutoff, 2)).messages, 2);
      assert.equal((await store.purgeHistory(cutoff, 2)).messages, 1);
      assert.equal((await store.purgeHistory(cutoff, 2)).messages, 0);
    });

    it('removes old MOs but keeps the newest row, so ids are never handed out twice', async () => {
      const at = Date.now() - 100 * 24 * HOUR;
      const mk = (n: number) =>
        store.insertMo({
          smsMsgId: `mo-ret-${n}`,
          from: '+8613700000001',
          to: '1069',
          body: `m${n}`,
          connectorId: null,
          receivedAt: at + n,
        });
      const [m1, m2] = [await mk(1), await mk(2)];
      const r = await store.purgeHistory(Date.now(), 1000);
      assert.equal(r.mos, 1);
      const left = (await store.listMo({}, { limit: 10 })).items.map((m) => m.id);
      assert.ok(!left.includes(m1.id));
      assert.ok(left.includes(m2.id), 'the newest MO stays');
      const m3 = await mk(3);
      assert.ok(m3.id > m2.id);
    });
  });
}
