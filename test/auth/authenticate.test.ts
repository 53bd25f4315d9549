import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signAkSk } from '../../src/auth/aksk.js';
import {
  type AppCredentials,
  authenticateRequest,
  WSSE_CLOCK_WINDOW_MS,
} from '../../src/auth/authenticate.js';
import { NonceReplayGuard } from '../../src/auth/nonce-replay-guard.js';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import { formatHuaweiTime } from '../../src/domain/time.js';

const APPS: AppCredentials[] = [
  { appKey: 'activeKey', appSecret: 'activeSecret', status: 'active' },
  { appKey: 'frozenKey', appSecret: 'frozenSecret', status: 'frozen' },
];
const NOW = Date.UTC(2024, 1, 28, 8, 11, 51);
const PATH = '/sms/batchSendSms/v1';
const BODY = Buffer.from('from=csms1&to=%2B8615123456789&templateId=t');

function deps(now = NOW, replay = new NonceReplayGuard()) {
  return { findAppByKey: async (k: string) => APPS.find((a) => a.appKey === k), replay, now };
}

function wsseReq(
  appKey: string,
  secret: string,
  opts: { nonce?: string; created?: string; digest?: 'hex' | 'raw' } = {},
) {
  const h = buildWsseHeaders(appKey, secret, { created: formatHuaweiTime(NOW), ...opts });
  return {
    method: 'POST',
    path: PATH,
    headers: { authorization: h.Authorization, 'x-wsse': h['X-WSSE'], host: 'localhost' },
    rawBody: BODY,
  };
}

function akskReq(appKey: string, secret: string, date = new Date(NOW), host = 'localhost:443') {
  const base = { 'content-type': 'application/x-www-form-urlencoded', host };
  const added = signAkSk({
    method: 'POST',
    path: PATH,
    headers: base,
    body: BODY,
    appKey,
    appSecret: secret,
    date,
  });
  const headers: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(added)) headers[k.toLowerCase()] = v;
  return { method: 'POST', path: PATH, headers, rawBody: BODY };
}

describe('authenticateRequest — dispatch', () => {
  it('E000001 without Authorization, E000008 for an unknown scheme', async () => {
    assert.deepEqual(
      await authenticateRequest({ method: 'POST', path: PATH, headers: {}, rawBody: BODY }, deps()),
      { ok: false, code: 'E000001' },
    );
    assert.deepEqual(
      await authenticateRequest(
        { method: 'POST', path: PATH, headers: { authorization: 'Bearer x' }, rawBody: BODY },
        deps(),
      ),
      { ok: false, code: 'E000008' },
    );
  });
});

describe('authenticateRequest — X-WSSE', () => {
  it('accepts both digest forms', async () => {
    for (const digest of ['hex', 'raw'] as const) {
      assert.deepEqual(await authenticateRequest(wsseReq('activeKey', 'activeSecret', { digest }), deps()), {
        ok: true,
        appKey: 'activeKey',
        scheme: 'wsse',
      });
    }
  });

  it('passes Authorization/X-WSSE format codes through', async () => {
    const r = wsseReq('activeKey', 'activeSecret');
    const a = await authenticateRequest(
      { ...r, headers: { ...r.headers, authorization: 'WSSE realm="SDP"' } },
      deps(),
    );
    assert.deepEqual(a, { ok: false, code: 'E000003' });
    const b = await authenticateRequest({ ...r, headers: { ...r.headers, 'x-wsse': undefined } }, deps());
    assert.deepEqual(b, { ok: false, code: 'E000020' });
  });

  it('E000102 for an unknown app_key, E000105 for a wrong secret', async () => {
    assert.deepEqual(await authenticateRequest(wsseReq('nobody', 'activeSecret'), deps()), {
      ok: false,
      code: 'E000102',
    });
    assert.deepEqual(await authenticateRequest(wsseReq('activeKey', 'wrong'), deps()), {
      ok: false,
      code: 'E000105',
    });
  });

  it('E000110 outside ±24 h; the edges are accepted', async () => {
    const r = wsseReq('activeKey', 'activeSecret');
    assert.equal((await authenticateRequest(r, deps(NOW + WSSE_CLOCK_WINDOW_MS))).ok, true);
    assert.equal(
      (await authenticateRequest(wsseReq('activeKey', 'activeSecret'), deps(NOW - WSSE_CLOCK_WINDOW_MS))).ok,
      true,
    );
    assert.deepEqual(
      await authenticateRequest(
        wsseReq('activeKey', 'activeSecret'),
        deps(NOW + WSSE_CLOCK_WINDOW_MS + 1000),
      ),
      { ok: false, code: 'E000110' },
    );
    assert.deepEqual(
      await authenticateRequest(
        wsseReq('activeKey', 'activeSecret'),
        deps(NOW - WSSE_CLOCK_WINDOW_MS - 1000),
      ),
      { ok: false, code: 'E000110' },
    );
  });

  it('E000101 for a replayed (app_key, Nonce, Created); a new nonce passes', async () => {
    const d = deps();
    const r = wsseReq('activeKey', 'activeSecret', { nonce: 'abc123' });
    assert.equal((await authenticateRequest(r, d)).ok, true);
    assert.deepEqual(await authenticateRequest(r, d), { ok: false, code: 'E000101' });
    assert.equal(
      (await authenticateRequest(wsseReq('activeKey', 'activeSecret', { nonce: 'abc124' }), d)).ok,
      true,
    );
  });

  it('a failed digest does not burn the nonce', async () => {
    const d = deps();
    assert.deepEqual(await authenticateRequest(wsseReq('activeKey', 'wrong', { nonce: 'n1' }), d), {
      ok: false,
      code: 'E000105',
    });
    assert.equal(
      (await authenticateRequest(wsseReq('activeKey', 'activeSecret', { nonce: 'n1' }), d)).ok,
      true,
    );
  });

  it('E000112 for a frozen app with valid credentials', async () => {
    assert.deepEqual(await authenticateRequest(wsseReq('frozenKey', 'frozenSecret'), deps()), {
      ok: false,
      code: 'E000112',
    });
  });
});

describe('authenticateRequest — AK/SK', () => {
  it('accepts a valid signature (Host with :443)', async () => {
    assert.deepEqual(await authenticateRequest(akskReq('activeKey', 'activeSecret'), deps()), {
      ok: true,
      appKey: 'activeKey',
      scheme: 'aksk',
    });
  });
  it('E000043 for a malformed header, E000102 for an unknown Access', async () => {
    const r = akskReq('activeKey', 'activeSecret');
    assert.deepEqual(
      await authenticateRequest(
        { ...r, headers: { ...r.headers, authorization: 'SDK-HMAC-SHA256 Access=x' } },
        deps(),
      ),
      { ok: false, code: 'E000043' },
    );
    assert.deepEqual(await authenticateRequest(akskReq('nobody', 'x'), deps()), {
      ok: false,
      code: 'E000102',
    });
  });
  it('E000044 / E000045 / E000041 pass through', async () => {
    assert.deepEqual(
      await authenticateRequest(akskReq('activeKey', 'activeSecret', new Date(NOW - 16 * 60_000)), deps()),
      { ok: false, code: 'E000044' },
    );
    assert.deepEqual(await authenticateRequest(akskReq('activeKey', 'wrong'), deps()), {
      ok: false,
      code: 'E000045',
    });
    const r = akskReq('activeKey', 'activeSecret');
    assert.deepEqual(
      await authenticateRequest({ ...r, headers: { ...r.headers, 'x-sdk-date': undefined } }, deps()),
      { ok: false, code: 'E000041' },
    );
  });
  it('E000112 for a frozen app with a valid signature', async () => {
    assert.deepEqual(await authenticateRequest(akskReq('frozenKey', 'frozenSecret'), deps()), {
      ok: false,
      code: 'E000112',
    });
  });
});
