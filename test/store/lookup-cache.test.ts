import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LookupCache } from '../../src/store/lookup-cache.js';
import { createTestStore } from './engines.js';
import { newTestApp } from './fixtures.js';

test('a cached row is served until the TTL ends, then loaded again', async () => {
  let now = 0;
  let loads = 0;
  const cache = new LookupCache({ ttlMs: 1000, now: () => now });
  const load = async () => ({ n: ++loads });
  assert.equal((await cache.get('k', load)).n, 1);
  now = 999;
  assert.equal((await cache.get('k', load)).n, 1);
  now = 1000;
  assert.equal((await cache.get('k', load)).n, 2);
});

test('a load that was running when a write invalidated the cache is not kept', async () => {
  const cache = new LookupCache();
  let release!: () => void;
  const slow = cache.get('k', () => new Promise<{ v: string }>((r) => (release = () => r({ v: 'stale' }))));
  cache.invalidate();
  release();
  assert.equal((await slow).v, 'stale');
  assert.equal((await cache.get('k', async () => ({ v: 'fresh' }))).v, 'fresh');
});

test('freezing an app through the store takes effect on the very next lookup by key', async () => {
  const { store, cleanup } = await createTestStore();
  try {
    const app = await newTestApp(store);
    assert.equal((await store.getAppByKey(app.appKey))?.status, 'active');
    await store.updateApp(app.id, { status: 'frozen' });
    assert.equal((await store.getAppByKey(app.appKey))?.status, 'frozen');
    const tpl = await store.createTemplate({
      appId: app.id,
      signatureId: null,
      universal: true,
      name: 't',
      type: 'NOTIFY_TYPE',
      region: 'cn',
      content: 'hello',
      variableAttributes: {},
    });
    assert.equal((await store.getTemplate(tpl.id))?.status, 'pending');
    await store.setTemplateStatus(tpl.id, 'active');
    assert.equal((await store.getTemplate(tpl.id))?.status, 'active');
    await store.deleteTemplate(tpl.id);
    assert.equal(await store.getTemplate(tpl.id), undefined);
  } finally {
    await cleanup();
  }
});
