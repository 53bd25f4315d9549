import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signAkSk } from '../../src/auth/aksk.js';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import { ADMIN_TOKEN, type ApiFixture, form, messageCount, setupApi } from './helpers.js';

const FORM = 'application/x-www-form-urlencoded';

describe('send API: accepted requests', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  it('accepts a WSSE hex-digest (Python/Java style) form request with the exact 2024 response shape', async () => {
    const body = form({
      from: f.signature.channelNumber as string,
      to: '+8615100000001',
      templateId: f.verify.id,
      templateParas: '["369751"]',
      statusCallback: '',
    });
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: {
        'content-type': FORM,
        ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret, { digest: 'hex' }),
      },
      payload: body,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json;charset=UTF-8');
    const json = JSON.parse(res.body);
    assert.deepEqual(Object.keys(json), ['result', 'code', 'description']);
    assert.equal(json.code, '000000');
    assert.equal(json.description, 'Success');
    const [r] = json.result;
    assert.deepEqual(Object.keys(r), [
      'total',
      'originTo',
      'createTime',
      'from',
      'smsMsgId',
      'countryId',
      'status',
    ]);
    assert.equal(r.total, 1);
    assert.equal(r.originTo, '+8615100000001');
    assert.match(r.createTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(r.from, f.signature.channelNumber);
    assert.match(r.smsMsgId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_\d+$/);
    assert.equal(r.countryId, 'CN');
    assert.equal(r.status, '000000');
    // Committed before the answer, and visible in send details with parts and events.
    const detail = await f.app.inject({
      method: 'GET',
      url: `/api/v1/messages/${r.smsMsgId}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(detail.statusCode, 200);
    const d = JSON.parse(detail.body);
    assert.equal(d.message.to, '+8615100000001');
    assert.equal(d.message.content, '【Swiftlet】Your code is 369751, valid for 5 minutes.');
    assert.equal(d.parts.length, 1);
    assert.ok(d.events.some((e: { kind: string }) => e.kind === 'accepted'));
    const list = await f.app.inject({
      method: 'GET',
      url: '/api/v1/messages?to=%2B8615100000001',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(JSON.parse(list.body).items[0].smsMsgId, r.smsMsgId);
  });

  it('accepts a WSSE raw-digest client (official Node sample: 128-hex nonce, Base64 of raw digest)', async () => {
    const nonce = 'ab'.repeat(64);
    const headers = buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret, { digest: 'raw', nonce });
    assert.match(headers['X-WSSE'], /PasswordDigest="[A-Za-z0-9+/]{43}="/);
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: { 'content-type': FORM, ...headers },
      payload: form({
        from: f.signature.channelNumber as string,
        to: '+8615100000002',
        templateId: f.plain.id,
        statusCallback: '',
      }),
    });
    assert.equal(JSON.parse(res.body).code, '000000');
  });

  for (const [label, unsignedPayload, host] of [
    ['AK/SK UNSIGNED-PAYLOAD (Node SDK style)', true, 'localhost'],
    ['AK/SK body-hashed (Java style) with Host :443', false, 'smsapi.example.com:443'],
  ] as const) {
    it(`accepts ${label}`, async () => {
      const payload = form({
        from: f.signature.channelNumber as string,
        to: '+8615100000003',
        templateId: f.verify.id,
        templateParas: '["000123"]',
      });
      const base = { 'Content-Type': FORM, Host: host };
      const added = signAkSk({
        method: 'POST',
        path: '/sms/batchSendSms/v1',
        headers: base,
        body: payload,
        appKey: f.tenant.appKey,
        appSecret: f.tenant.appSecret,
        unsignedPayload,
      });
      const res = await f.app.inject({
        method: 'POST',
        url: '/sms/batchSendSms/v1',
        headers: { ...base, ...added },
        payload,
      });
      assert.equal(JSON.parse(res.body).code, '000000', res.body);
    });
  }

  it('batchSendDiffSms with 2 groups returns one entry per number in order', async () => {
    const payload = JSON.stringify({
      from: f.signature.channelNumber,
      statusCallback: 'https://example.com/report',
      smsContent: [
        { to: ['+8615100000011', '+8615100000012'], templateId: f.verify.id, templateParas: ['111111'] },
        { to: ['15100000013'], templateId: f.plain.id },
      ],
    });
    const base = { 'Content-Type': 'application/json', Host: 'localhost' };
    const added = signAkSk({
      method: 'POST',
      path: '/sms/batchSendDiffSms/v1',
      headers: base,
      body: payload,
      appKey: f.tenant.appKey,
      appSecret: f.tenant.appSecret,
    });
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendDiffSms/v1',
      headers: { ...base, ...added },
      payload,
    });
    const json = JSON.parse(res.body);
    assert.equal(json.code, '000000', res.body);
    assert.deepEqual(
      json.result.map((r: { originTo: string }) => r.originTo),
      ['+8615100000011', '+8615100000012', '+8615100000013'],
    );
    const d = await f.store.getMessageDetail(json.result[0].smsMsgId);
    assert.equal(d?.message.statusCallback, 'https://example.com/report');
  });

  it('answers E000510 with per-number statuses for invalid, duplicate and accepted numbers', async () => {
    const before = await messageCount(f.store);
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: { 'content-type': FORM, ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret) },
      payload: form({
        from: f.signature.channelNumber as string,
        to: '+8615100000021, 123,+8615100000021',
        templateId: f.verify.id,
        templateParas: '["123456"]',
      }),
    });
    assert.equal(res.statusCode, 200);
    const json = JSON.parse(res.body);
    assert.equal(json.code, 'E000510');
    assert.equal(json.description, 'The SMS fails to be sent. For details, see status.');
    assert.deepEqual(
      json.result.map((r: { status: string }) => r.status),
      ['000000', 'E200031', 'E200041'],
    );
    assert.deepEqual(Object.keys(json.result[2]), ['originTo', 'createTime', 'from', 'smsMsgId', 'status']);
    assert.equal(json.result[2].smsMsgId, '');
    assert.equal(await messageCount(f.store), before + 1);
  });

  it('counts segments: a long UCS-2 text has total > 1', async () => {
    const long = await f.store.createTemplate({
      appId: f.tenant.id,
      signatureId: f.signature.id,
      universal: false,
      name: 'long',
      type: 'VERIFY_CODE_TYPE',
      region: 'cn',
      content: `您的验证码是\${NUM_6}。${'请勿泄露给他人'.repeat(10)}`,
      variableAttributes: {},
    });
    await f.store.setTemplateStatus(long.id, 'active');
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: { 'content-type': FORM, ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret) },
      payload: form({
        from: f.signature.channelNumber as string,
        to: '+8615100000031',
        templateId: long.id,
        templateParas: '["654321"]',
      }),
    });
    const json = JSON.parse(res.body);
    assert.equal(json.code, '000000');
    assert.equal(json.result[0].total, 2);
  });
});
