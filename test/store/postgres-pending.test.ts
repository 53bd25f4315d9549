/**
 * PostgreSQL only: a receipt batch and the submit batch of the same message committing at the
 * same time (src/store/postgres/postgres-pending.ts). The receipt is parked while the submit is
 * not committed, and the submit commits before the parked row is — each transaction misses the
 * other; the drain after the receipt's commit must still apply it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import { drainPendingPg } from '../../src/store/postgres/postgres-pending.js';
import { createPool } from '../../src/store/postgres/postgres-pool.js';
import { applyReceiptsPgTx } from '../../src/store/postgres/postgres-receipts.js';
import type { Database } from '../../src/store/schema.js';
import type { ReceiptInput, Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { acceptAndClaim, newApp, newMessage } from './fixtures.js';

if (ENGINES.includes('postgres')) {
  describe('parked receipts racing their submit (postgres)', () => {
    let t: TestStore;
    let store: Store;
    let db: Kysely<Database>;
    before(async () => {
      t = await createTestStore('postgres');
      store = t.store;
      db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(t.url, 2) }) });
    });
    after(async () => {
      await db.destroy();
      await t.cleanup();
    });

    it('a receipt parked while its submit commits is applied by the drain after its own commit', async () => {
      const app = await store.createApp(newApp());
      const m = newMessage(app, { statusCallback: 'http://cb.example/race' });
      const [id] = await acceptAndClaim(store, [m]);
      const r: ReceiptInput = {
        connectorId: 'race',
        carrierMsgId: 'race-1',
        stat: 'DELIVRD',
        err: null,
        receivedAt: Date.now(),
        raw: 'race',
      };
      const parked: ReceiptInput[] = [];
      await db.transaction().execute(async (trx) => {
        const res = await applyReceiptsPgTx(trx, [r], true, parked);
        assert.deepEqual(res, { matched: 0, pending: 1 });
        // The submit commits now, while the parked row is not committed: its own drain misses it.
        await store.recordSubmits([
          {
            messageId: id,
            connectorId: 'race',
            parts: [{ seq: 1, carrierMsgId: 'race-1', submittedAt: Date.now() }],
          },
        ]);
        assert.equal((await store.getMessageDetail(m.smsMsgId))?.message.state, 'SUBMITTED');
      });
      assert.equal(parked.length, 1);
      assert.equal(await drainPendingPg(db, ['race'], ['race-1']), 1);
      const d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'DELIVERED');
      assert.equal(d?.pushes.length, 1);
      // Drained once: nothing left to apply.
      assert.equal(await drainPendingPg(db, ['race'], ['race-1']), 0);
    });

    it('a node that dies between parking and draining leaves the receipt to the sweep, applied exactly once', async () => {
      const app = await store.createApp(newApp());
      const m = newMessage(app, { statusCallback: 'http://cb.example/race' });
      const [id] = await acceptAndClaim(store, [m]);
      const r: ReceiptInput = {
        connectorId: 'race',
        carrierMsgId: 'race-2',
        stat: 'UNDELIV',
        err: '013',
        receivedAt: Date.now(),
        raw: 'race',
      };
      await db.transaction().execute(async (trx) => {
        await applyReceiptsPgTx(trx, [r], true);
        await store.recordSubmits([
          {
            messageId: id,
            connectorId: 'race',
            parts: [{ seq: 1, carrierMsgId: 'race-2', submittedAt: Date.now() }],
          },
        ]);
      });
      // The receipt's node is gone: its drain never runs, the message waits.
      assert.equal((await store.getMessageDetail(m.smsMsgId))?.message.state, 'SUBMITTED');
      // Two nodes' sweeps at once: SKIP LOCKED lets one take it, the other finds nothing.
      const [a, b] = await Promise.all([
        store.matchParkedReceipts(0, 100),
        store.matchParkedReceipts(0, 100),
      ]);
      assert.equal(a + b, 1);
      const d = await store.getMessageDetail(m.smsMsgId);
      assert.equal(d?.message.state, 'UNDELIVERED');
      assert.equal(d?.pushes.length, 1);
      assert.equal(await store.matchParkedReceipts(0, 100), 0);
    });
  });
}
