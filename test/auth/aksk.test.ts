import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  parseSdkAuthorization,
  type SdkAuthorization,
  signAkSk,
  stringToSign,
  verifyAkSk,
} from '../../src/auth/aksk.js';

// Spec §4.2 test vector.
const AK = 'c8RWg3ggEcyd4D3p94bf3Y7x1Ile';
const SK = 'q4Ii87BhST9vcs8wvrzN80SfD7Al';
const HOST = 'smsapi.cn-north-4.myhuaweicloud.com';
const PATH = '/sms/batchSendSms/v1';
const DATE = new Date(Date.UTC(2024, 1, 28, 8, 11, 51));
const NOW = DATE.getTime();
const BODY =
  'from=csms12345678&to=%2B8615123456789&templateId=8ff55eac1d0b478ab3c06c3c6a492300&templateParas=%5B%22369751%22%5D';
const CT = 'application/x-www-form-urlencoded';
const SIG_A = '26d3e5a6c3e0d61c71bcbc63081b46941ad0af59859efb66b45dfb9e937c4794';
const SIG_B = '4efcdc7cc576a5de71d2f0a9bdabe5d56e8fe986a6ac4e1aac7948e6d3c325b4';

/** Node-style lower-cased header map for a request signed with `added`. */
function received(added: Record<string, string>, host = HOST): Record<string, string> {
  const h: Record<string, string> = { 'content-type': CT, host, 'content-length': String(BODY.length) };
  for (const [k, v] of Object.entries(added)) h[k.toLowerCase()] = v;
  return h;
}

function parsed(header: string): SdkAuthorization {
  const a = parseSdkAuthorization(header);
  assert.ok(a.ok, header);
  return a;
}

describe('AK/SK signing — spec §4.2 vectors', () => {
  it('(a) body hashed: canonical request, string to sign, signature', () => {
    const payloadHash = createHash('sha256').update(BODY).digest('hex');
    assert.equal(payloadHash, '5fd522d5d92074b046cb5c84fa128d01d7ac9468d33f7b40e849ea73a1e59c11');
    const cr = canonicalRequest({
      method: 'POST',
      path: PATH,
      headers: { 'content-type': CT, host: HOST, 'x-sdk-date': '20240228T081151Z' },
      signedHeaders: ['x-sdk-date', 'host', 'content-type'],
      payloadHash,
    });
    assert.equal(
      cr,
      `POST\n/sms/batchSendSms/v1/\n\ncontent-type:${CT}\nhost:${HOST}\nx-sdk-date:20240228T081151Z\n\ncontent-type;host;x-sdk-date\n${payloadHash}`,
    );
    assert.equal(
      stringToSign('20240228T081151Z', cr),
      'SDK-HMAC-SHA256\n20240228T081151Z\n0a1d023e07071b59b7c8e20e7125d363befa7dfa78fd6621613cdb9723c572de',
    );
    const added = signAkSk({
      method: 'POST',
      path: PATH,
      headers: { 'Content-Type': CT, Host: HOST },
      body: BODY,
      appKey: AK,
      appSecret: SK,
      date: DATE,
    });
    assert.deepEqual(added, {
      'X-Sdk-Date': '20240228T081151Z',
      Authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=${SIG_A}`,
    });
  });

  it('(b) UNSIGNED-PAYLOAD (Node/Python SDK style)', () => {
    const added = signAkSk({
      method: 'POST',
      path: PATH,
      headers: { 'Content-Type': CT, Host: HOST },
      body: BODY,
      appKey: AK,
      appSecret: SK,
      date: DATE,
      unsignedPayload: true,
    });
    assert.equal(added['X-Sdk-Content-Sha256'], 'UNSIGNED-PAYLOAD');
    assert.equal(
      added.Authorization,
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-sdk-content-sha256;x-sdk-date, Signature=${SIG_B}`,
    );
  });

  it('server verifies both vectors from received headers', () => {
    for (const sig of [SIG_A, SIG_B]) {
      const unsigned = sig === SIG_B;
      const headers = received({
        'x-sdk-date': '20240228T081151Z',
        ...(unsigned ? { 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' } : {}),
      });
      const names = unsigned
        ? 'content-type;host;x-sdk-content-sha256;x-sdk-date'
        : 'content-type;host;x-sdk-date';
      const auth = parsed(`SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${names}, Signature=${sig}`);
      assert.deepEqual(
        verifyAkSk({
          method: 'POST',
          path: PATH,
          headers,
          rawBody: Buffer.from(BODY),
          secret: SK,
          auth,
          now: NOW,
        }),
        { ok: true },
      );
    }
  });
});

describe('canonical pieces', () => {
  it('URI always ends with / and segments are re-encoded', () => {
    assert.equal(canonicalUri('/sms/batchSendSms/v1'), '/sms/batchSendSms/v1/');
    assert.equal(canonicalUri('/sms/batchSendSms/v1/'), '/sms/batchSendSms/v1/');
    assert.equal(canonicalUri('/'), '/');
    assert.equal(canonicalUri('/a b/%7Ex'), '/a%20b/~x/');
  });
  it('query is sorted and re-encoded', () => {
    assert.equal(canonicalQuery(''), '');
    assert.equal(canonicalQuery('b=2&a=1&a=0&c'), 'a=0&a=1&b=2&c=');
  });
});

describe('parseSdkAuthorization', () => {
  it('accepts no quotes, quotes, no spaces, and `Access= key` (push example)', () => {
    const variants = [
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=${SIG_A}`,
      `SDK-HMAC-SHA256 Access="${AK}", SignedHeaders="content-type;host;x-sdk-date", Signature="${SIG_A}"`,
      `SDK-HMAC-SHA256 Access=${AK},SignedHeaders=content-type;host;x-sdk-date,Signature=${SIG_A}`,
      `SDK-HMAC-SHA256 Access= ${AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=${SIG_A}`,
    ];
    for (const v of variants) {
      assert.deepEqual(
        parseSdkAuthorization(v),
        { ok: true, access: AK, signedHeaders: ['content-type', 'host', 'x-sdk-date'], signature: SIG_A },
        v,
      );
    }
    const official = parseSdkAuthorization(
      'SDK-HMAC-SHA256 Access=exampleAk,SignedHeaders=connection;content-length;content-type;host;x-sdk-date,Signature=765a365f3851fd1c96011a82b893266fb7b3e79b3002526c43199c97e61bb88b',
    );
    assert.ok(official.ok);
    assert.deepEqual(official.signedHeaders, [
      'connection',
      'content-length',
      'content-type',
      'host',
      'x-sdk-date',
    ]);
  });
  for (const bad of [
    undefined,
    '',
    'SDK-HMAC-SHA1 Access=a, SignedHeaders=x-sdk-date, Signature=ab',
    'SDK-HMAC-SHA256 SignedHeaders=x-sdk-date, Signature=ab',
    'SDK-HMAC-SHA256 Access=a, Signature=ab',
    'SDK-HMAC-SHA256 Access=a, SignedHeaders=x-sdk-date',
    'SDK-HMAC-SHA256 Access=a, SignedHeaders=x-sdk-date, Signature=zz',
    'SDK-HMAC-SHA256 Access=a, SignedHeaders=host;;x-sdk-date, Signature=ab',
    'SDK-HMAC-SHA256 Access="a, SignedHeaders=x-sdk-date, Signature=ab',
  ]) {
    it(`${JSON.stringify(bad)} → E000043`, () =>
      assert.deepEqual(parseSdkAuthorization(bad), { ok: false, code: 'E000043' }));
  }
});

describe('verifyAkSk', () => {
  const sign = (host = HOST, date = DATE) =>
    signAkSk({
      method: 'POST',
      path: PATH,
      headers: { 'Content-Type': CT, Host: host },
      body: BODY,
      appKey: AK,
      appSecret: SK,
      date,
    });
  const verify = (
    headers: Record<string, string | undefined>,
    auth: SdkAuthorization,
    over: { now?: number; body?: string; path?: string } = {},
  ) =>
    verifyAkSk({
      method: 'POST',
      path: over.path ?? PATH,
      headers,
      rawBody: Buffer.from(over.body ?? BODY),
      secret: SK,
      auth,
      now: over.now ?? NOW,
    });

  it('signs and verifies Host with :443 verbatim; the host without port fails', () => {
    const added = sign(`${HOST}:443`);
    const auth = parsed(added.Authorization);
    assert.deepEqual(verify(received(added, `${HOST}:443`), auth), { ok: true });
    assert.deepEqual(verify(received(added, HOST), auth), { ok: false, code: 'E000045' });
  });

  it('E000041 when X-Sdk-Date is missing or empty', () => {
    const added = sign();
    const auth = parsed(added.Authorization);
    const h = received(added);
    assert.deepEqual(verify({ ...h, 'x-sdk-date': undefined }, auth), { ok: false, code: 'E000041' });
    assert.deepEqual(verify({ ...h, 'x-sdk-date': ' ' }, auth), { ok: false, code: 'E000041' });
  });

  it('E000042 when X-Sdk-Date is malformed', () => {
    const added = sign();
    const auth = parsed(added.Authorization);
    for (const d of ['2024-02-28T08:11:51Z', '20240228T081151', '20240230T081151Z', '20240228T241151Z']) {
      assert.deepEqual(
        verify({ ...received(added), 'x-sdk-date': d }, auth),
        { ok: false, code: 'E000042' },
        d,
      );
    }
  });

  it('E000043 when x-sdk-date is not signed (any other SignedHeaders set is fine)', () => {
    const onlyDate = signAkSk({
      method: 'POST',
      path: PATH,
      headers: { 'Content-Type': CT, Host: HOST },
      body: BODY,
      appKey: AK,
      appSecret: SK,
      date: DATE,
      signedHeaders: ['content-type'],
    });
    assert.match(onlyDate.Authorization, /SignedHeaders=content-type;x-sdk-date,/);
    assert.deepEqual(verify(received(onlyDate), parsed(onlyDate.Authorization)), { ok: true });
    const auth = { ...parsed(onlyDate.Authorization), signedHeaders: ['content-type'] };
    assert.deepEqual(verify(received(onlyDate), auth), { ok: false, code: 'E000043' });
  });

  it('E000044 outside ±15 min; the edges are inclusive', () => {
    const added = sign();
    const auth = parsed(added.Authorization);
    const h = received(added);
    const W = 15 * 60 * 1000;
    assert.deepEqual(verify(h, auth, { now: NOW + W }), { ok: true });
    assert.deepEqual(verify(h, auth, { now: NOW - W }), { ok: true });
    assert.deepEqual(verify(h, auth, { now: NOW + W + 1 }), { ok: false, code: 'E000044' });
    assert.deepEqual(verify(h, auth, { now: NOW - W - 1 }), { ok: false, code: 'E000044' });
  });

  it('E000045 on a tampered body, path, header, or wrong secret', () => {
    const added = sign();
    const auth = parsed(added.Authorization);
    assert.deepEqual(verify(received(added), auth, { body: BODY.replace('369751', '369752') }), {
      ok: false,
      code: 'E000045',
    });
    assert.deepEqual(verify(received(added), auth, { path: '/sms/batchSendDiffSms/v1' }), {
      ok: false,
      code: 'E000045',
    });
    assert.deepEqual(verify({ ...received(added), 'content-type': 'application/json' }, auth), {
      ok: false,
      code: 'E000045',
    });
    assert.deepEqual(
      verifyAkSk({
        method: 'POST',
        path: PATH,
        headers: received(added),
        rawBody: Buffer.from(BODY),
        secret: 'x',
        auth,
        now: NOW,
      }),
      { ok: false, code: 'E000045' },
    );
  });

  it('uses X-Sdk-Content-Sha256 literally: UNSIGNED-PAYLOAD lets the body vary, as Huawei does', () => {
    const added = signAkSk({
      method: 'POST',
      path: PATH,
      headers: { 'Content-Type': CT, Host: HOST },
      body: BODY,
      appKey: AK,
      appSecret: SK,
      date: DATE,
      unsignedPayload: true,
    });
    assert.deepEqual(verify(received(added), parsed(added.Authorization), { body: 'anything' }), {
      ok: true,
    });
  });

  it('accepts an upper-case signature hex', () => {
    const added = sign();
    const auth = parsed(
      added.Authorization.replace(/Signature=(\w+)/, (_, s: string) => `Signature=${s.toUpperCase()}`),
    );
    assert.deepEqual(verify(received(added), auth), { ok: true });
  });
});
