import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { acceptAndClaim, newMessage, newTestApp } from './fixtures.js';

const DAY = 86_400_000;
const D1 = Date.UTC(2025, 0, 10, 12);
const D2 = Date.UTC(2025, 0, 11, 1);

for (const engine of ENGINES) {
  describe(`send details and stats (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    let a: AppRecord;
    let b: AppRecord;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
      a = await newTestApp(store, { name: 'a' });
      b = await newTestApp(store, { name: 'b' });
      // a: 3 on D1 (one delivered, one failed, one sending), 1 on D2 (2 segments); b: 1 on D1.
      const msgs = [
        newMessage(a, { to: '+8613900000001', createdAt: D1, templateId: 't1'.padEnd(32, '0') }),
        newMessage(a, { to: '+8613900000002', createdAt: D1 + 1 }),
        newMessage(a, { to: '+447700900003', createdAt: D1 + 2, channelNumber: 'isms00000001' }),
        newMessage(a, { to: '+8613900000001', createdAt: D2, total: 2, templateType: 'PROMOTION_TYPE' }),
        newMessage(b, { to: '+8613900000009', createdAt: D1 + 3 }),
      ];
      const ids = await acceptAndClaim(store, msgs);
      await store.recordSubmits([
        { messageId: ids[0], connectorId: 'c', parts: [{ seq: 1, carrierMsgId: 'q-1', submittedAt: D1 }] },
      ]);
      await store.applyReceipts([
        { connectorId: 'c', carrierMsgId: 'q-1', stat: 'DELIVRD', err: null, receivedAt: D1 + 10, raw: '' },
      ]);
      await store.finalizeMessages([
        {
          messageId: ids[1],
          state: 'FAILED',
          statusCode: 'E200027',
          source: '1',
          eventKind: 'final',
          detail: {},
        },
      ]);
      await store.finalizeMessages([
        {
          messageId: ids[4],
          state: 'REJECTED',
          statusCode: 'SC:0001',
          source: '3',
          eventKind: 'intercepted',
          detail: {},
        },
      ]);
    });
    after(() => t.cleanup());

    it('filters by recipient (E.164 or national digits), app, template, channel, result, time', async () => {
      assert.equal((await store.queryMessages({ to: '+8613900000001' }, { limit: 10 })).total, 2);
      assert.equal((await store.queryMessages({ to: '13900000001' }, { limit: 10 })).total, 2);
      assert.equal((await store.queryMessages({ to: '447700900003' }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ appId: b.id }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ templateId: 't1'.padEnd(32, '0') }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ channelNumber: 'isms00000001' }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ appId: a.id, result: 'success' }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ appId: a.id, result: 'failed' }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ appId: a.id, result: 'sending' }, { limit: 10 })).total, 2);
      assert.equal((await store.queryMessages({ statusCode: 'SC:0001' }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ since: D2, until: D2 + DAY }, { limit: 10 })).total, 1);
      assert.equal((await store.queryMessages({ templateType: 'PROMOTION_TYPE' }, { limit: 10 })).total, 1);
    });

    it('paginates newest first with a total', async () => {
      const p1 = await store.queryMessages({ appId: a.id }, { limit: 3 });
      const p2 = await store.queryMessages({ appId: a.id }, { limit: 3, offset: 3 });
      assert.equal(p1.total, 4);
      assert.equal(p1.totalCapped, undefined);
      assert.deepEqual(
        p1.items.map((m) => m.createdAt),
        [D2, D1 + 2, D1 + 1],
      );
      assert.deepEqual(
        p2.items.map((m) => m.createdAt),
        [D1],
      );
      const recent = await store.recentSends(['+8613900000001'], D1);
      assert.equal(recent.length, 2);
    });

    it('leaves refused messages out of recent sends: they never reached the handset', async () => {
      const sent = await store.recentSends(['+8613900000002', '+8613900000009', '+8613900000001'], D1);
      // ids[1] (FAILED E200027) and ids[4] (REJECTED SC:0001) are not counted towards caps.
      assert.deepEqual(sent.map((r) => r.to).sort(), ['+8613900000001', '+8613900000001']);
    });

    it('aggregates stats by UTC day, app and template type, and failures by status code', async () => {
      const stats = await store.statsByDay({ since: D1 - DAY, until: D2 + DAY });
      const byKey = Object.fromEntries(
        stats.map((s) => [`${s.day}|${s.appId === a.id ? 'a' : 'b'}|${s.templateType}`, s]),
      );
      const a1 = byKey['2025-01-10|a|NOTIFY_TYPE'];
      assert.deepEqual([a1.sent, a1.delivered, a1.failed, a1.pending, a1.segments], [3, 1, 1, 1, 3]);
      const a2 = byKey['2025-01-11|a|PROMOTION_TYPE'];
      assert.deepEqual([a2.sent, a2.pending, a2.segments], [1, 1, 2]);
      assert.equal(byKey['2025-01-10|b|NOTIFY_TYPE'].failed, 1);
      assert.equal((await store.statsByDay({ since: D1 - DAY, until: D2 + DAY, appId: b.id })).length, 1);
      const fails = await store.failureBreakdown({ since: D1 - DAY, until: D2 + DAY });
      assert.deepEqual(
        fails.sort((x, y) => x.statusCode.localeCompare(y.statusCode)),
        [
          { statusCode: 'E200027', count: 1 },
          { statusCode: 'SC:0001', count: 1 },
        ],
      );
    });
  });
}
