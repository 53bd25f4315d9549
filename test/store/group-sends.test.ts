/**
 * Group-send tasks in the store: only the owning node starts a due task, a cancel reaches a
 * running task through its next batch, refused numbers keep their order across batches, and a
 * task is deleted only when it is not running.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GroupTaskRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';

const task = (id: string, over: Partial<GroupTaskRecord> = {}): GroupTaskRecord => ({
  id,
  nodeId: 'node-a',
  name: id,
  appId: 'app',
  templateId: 't'.repeat(32),
  signatureId: null,
  signatureName: null,
  from: 'csms00000001',
  fileName: null,
  status: 'scheduled',
  scheduleAt: null,
  total: 3,
  processed: 0,
  accepted: 0,
  failed: 0,
  error: null,
  cancelRequested: false,
  createdBy: 'admin',
  createdAt: 1_000,
  startedAt: null,
  finishedAt: null,
  ...over,
});

for (const engine of ENGINES) {
  describe(`group-send tasks (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
    });
    after(() => t.cleanup());

    it('only the owning node starts a due task, oldest first; a future one waits', async () => {
      await store.insertGroupTask(task('t1', { createdAt: 1_000 }));
      await store.insertGroupTask(task('t2', { createdAt: 2_000, scheduleAt: 50_000 }));
      await store.insertGroupTask(task('t3', { createdAt: 3_000, nodeId: 'node-b' }));
      assert.equal((await store.startDueGroupTask('node-c', 10_000))?.id, undefined);
      const first = await store.startDueGroupTask('node-a', 10_000);
      assert.deepEqual([first?.id, first?.status, first?.startedAt], ['t1', 'running', 10_000]);
      assert.equal(await store.startDueGroupTask('node-a', 10_000), undefined, 't2 is not due yet');
      assert.equal((await store.startDueGroupTask('node-a', 60_000))?.id, 't2');
      const page = await store.listGroupTasks({}, { limit: 2 });
      assert.deepEqual([page.total, page.items.map((x) => x.id)], [3, ['t3', 't2']]);
    });

    it('a cancel reaches a running task through its next batch; refused numbers keep their order', async () => {
      let r = await store.recordGroupBatch('t1', { processed: 2, accepted: 1, failed: 1 }, [
        { number: 'x1', status: 'E200031' },
      ]);
      assert.equal(r.cancelRequested, false);
      const c = await store.cancelGroupTask('t1', 20_000);
      assert.ok(c !== 'missing' && c !== 'not-cancellable');
      assert.equal(c.status, 'running');
      assert.equal(c.cancelRequested, true);
      r = await store.recordGroupBatch('t1', { processed: 3, accepted: 1, failed: 2 }, [
        { number: 'x2', status: 'E200028' },
      ]);
      assert.equal(r.cancelRequested, true);
      assert.deepEqual(
        (await store.groupTaskFailures('t1', 0, 10)).map((f) => [f.seq, f.number]),
        [
          [1, 'x1'],
          [2, 'x2'],
        ],
      );
      assert.deepEqual(
        (await store.groupTaskFailures('t1', 1, 10)).map((f) => f.number),
        ['x2'],
      );
      const got = await store.getGroupTask('t1');
      assert.deepEqual([got?.processed, got?.accepted, got?.failed], [3, 1, 2]);
      assert.equal(await store.cancelGroupTask('nope', 1), 'missing');
    });

    it('cancelling a running task whose node’s heartbeat ran out ends it at once', async () => {
      await store.insertGroupTask(task('t4', { nodeId: 'node-gone', createdAt: 4_000 }));
      assert.equal((await store.startDueGroupTask('node-gone', 5_000))?.id, 't4');
      // The node renewed its heartbeat once, then died.
      assert.equal(await store.acquireLease('node:node-gone', 'node-gone', 1_000, 5_000), true);
      const c = await store.cancelGroupTask('t4', 60_000);
      assert.ok(c !== 'missing' && c !== 'not-cancellable');
      assert.equal(c.status, 'interrupted');
      assert.equal(await store.deleteGroupTask('t4'), 'ok');
    });

    it('delete refuses a running task; interrupt marks only the node’s unfinished tasks', async () => {
      assert.equal(await store.deleteGroupTask('t1'), 'busy');
      assert.equal(await store.interruptGroupTasks('node-a', 30_000), 2, 't1 and t2 were running');
      assert.equal((await store.getGroupTask('t3'))?.status, 'scheduled');
      assert.equal((await store.getGroupTask('t1'))?.status, 'interrupted');
      assert.equal(await store.deleteGroupTask('t1'), 'ok');
      assert.equal(await store.deleteGroupTask('t1'), 'missing');
      assert.deepEqual(await store.groupTaskFailures('t1', 0, 10), []);
      assert.equal(await store.cancelGroupTask('t2', 1), 'not-cancellable');
    });
  });
}
