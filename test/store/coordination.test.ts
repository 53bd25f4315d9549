import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { acceptAndClaim, failAll, newMessage, newTestApp } from './fixtures.js';

for (const engine of ENGINES) {
  describe(`coordination and outbox (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
    });
    after(() => t.cleanup());

    it('token bucket grants up to the burst, then refills with time', async () => {
      const t0 = 1_000_000;
      assert.equal(await store.takeTokens('conn:1', 10, 4, t0), 4);
      assert.equal(await store.takeTokens('conn:1', 10, 10, t0), 6);
      assert.equal(await store.takeTokens('conn:1', 10, 1, t0), 0);
      assert.equal(await store.takeTokens('conn:1', 10, 5, t0 + 300), 3);
      assert.equal(await store.takeTokens('conn:1', 10, 50, t0 + 60_000), 10);
      assert.equal(await store.takeTokens('conn:2', 10, 1, t0), 1);
    });

    it('a lease is held until it expires or is released', async () => {
      assert.equal(await store.acquireLease('bind:a:0', 'n1', 1000, 0), true);
      assert.equal(await store.acquireLease('bind:a:0', 'n2', 1000, 500), false);
      assert.equal(await store.acquireLease('bind:a:0', 'n1', 1000, 900), true);
      assert.equal(await store.acquireLease('bind:a:0', 'n2', 1000, 1500), false);
      assert.equal(await store.acquireLease('bind:a:0', 'n2', 1000, 2000), true);
      assert.deepEqual(await store.listLeases('bind:a:', 2100), [
        { name: 'bind:a:0', owner: 'n2', expiresAt: 3000 },
      ]);
      await store.releaseLease('bind:a:0', 'n1'); // not the owner: no effect
      assert.equal(await store.acquireLease('bind:a:0', 'n1', 1000, 2200), false);
      await store.releaseLease('bind:a:0', 'n2');
      assert.equal(await store.acquireLease('bind:a:0', 'n1', 1000, 2300), true);
    });

    it('claims, completes, retries and redelivers outbox rows', async () => {
      const app = await newTestApp(store);
      const msgs = [1, 2, 3].map(() => newMessage(app, { statusCallback: 'http://cb.example/x' }));
      const ids = await acceptAndClaim(store, msgs);
      await failAll(store, ids);
      assert.equal(await store.outboxBacklog(), 3);
      const now = Date.now() + 1;
      const first = await store.claimOutbox('w1', 2, 5000, now);
      assert.equal(first.length, 2);
      assert.ok(first.every((r) => r.state === 'leased'));
      const rest = await store.claimOutbox('w2', 10, 1000, now);
      assert.equal(rest.length, 1);
      assert.equal((await store.claimOutbox('w3', 10, 1000, now)).length, 0);
      // w2 dies: its row is claimable once its lease runs out.
      assert.deepEqual(
        (await store.claimOutbox('w3', 10, 1000, now + 1001)).map((r) => r.id),
        rest.map((r) => r.id),
      );

      const at = now + 5;
      await store.completeOutbox([
        {
          id: first[0].id,
          attempt: { outboxId: first[0].id, at, httpStatus: 200, latencyMs: 3, error: null },
          outcome: 'delivered',
        },
        {
          id: first[1].id,
          attempt: { outboxId: first[1].id, at, httpStatus: 503, latencyMs: 4, error: 'HTTP 503' },
          outcome: 'retry',
          nextDueAt: at + 10_000,
        },
        {
          id: rest[0].id,
          attempt: { outboxId: rest[0].id, at, httpStatus: null, latencyMs: 1, error: 'ECONNREFUSED' },
          outcome: 'dead',
        },
      ]);
      assert.equal((await store.listOutbox({ state: 'delivered' }, { limit: 10 })).total, 1);
      assert.equal((await store.listOutbox({ state: 'dead' }, { limit: 10 })).total, 1);
      assert.equal((await store.claimOutbox('w1', 10, 1000, at + 1)).length, 0);
      const retried = await store.claimOutbox('w1', 10, 1000, at + 10_000);
      assert.equal(retried[0].id, first[1].id);
      assert.equal(retried[0].attempts, 1);
      assert.equal(retried[0].lastHttpStatus, 503);
      const again = await store.redeliverOutbox(rest[0].id, at + 20_000);
      assert.equal(again?.state, 'pending');
      assert.equal(await store.redeliverOutbox(retried[0].id, at), undefined); // leased, not dead
      const detail = await store.getMessageDetail(msgs[0].smsMsgId);
      const attempts = detail?.pushes.flatMap((p) => p.attempts) ?? [];
      assert.ok(attempts.length <= 1);
    });
  });
}
