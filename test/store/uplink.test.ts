import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { newTestApp } from './fixtures.js';

for (const engine of ENGINES) {
  describe(`uplink and blocklist (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
    });
    after(() => t.cleanup());

    it('resolves the longest channel prefix, stores the MO with its uplink push, and opt-out adds one block', async () => {
      const app = await newTestApp(store, { uplinkUrl: 'http://up.example/mo', uplinkCreateTime: true });
      const sig = await store.createSignature({ appId: app.id, name: 'Shop', type: 'PROMOTION_TYPE' });
      const ch = (await store.approveSignature(sig.id))?.channelNumber as string;
      const intl = await newTestApp(store, { region: 'intl' });

      const m = await store.resolveChannel(`${ch}42`);
      assert.deepEqual(m, { appId: app.id, signatureId: sig.id, channelNumber: ch, extension: '42' });
      assert.equal((await store.resolveChannel(intl.channelNumber as string))?.appId, intl.id);
      assert.equal(await store.resolveChannel('99999'), undefined);

      const receivedAt = Date.UTC(2025, 1, 3, 4, 5, 6);
      const mo = await store.insertMo({
        smsMsgId: 'mo-1',
        from: '+8613700000001',
        to: `${ch}42`,
        body: 'TD',
        connectorId: 'c',
        receivedAt,
      });
      assert.equal(mo.appId, app.id);
      const pushes = await store.listOutbox({ appId: app.id }, { limit: 10 });
      assert.equal(pushes.total, 1);
      const p = pushes.items[0];
      assert.equal(p.kind, 'uplink');
      assert.equal(p.url, 'http://up.example/mo');
      assert.equal(p.moId, mo.id);
      assert.deepEqual(p.payload, {
        smsMsgId: 'mo-1',
        from: '+8613700000001',
        to: `${ch}42`,
        body: 'TD',
        createTime: '2025-02-03T04:05:06Z',
      });

      const blocks = await store.findBlocks(app.id, ['+8613700000001']);
      assert.equal(blocks.length, 1);
      assert.equal(blocks[0].scope, 'promotion');
      assert.equal(blocks[0].reason, 'opt-out');
      await store.insertMo({
        smsMsgId: 'mo-2',
        from: '+8613700000001',
        to: ch,
        body: ' stop ',
        connectorId: 'c',
        receivedAt,
      });
      assert.equal((await store.findBlocks(app.id, ['+8613700000001'])).length, 1);

      // No app for the number: stored without a push.
      const orphan = await store.insertMo({
        smsMsgId: 'mo-3',
        from: '+1',
        to: '12345',
        body: 'hi',
        connectorId: null,
        receivedAt,
      });
      assert.equal(orphan.appId, null);
      assert.equal((await store.listMo({ appId: app.id }, { limit: 10 })).total, 2);
      assert.equal((await store.listMo({}, { limit: 10 })).total, 3);
    });

    it('adds, finds (global or app), lists and removes blocks', async () => {
      const app = await newTestApp(store);
      const g = await store.addBlock({
        appId: null,
        number: '+8613800000000',
        scope: 'all',
        reason: 'manual',
        note: 'global',
      });
      await store.addBlock({
        appId: app.id,
        number: '+8613800000001',
        scope: 'all',
        reason: 'manual',
        note: null,
      });
      const other = await newTestApp(store);
      assert.equal((await store.findBlocks(app.id, ['+8613800000000', '+8613800000001'])).length, 2);
      assert.equal((await store.findBlocks(other.id, ['+8613800000000', '+8613800000001'])).length, 1);
      assert.equal((await store.listBlocks({ appId: app.id }, { limit: 10 })).total, 1);
      assert.equal(await store.removeBlock(g.id), true);
      assert.equal((await store.findBlocks(other.id, ['+8613800000000'])).length, 0);
    });
  });
}
