/**
 * RetentionSweeper on a real store: it purges history older than `days` in batches, does nothing
 * with `days: 0`, and skips a round while another node holds the `retention` lease.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/logger.js';
import { RetentionSweeper } from '../../src/maintenance/retention-sweeper.js';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, type TestStore } from '../store/engines.js';
import { acceptAndClaim, failAll, newMessage, newTestApp } from '../store/fixtures.js';

const DAY = 24 * 3_600_000;

describe('RetentionSweeper', () => {
  let t: TestStore;
  let store: Store;
  let app: AppRecord;
  before(async () => {
    t = await createTestStore();
    store = t.store;
    app = await newTestApp(store);
  });
  after(() => t.cleanup());

  const sweeper = (days: number, nodeId = 'node-a') =>
    new RetentionSweeper({ store, log: silentLogger, nodeId, options: { days, batch: 2 } });

  it('removes final messages older than the retention, batch after batch, and only those', async () => {
    const old = Date.now() - 40 * DAY;
    const oldOnes = Array.from({ length: 5 }, () => newMessage(app, { createdAt: old }));
    const recent = newMessage(app, { createdAt: Date.now() - 10 * DAY });
    const newest = newMessage(app);
    const ids = await acceptAndClaim(store, [...oldOnes, recent, newest]);
    await failAll(store, ids);
    assert.deepEqual(await sweeper(0).sweep(), { messages: 0, pushes: 0, mos: 0 }, 'days 0 keeps everything');

    // Another node is purging: this round is skipped.
    assert.equal(await store.acquireLease('retention', 'node-b', 60_000, Date.now()), true);
    assert.equal((await sweeper(30).sweep()).messages, 0);
    await store.releaseLease('retention', 'node-b');

    const r = await sweeper(30).sweep();
    assert.equal(r.messages, 5, 'all five, in batches of two');
    for (const m of oldOnes) assert.equal(await store.getMessageDetail(m.smsMsgId), undefined);
    assert.ok(await store.getMessageDetail(recent.smsMsgId), 'within 30 days: kept');
    assert.ok(await store.getMessageDetail(newest.smsMsgId));
    assert.equal(await store.acquireLease('retention', 'node-b', 1_000, Date.now()), true, 'lease released');
    await store.releaseLease('retention', 'node-b');
  });
});
