import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, type ApiFixture, setupApi } from './helpers.js';

describe('management API', () => {
  let f: ApiFixture;
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    f.app.inject({
      method,
      url,
      headers: auth,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  it('refuses a missing or wrong token with 401 UNAUTHORIZED', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }]) {
      const res = await f.app.inject({ method: 'GET', url: '/api/v1/apps', headers });
      assert.equal(res.statusCode, 401);
      assert.equal(JSON.parse(res.body).error.code, 'UNAUTHORIZED');
    }
  });

  it('creates an app, a signature and a template; approves twice; reveals the secret', async () => {
    const created = await call('POST', '/api/v1/apps', {
      name: 'shop',
      ipAllowList: '10.0.0.0/8, 192.168.1.1',
    });
    assert.equal(created.statusCode, 201, created.body);
    const app = JSON.parse(created.body);
    assert.equal(app.appKey.length, 28);
    assert.equal(typeof app.appSecret, 'string');
    assert.deepEqual(app.ipAllowList, ['10.0.0.0/8', '192.168.1.1']);
    const listed = JSON.parse((await call('GET', '/api/v1/apps')).body);
    assert.ok(listed.items.every((a: Record<string, unknown>) => !('appSecret' in a)));
    assert.equal(JSON.parse((await call('GET', `/api/v1/apps/${app.appKey}`)).body).id, app.id);

    const badSig = await call('POST', '/api/v1/signatures', {
      app: app.appKey,
      name: '12345',
      type: 'NOTIFY_TYPE',
    });
    assert.equal(badSig.statusCode, 400);
    assert.equal(JSON.parse(badSig.body).error.code, 'VALIDATION_FAILED');
    const sig = JSON.parse(
      (await call('POST', '/api/v1/signatures', { app: app.appKey, name: 'Shop', type: 'NOTIFY_TYPE' })).body,
    );
    assert.equal(sig.status, 'pending');
    const a1 = JSON.parse((await call('POST', `/api/v1/signatures/${sig.id}/approve`)).body);
    const a2 = JSON.parse((await call('POST', `/api/v1/signatures/${sig.id}/approve`)).body);
    assert.equal(a1.status, 'approved');
    assert.equal(a2.channelNumber, a1.channelNumber);

    const badTpl = await call('POST', '/api/v1/templates', {
      app: app.id,
      signatureId: sig.id,
      name: 't',
      type: 'NOTIFY_TYPE',
      content: 'Hi ${1}${2} 【x】',
    });
    assert.equal(badTpl.statusCode, 400);
    assert.ok(JSON.parse(badTpl.body).error.details.length >= 2);
    const tpl = JSON.parse(
      (
        await call('POST', '/api/v1/templates', {
          app: app.id,
          signatureId: sig.id,
          name: 't',
          type: 'NOTIFY_TYPE',
          content: 'Order ${NUM_4} shipped.',
        })
      ).body,
    );
    assert.equal(tpl.status, 'pending');
    assert.equal(tpl.variables[0].token, '${NUM_4}');
    assert.equal(
      JSON.parse((await call('POST', `/api/v1/templates/${tpl.id}/approve`)).body).status,
      'active',
    );
    assert.equal(
      JSON.parse((await call('POST', `/api/v1/templates/${tpl.id}/approve`)).body).status,
      'active',
    );
    assert.equal(
      JSON.parse((await call('POST', `/api/v1/templates/${tpl.id}/deactivate`)).body).status,
      'inactive',
    );
    assert.equal(
      JSON.parse((await call('POST', `/api/v1/templates/${tpl.id}/activate`)).body).status,
      'active',
    );

    const preview = JSON.parse(
      (await call('POST', '/api/v1/templates/preview', { templateId: tpl.id, params: ['1234'] })).body,
    );
    assert.equal(preview.text, '【Shop】Order 1234 shipped.');
    assert.equal(preview.encoding, 'UCS2');
    assert.deepEqual(preview.forcedUcs2, ['【', '】']);
    assert.equal(preview.total, 1);

    const frozen = JSON.parse((await call('POST', `/api/v1/apps/${app.id}/freeze`)).body);
    assert.equal(frozen.status, 'frozen');
    const secret = JSON.parse((await call('GET', `/api/v1/apps/${app.id}/secret`)).body);
    assert.equal(secret.appSecret, app.appSecret);
  });

  it('answers 404 NOT_FOUND for unknown entities and paths', async () => {
    for (const url of [
      '/api/v1/apps/nope',
      '/api/v1/templates/nope',
      '/api/v1/messages/nope',
      '/api/v1/nothing-here',
    ]) {
      const res = await call('GET', url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(JSON.parse(res.body).error.code, 'NOT_FOUND');
    }
  });

  it('serves codes, stats, overview, CSV, health, readiness, metrics, OpenAPI and /docs', async () => {
    assert.equal(JSON.parse((await call('GET', '/api/v1/codes/E000620')).body).http, 403);
    assert.equal(JSON.parse((await call('GET', '/api/v1/codes/DELIVRD')).body).kind, 'status');
    assert.equal((await call('GET', '/api/v1/stats/daily')).statusCode, 200);
    assert.equal((await call('GET', '/api/v1/stats/failures')).statusCode, 200);
    const overview = JSON.parse((await call('GET', '/api/v1/overview')).body);
    assert.equal(typeof overview.queueDepth, 'number');
    const csv = await call('GET', '/api/v1/messages.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^smsMsgId,createdAt/);
    assert.equal((await f.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal(JSON.parse((await f.app.inject({ method: 'GET', url: '/readyz' })).body).status, 'ready');
    assert.match((await f.app.inject({ method: 'GET', url: '/metrics' })).body, /swiftlet_queue_depth/);
    const spec = JSON.parse((await f.app.inject({ method: 'GET', url: '/openapi.json' })).body);
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/sms/batchSendSms/v1']);
    assert.ok(spec.paths['/api/v1/templates/preview']);
    assert.match((await f.app.inject({ method: 'GET', url: '/docs' })).body, /openapi\.json/);
    const sim = await call('POST', '/api/v1/simulator/mo', {
      from: '+8613800000001',
      to: 'csms1',
      text: 'R',
    });
    assert.equal(sim.statusCode, 503);
  });
});
