import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';
import { newTestApp } from './fixtures.js';

async function rawSecretColumn(url: string, id: string): Promise<string> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    try {
      return (
        db.prepare('SELECT app_secret_enc FROM apps WHERE id = ?').get(id) as { app_secret_enc: string }
      ).app_secret_enc;
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query('SELECT app_secret_enc FROM apps WHERE id = $1', [id])).rows[0].app_secret_enc;
  } finally {
    await c.end();
  }
}

for (const engine of ENGINES) {
  describe(`catalog (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
    });
    after(() => t.cleanup());

    it('creates, reads, patches, lists and deletes apps; the secret is encrypted at rest', async () => {
      const app = await newTestApp(store, {
        name: 'one',
        appSecret: 'S3cretS3cretS3cretS3cretS3cr',
        ipAllowList: ['10.0.0.0/8'],
      });
      assert.equal(app.appKey.length, 28);
      assert.equal(app.appSecret, 'S3cretS3cretS3cretS3cretS3cr');
      assert.equal(app.channelNumber, null);
      const raw = await rawSecretColumn(t.url, app.id);
      assert.ok(!raw.includes('S3cret'));
      assert.match(raw, /^[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);

      assert.deepEqual(await store.getApp(app.id), app);
      assert.deepEqual(await store.getAppByKey(app.appKey), app);
      const patched = await store.updateApp(app.id, {
        name: 'renamed',
        pushSigning: true,
        tpsLimit: 50,
        batchReportUrl: 'http://b/',
      });
      assert.equal(patched?.name, 'renamed');
      assert.equal(patched?.pushSigning, true);
      assert.equal(patched?.tpsLimit, 50);
      assert.deepEqual(patched?.ipAllowList, ['10.0.0.0/8']);
      assert.equal(patched?.appSecret, app.appSecret);
      assert.equal(await store.updateApp('nope', { name: 'x' }), undefined);

      const intl = await newTestApp(store, { name: 'intl', region: 'intl' });
      const intl2 = await newTestApp(store, { name: 'intl2', region: 'intl' });
      assert.match(intl.channelNumber ?? '', /^isms\d{8}$/);
      assert.notEqual(intl.channelNumber, intl2.channelNumber);

      const list = await store.listApps({ limit: 2 });
      assert.equal(list.total, 3);
      assert.equal(list.items.length, 2);
      assert.equal(await store.deleteApp(intl2.id), true);
      assert.equal(await store.deleteApp(intl2.id), false);
      assert.equal(await store.getApp(intl2.id), undefined);
    });

    it('approving signatures allocates unique csms channel numbers once', async () => {
      const app = await newTestApp(store);
      const a = await store.createSignature({ appId: app.id, name: 'Alpha', type: 'NOTIFY_TYPE' });
      const b = await store.createSignature({ appId: app.id, name: 'Beta', type: 'NOTIFY_TYPE' });
      assert.equal(a.status, 'pending');
      assert.equal(a.channelNumber, null);
      const [ra, rb] = await Promise.all([store.approveSignature(a.id), store.approveSignature(b.id)]);
      assert.match(ra?.channelNumber ?? '', /^csms\d{8}$/);
      assert.match(rb?.channelNumber ?? '', /^csms\d{8}$/);
      assert.notEqual(ra?.channelNumber, rb?.channelNumber);
      const again = await store.approveSignature(a.id);
      assert.equal(again?.channelNumber, ra?.channelNumber);
      assert.equal((await store.findSignatureByChannel(ra?.channelNumber ?? ''))?.id, a.id);
      assert.equal((await store.findSignatureByName(app.id, 'Beta'))?.id, b.id);
      assert.equal(await store.approveSignature('missing'), undefined);

      const c = await store.createSignature({ appId: app.id, name: 'Gamma', type: 'PROMOTION_TYPE' });
      // Not rejected: unchanged.
      assert.equal((await store.updateSignature(c.id, { name: 'Delta' }))?.name, 'Gamma');
      const rej = await store.rejectSignature(c.id, 'bad name');
      assert.equal(rej?.status, 'rejected');
      assert.equal(rej?.rejectReason, 'bad name');
      const edited = await store.updateSignature(c.id, { name: 'Delta' });
      assert.equal(edited?.name, 'Delta');
      assert.equal(edited?.status, 'pending');
      const approved = await store.listSignatures({ appId: app.id, status: 'approved' });
      assert.equal(approved.total, 2);
      assert.equal(await store.deleteSignature(c.id), true);
    });

    it('runs the template lifecycle: pending → rejected → edited → active ⇄ inactive', async () => {
      const app = await newTestApp(store);
      const tpl = await store.createTemplate({
        appId: app.id,
        signatureId: null,
        universal: true,
        name: 'otp',
        type: 'VERIFY_CODE_TYPE',
        region: 'cn',
        content: 'Your code is ${1}',
        variableAttributes: { 1: 'CHARDIGIT' },
      });
      assert.match(tpl.id, /^[0-9a-f]{32}$/);
      assert.equal(tpl.status, 'pending');
      assert.deepEqual(tpl.variableAttributes, { 1: 'CHARDIGIT' });
      assert.equal((await store.updateTemplate(tpl.id, { content: 'x' }))?.content, tpl.content);
      const rejected = await store.setTemplateStatus(tpl.id, 'rejected', 'too vague');
      assert.equal(rejected?.rejectReason, 'too vague');
      const edited = await store.updateTemplate(tpl.id, { content: 'Code: ${1}' });
      assert.equal(edited?.status, 'pending');
      assert.equal(edited?.content, 'Code: ${1}');
      assert.equal((await store.setTemplateStatus(tpl.id, 'active'))?.status, 'active');
      assert.equal((await store.setTemplateStatus(tpl.id, 'inactive'))?.rejectReason, null);
      assert.equal((await store.listTemplates({ appId: app.id, status: 'inactive' })).total, 1);
      assert.equal(await store.deleteTemplate(tpl.id), true);
      assert.equal(await store.getTemplate(tpl.id), undefined);
    });

    it('stores connectors and routes', async () => {
      const c = await store.createConnector({
        name: 'sim',
        host: '127.0.0.1',
        port: 2775,
        systemId: 'u',
        password: 'p',
        systemType: '',
        bindMode: 'transceiver',
        binds: 1,
        window: 10,
        tps: 0,
        concat: 'udh8',
        textMode: 'gsm7',
        msgIdType: 'auto',
        tls: false,
        enabled: true,
      });
      assert.equal((await store.getConnector(c.id))?.port, 2775);
      assert.equal((await store.updateConnector(c.id, { window: 50 }))?.window, 50);
      const r2 = await store.createRoute({
        name: 'b',
        priority: 20,
        match: {},
        connectorIds: [c.id],
        strategy: 'failover',
        enabled: true,
      });
      const r1 = await store.createRoute({
        name: 'a',
        priority: 10,
        match: { prefixes: ['+86'] },
        connectorIds: [c.id],
        strategy: 'roundrobin',
        enabled: true,
      });
      assert.deepEqual(
        (await store.listRoutes()).map((r) => r.id),
        [r1.id, r2.id],
      );
      assert.equal((await store.updateRoute(r2.id, { priority: 1 }))?.priority, 1);
      assert.deepEqual(
        (await store.listRoutes()).map((r) => r.id),
        [r2.id, r1.id],
      );
      assert.equal(await store.deleteRoute(r1.id), true);
      assert.equal(await store.deleteConnector(c.id), true);
      assert.deepEqual(await store.listConnectors(), []);
    });
  });
}
