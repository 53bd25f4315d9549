/**
 * Spec §8: international SMS has no uplink. The management API refuses an `uplinkUrl` for an
 * international app (400 VALIDATION_FAILED) on create and update; clearing it is allowed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, type ApiFixture, setupApi } from './helpers.js';

describe('management API: uplink address by region', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  const call = (method: 'POST' | 'PATCH', url: string, payload: object) =>
    f.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload });

  it('refuses uplinkUrl for an international app on create and on update', async () => {
    const bad = await call('POST', '/api/v1/apps', {
      name: 'global',
      region: 'intl',
      uplinkUrl: 'https://example.com/mo',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(JSON.parse(bad.body).error.code, 'VALIDATION_FAILED');
    assert.match(JSON.parse(bad.body).error.message, /uplinkUrl/);

    const created = await call('POST', '/api/v1/apps', { name: 'global', region: 'intl', uplinkUrl: null });
    assert.equal(created.statusCode, 201, created.body);
    const id = JSON.parse(created.body).id as string;
    const patch = await call('PATCH', `/api/v1/apps/${id}`, { uplinkUrl: 'https://example.com/mo' });
    assert.equal(patch.statusCode, 400, patch.body);
    assert.equal(JSON.parse(patch.body).error.code, 'VALIDATION_FAILED');
    for (const uplinkUrl of [null, '']) {
      const cleared = await call('PATCH', `/api/v1/apps/${id}`, { uplinkUrl });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.equal(JSON.parse(cleared.body).uplinkUrl, null);
    }
  });

  it('accepts uplinkUrl for a mainland app', async () => {
    const created = await call('POST', '/api/v1/apps', { name: 'shop', uplinkUrl: 'https://example.com/mo' });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(JSON.parse(created.body).uplinkUrl, 'https://example.com/mo');
    const patch = await call('PATCH', `/api/v1/apps/${f.tenant.id}`, {
      uplinkUrl: 'https://example.com/mo2',
    });
    assert.equal(patch.statusCode, 200, patch.body);
  });
});
