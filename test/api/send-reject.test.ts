import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signAkSk } from '../../src/auth/aksk.js';
import { buildWsseHeaders, wsseDigest } from '../../src/auth/wsse.js';
import { apiCode } from '../../src/domain/api-codes.js';
import { formatHuaweiTime } from '../../src/domain/time.js';
import { type ApiFixture, form, messageCount, setupApi } from './helpers.js';

const FORM = 'application/x-www-form-urlencoded';
const AUTH = 'WSSE realm="SDP",profile="UsernameToken",type="Appkey"';

describe('send API: refused requests store nothing', () => {
  let f: ApiFixture;
  let body: string;
  before(async () => {
    f = await setupApi({ bodyLimit: 16384 });
    body = form({
      from: f.signature.channelNumber as string,
      to: '+8615100000001',
      templateId: f.verify.id,
      templateParas: '["123456"]',
    });
  });
  after(() => f.cleanup());

  function xwsse(
    parts: { Username?: string; PasswordDigest?: string; Nonce?: string; Created?: string },
    prefix = 'UsernameToken ',
  ) {
    return (
      prefix +
      Object.entries(parts)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')
    );
  }
  function validParts(secret = f.tenant.appSecret, created = formatHuaweiTime(Date.now())) {
    const Nonce = Math.random().toString(16).slice(2) + Date.now().toString(16);
    return {
      Username: f.tenant.appKey,
      PasswordDigest: wsseDigest(Nonce, created, secret),
      Nonce,
      Created: created,
    };
  }

  async function expectCode(
    code: string,
    req: { url?: string; headers?: Record<string, string>; payload?: string | Buffer },
    status = apiCode(code).http,
  ) {
    const before = await messageCount(f.store);
    const res = await f.app.inject({
      method: 'POST',
      url: req.url ?? '/sms/batchSendSms/v1',
      headers: req.headers ?? {},
      payload: req.payload ?? body,
    });
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.headers['content-type'], 'application/json;charset=UTF-8');
    const json = JSON.parse(res.body);
    assert.deepEqual(json, { code, description: apiCode(code).description });
    assert.equal(await messageCount(f.store), before, 'nothing stored');
  }

  const wsse = () => ({ 'content-type': FORM, ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret) });

  const authCases: Array<[string, () => Record<string, string>]> = [
    ['E000001', () => ({ 'content-type': FORM, 'x-wsse': xwsse(validParts()) })],
    [
      'E000002',
      () => ({
        'content-type': FORM,
        authorization: 'WSSE profile="UsernameToken",type="Appkey"',
        'x-wsse': xwsse(validParts()),
      }),
    ],
    [
      'E000003',
      () => ({
        'content-type': FORM,
        authorization: 'WSSE realm="SDP",type="Appkey"',
        'x-wsse': xwsse(validParts()),
      }),
    ],
    [
      'E000004',
      () => ({
        'content-type': FORM,
        authorization: 'WSSE realm="XYZ",profile="UsernameToken",type="Appkey"',
        'x-wsse': xwsse(validParts()),
      }),
    ],
    [
      'E000005',
      () => ({
        'content-type': FORM,
        authorization: 'WSSE realm="SDP",profile="Other",type="Appkey"',
        'x-wsse': xwsse(validParts()),
      }),
    ],
    [
      'E000006',
      () => ({
        'content-type': FORM,
        authorization: 'WSSE realm="SDP",profile="UsernameToken",type="Other"',
        'x-wsse': xwsse(validParts()),
      }),
    ],
    [
      'E000007',
      () => ({
        'content-type': FORM,
        authorization: 'WSSE realm="SDP",profile="UsernameToken"',
        'x-wsse': xwsse(validParts()),
      }),
    ],
    [
      'E000008',
      () => ({ 'content-type': FORM, authorization: 'Basic dXNlcjpwYXNz', 'x-wsse': xwsse(validParts()) }),
    ],
    ['E000020', () => ({ 'content-type': FORM, authorization: AUTH })],
    [
      'E000021',
      () => {
        const { Username: _u, ...p } = validParts();
        return { 'content-type': FORM, authorization: AUTH, 'x-wsse': xwsse(p) };
      },
    ],
    [
      'E000022',
      () => {
        const { Nonce: _n, ...p } = validParts();
        return { 'content-type': FORM, authorization: AUTH, 'x-wsse': xwsse(p) };
      },
    ],
    [
      'E000023',
      () => {
        const { Created: _c, ...p } = validParts();
        return { 'content-type': FORM, authorization: AUTH, 'x-wsse': xwsse(p) };
      },
    ],
    [
      'E000024',
      () => {
        const { PasswordDigest: _d, ...p } = validParts();
        return { 'content-type': FORM, authorization: AUTH, 'x-wsse': xwsse(p) };
      },
    ],
    [
      'E000025',
      () => ({
        'content-type': FORM,
        authorization: AUTH,
        'x-wsse': xwsse({ ...validParts(), Created: '2024-02-28 08:11:56' }),
      }),
    ],
    [
      'E000026',
      () => ({ 'content-type': FORM, authorization: AUTH, 'x-wsse': xwsse(validParts(), 'Token ') }),
    ],
    ['E000102', () => ({ 'content-type': FORM, ...buildWsseHeaders('A'.repeat(28), 'whatever') })],
    ['E000105', () => ({ 'content-type': FORM, ...buildWsseHeaders(f.tenant.appKey, 'wrong-secret') })],
    [
      'E000110',
      () => ({
        'content-type': FORM,
        authorization: AUTH,
        'x-wsse': xwsse(validParts(undefined, formatHuaweiTime(Date.now() - 25 * 3600_000))),
      }),
    ],
  ];
  for (const [code, headers] of authCases) {
    it(`X-WSSE: ${code}`, () => expectCode(code, { headers: headers() }));
  }

  it('X-WSSE: a replayed nonce is refused (E000101)', async () => {
    const h = wsse();
    const first = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: h,
      payload: body,
    });
    assert.equal(JSON.parse(first.body).code, '000000');
    await expectCode('E000101', { headers: h });
  });

  function aksk(opts: { date?: Date; secret?: string; mutate?: (h: Record<string, string>) => void } = {}) {
    const base = { 'Content-Type': FORM, Host: 'localhost' };
    const added = signAkSk({
      method: 'POST',
      path: '/sms/batchSendSms/v1',
      headers: base,
      body,
      appKey: f.tenant.appKey,
      appSecret: opts.secret ?? f.tenant.appSecret,
      date: opts.date,
    });
    const h: Record<string, string> = { ...base, ...added };
    opts.mutate?.(h);
    return h;
  }
  it('AK/SK: E000041 X-Sdk-Date missing', () =>
    expectCode('E000041', { headers: aksk({ mutate: (h) => delete h['X-Sdk-Date'] }) }));
  it('AK/SK: E000042 X-Sdk-Date malformed', () =>
    expectCode('E000042', {
      headers: aksk({
        mutate: (h) => {
          h['X-Sdk-Date'] = '2024-02-28T08:11:51Z';
        },
      }),
    }));
  it('AK/SK: E000043 Authorization malformed', () =>
    expectCode('E000043', {
      headers: aksk({
        mutate: (h) => {
          h.Authorization = 'SDK-HMAC-SHA256 nonsense';
        },
      }),
    }));
  it('AK/SK: E000044 X-Sdk-Date expired', () =>
    expectCode('E000044', { headers: aksk({ date: new Date(Date.now() - 20 * 60_000) }) }));
  it('AK/SK: E000045 signature mismatch', () =>
    expectCode('E000045', { headers: aksk({ secret: 'not-the-secret' }) }));

  it('E000040 wrong content type on the form route and on the JSON route', async () => {
    await expectCode('E000040', { headers: { ...wsse(), 'content-type': 'application/json' } });
    await expectCode('E000040', {
      url: '/sms/batchSendDiffSms/v1',
      headers: { ...wsse(), 'content-type': FORM },
    });
    await expectCode('E000040', { headers: { ...wsse(), 'content-type': 'text/plain' } });
  });

  it('E000000 for an undecodable form, broken JSON and templateParas that is not an array', async () => {
    await expectCode('E000000', { headers: wsse(), payload: 'from=%zz&to=1' });
    await expectCode('E000000', {
      headers: wsse(),
      payload: `${body.replace(/templateParas=[^&]*/, 'templateParas=%7Bnot-json')}`,
    });
    await expectCode('E000000', {
      headers: wsse(),
      payload: `${body.replace(/templateParas=[^&]*/, `templateParas=${encodeURIComponent('"123456"')}`)}`,
    });
    await expectCode('E000000', {
      url: '/sms/batchSendDiffSms/v1',
      headers: { ...wsse(), 'content-type': 'application/json' },
      payload: '{"from":',
    });
    await expectCode('E000000', {
      url: '/sms/batchSendDiffSms/v1',
      headers: { ...wsse(), 'content-type': 'application/json' },
      payload: JSON.stringify({
        from: f.signature.channelNumber,
        smsContent: [{ to: ['+8615100000001'], templateId: f.verify.id, templateParas: '["1"]' }],
      }),
    });
  });

  it('E000112 frozen app', async () => {
    await f.store.updateApp(f.tenant.id, { status: 'frozen' });
    try {
      await expectCode('E000112', { headers: wsse() });
    } finally {
      await f.store.updateApp(f.tenant.id, { status: 'active' });
    }
  });

  it('E000620 caller IP not in the allowlist (HTTP 403)', async () => {
    await f.store.updateApp(f.tenant.id, { ipAllowList: ['10.1.2.0/24'] });
    try {
      await expectCode('E000620', { headers: wsse() }, 403);
    } finally {
      await f.store.updateApp(f.tenant.id, { ipAllowList: [] });
    }
  });

  it('E000503 for request-level parameter errors', async () => {
    const ch = f.signature.channelNumber as string;
    const bad: Record<string, string>[] = [
      { from: ch, to: '+86151000000a1', templateId: f.verify.id, templateParas: '["123456"]' }, // illegal character
      {
        from: ch,
        to: Array.from({ length: 501 }, (_, i) => `+86151${String(i).padStart(8, '0')}`).join(','),
        templateId: f.plain.id,
      }, // > 500
      { from: ch, to: '', templateId: f.plain.id },
      { from: 'csms00000000', to: '+8615100000001', templateId: f.plain.id }, // not this app's channel
      { to: '+8615100000001', templateId: f.plain.id }, // no from
      { from: ch, to: '+8615100000001' }, // no templateId
      { from: ch, to: '+8615100000001', templateId: f.plain.id, statusCallback: 'ftp://x/y' },
      {
        from: ch,
        to: '+8615100000001',
        templateId: f.plain.id,
        statusCallback: `https://e.com/${'a'.repeat(250)}`,
      },
      { from: ch, to: '+8615100000001', templateId: f.plain.id, extend: '' },
      { from: ch, to: '+8615100000001', templateId: f.plain.id, extend: 'a{b}' },
      { from: ch, to: '+8615100000001', templateId: f.plain.id, extend: 'x'.repeat(129) },
    ];
    for (const fields of bad) await expectCode('E000503', { headers: wsse(), payload: form(fields) });
    const json = { 'content-type': 'application/json' };
    const diff = (doc: unknown) =>
      expectCode('E000503', {
        url: '/sms/batchSendDiffSms/v1',
        headers: { ...wsse(), ...json },
        payload: JSON.stringify(doc),
      });
    await diff({ from: ch, smsContent: [] });
    await diff({ from: ch, smsContent: [{ to: '+8615100000001', templateId: f.plain.id }] });
    await diff({ from: ch, smsContent: [{ to: ['+86 151-0000'], templateId: f.plain.id }] });
  });

  it('E000503 when smsContent exceeds 64 KB', async () => {
    const bigApp = await setupApi({ bodyLimit: 1024 * 1024 });
    try {
      const groups = Array.from({ length: 200 }, () => ({
        to: ['+8615100000001'],
        templateId: bigApp.plain.id,
        templateParas: [],
        signature: 'x'.repeat(60),
        pad: 'y'.repeat(300),
      }));
      const res = await bigApp.app.inject({
        method: 'POST',
        url: '/sms/batchSendDiffSms/v1',
        headers: {
          'content-type': 'application/json',
          ...buildWsseHeaders(bigApp.tenant.appKey, bigApp.tenant.appSecret),
        },
        payload: JSON.stringify({ from: bigApp.signature.channelNumber, smsContent: groups }),
      });
      assert.deepEqual(JSON.parse(res.body), {
        code: 'E000503',
        description: apiCode('E000503').description,
      });
      assert.equal(await messageCount(bigApp.store), 0);
    } finally {
      await bigApp.cleanup();
    }
  });

  it('413 before parsing for a body over the limit', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: wsse(),
      payload: `to=${'1'.repeat(20000)}`,
    });
    assert.equal(res.statusCode, 413);
    assert.deepEqual(JSON.parse(res.body), { code: 'E000503', description: apiCode('E000503').description });
  });

  it('404 for an unknown path, a wrong case and a GET', async () => {
    for (const [method, url] of [
      ['POST', '/sms/batchSendSms/v2'],
      ['POST', '/sms/batchsendsms/v1'],
      ['GET', '/sms/batchSendSms/v1'],
    ] as const) {
      const res = await f.app.inject({
        method,
        url,
        headers: wsse(),
        payload: method === 'POST' ? body : undefined,
      });
      assert.equal(res.statusCode, 404);
      assert.equal(JSON.parse(res.body).code, 'E000503');
    }
  });

  it('per-number E200028 / E200029 / E200030 / E200031 store nothing', async () => {
    const notify = await f.store.createSignature({ appId: f.tenant.id, name: 'Notify', type: 'NOTIFY_TYPE' });
    const notifySig = await f.store.approveSignature(notify.id);
    const universal = await f.store.createTemplate({
      appId: f.tenant.id,
      signatureId: null,
      universal: true,
      name: 'u',
      type: 'NOTIFY_TYPE',
      region: 'cn',
      content: 'Your parcel has arrived.',
      variableAttributes: {},
    });
    await f.store.setTemplateStatus(universal.id, 'active');
    const pending = await f.store.createTemplate({
      appId: f.tenant.id,
      signatureId: f.signature.id,
      universal: false,
      name: 'p',
      type: 'VERIFY_CODE_TYPE',
      region: 'cn',
      content: 'Pending text.',
      variableAttributes: {},
    });
    const ch = f.signature.channelNumber as string;
    const cases: Array<[string, Record<string, string>]> = [
      ['E200028', { from: ch, to: '+8615100000001', templateId: f.verify.id, templateParas: '["12ab56"]' }],
      ['E200028', { from: ch, to: '+8615100000001', templateId: f.verify.id, templateParas: '["1","2"]' }],
      ['E200028', { from: ch, to: '+8615100000001', templateId: f.verify.id }],
      ['E200028', { from: ch, to: '+8615100000001', templateId: f.plain.id, templateParas: '["x"]' }],
      ['E200029', { from: ch, to: '+8615100000001', templateId: universal.id, signature: 'Notify' }],
      ['E200030', { from: ch, to: '+8615100000001', templateId: pending.id }],
      ['E200030', { from: ch, to: '+8615100000001', templateId: 'f'.repeat(32) }],
      [
        'E200031',
        { from: notifySig?.channelNumber as string, to: '+8615100000001', templateId: universal.id },
      ],
      [
        'E200031',
        {
          from: notifySig?.channelNumber as string,
          to: '+8615100000001',
          templateId: universal.id,
          signature: 'Nobody',
        },
      ],
      ['E200031', { from: ch, to: '+86123', templateId: f.plain.id }],
    ];
    for (const [code, fields] of cases) {
      const before = await messageCount(f.store);
      const res = await f.app.inject({
        method: 'POST',
        url: '/sms/batchSendSms/v1',
        headers: wsse(),
        payload: form(fields),
      });
      assert.equal(res.statusCode, 200);
      const json = JSON.parse(res.body);
      assert.equal(json.code, 'E000510', `${code}: ${res.body}`);
      assert.equal(json.result[0].status, code, `${JSON.stringify(fields)} → ${res.body}`);
      assert.equal(json.result[0].smsMsgId, '');
      assert.equal(await messageCount(f.store), before);
    }
    // The universal template with the right signature type is accepted through the Notify channel.
    const ok = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: wsse(),
      payload: form({
        from: notifySig?.channelNumber as string,
        to: '+8615100000001',
        templateId: universal.id,
        signature: 'Notify',
      }),
    });
    assert.equal(JSON.parse(ok.body).code, '000000', ok.body);
  });
});
