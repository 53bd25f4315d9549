/**
 * Review finding: `verifyAkSk` takes `X-Sdk-Content-Sha256` as the payload hash whenever the header
 * is present, even when it is NOT among SignedHeaders. A body-hashed (Java-style) request can then
 * be replayed with a different body: add `X-Sdk-Content-Sha256: <sha256 of the original body>`
 * and the canonical request — hence the signature — is unchanged.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signAkSk, UNSIGNED_PAYLOAD } from '../../src/auth/aksk.js';
import { type ApiFixture, form, messageCount, setupApi } from '../api/helpers.js';

const FORM = 'application/x-www-form-urlencoded';

describe('review: AK/SK payload hash must be bound to the signature', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  const body = (to: string) =>
    form({ from: f.signature.channelNumber as string, to, templateId: f.plain.id });

  it('refuses (E000045) a body-hashed request whose body was swapped behind an unsigned X-Sdk-Content-Sha256', async () => {
    const original = body('+8615100000001');
    const base = { 'Content-Type': FORM, Host: 'smsapi.example.com' };
    const signed = signAkSk({
      method: 'POST',
      path: '/sms/batchSendSms/v1',
      headers: base,
      body: original,
      appKey: f.tenant.appKey,
      appSecret: f.tenant.appSecret,
    });
    assert.doesNotMatch(signed.Authorization, /x-sdk-content-sha256/);
    const before = await messageCount(f.store);
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: {
        ...base,
        ...signed,
        'X-Sdk-Content-Sha256': createHash('sha256').update(original).digest('hex'),
      },
      payload: body('+8615199999999'),
    });
    assert.equal(JSON.parse(res.body).code, 'E000045', res.body);
    assert.equal(await messageCount(f.store), before);
  });

  it('still accepts the SDK form: UNSIGNED-PAYLOAD listed in SignedHeaders', async () => {
    const payload = body('+8615100000002');
    const base = { 'Content-Type': FORM, Host: 'smsapi.example.com' };
    const signed = signAkSk({
      method: 'POST',
      path: '/sms/batchSendSms/v1',
      headers: base,
      body: payload,
      appKey: f.tenant.appKey,
      appSecret: f.tenant.appSecret,
      unsignedPayload: true,
    });
    assert.equal(signed['X-Sdk-Content-Sha256'], UNSIGNED_PAYLOAD);
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: { ...base, ...signed },
      payload,
    });
    assert.equal(JSON.parse(res.body).code, '000000', res.body);
  });
});
