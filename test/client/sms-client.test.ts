import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { authenticateRequest } from '../../src/auth/authenticate.js';
import { NonceReplayGuard } from '../../src/auth/nonce-replay-guard.js';
import { SmsApiError, SmsNetworkError, SmsResponseError, SmsTimeoutError } from '../../src/client/errors.js';
import { describeCode, SmsClient } from '../../src/client/index.js';
import { API_CODES } from '../../src/domain/api-codes.js';

const APP = {
  appKey: 'c8RWg3ggEcyd4D3p94bf3Y7x1Ile',
  appSecret: 'q4Ii87BhST9vcs8wvrzN80SfD7Al',
  status: 'active' as const,
};

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  auth: Awaited<ReturnType<typeof authenticateRequest>>;
}

/**
 * A tiny MSGSMS server: authenticates with the real server-side `authenticateRequest`, records
 * every request, and answers with `reply(seen)` (default: success for each recipient).
 */
async function msgsmsServer(reply?: (s: Seen) => { status: number; body: string } | 'hang') {
  const seen: Seen[] = [];
  const replay = new NonceReplayGuard();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks);
    const [path, query] = (req.url ?? '/').split('?');
    const auth = await authenticateRequest(
      { method: req.method ?? '', path, query, headers: req.headers, rawBody },
      { findAppByKey: async (k) => (k === APP.appKey ? APP : undefined), replay },
    );
    const s: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: rawBody.toString(),
      auth,
    };
    seen.push(s);
    const out = reply ? reply(s) : undefined;
    if (out === 'hang') return;
    let status = 200;
    let body: string;
    if (out) ({ status, body } = out);
    else if (!auth.ok) {
      status = API_CODES[auth.code].http;
      body = JSON.stringify({ code: auth.code, description: API_CODES[auth.code].description });
    } else {
      body = JSON.stringify({
        code: '000000',
        description: 'Success',
        result: [
          {
            total: 1,
            originTo: '+8615123456789',
            createTime: '2024-02-28T08:11:56Z',
            from: 'csms12345678',
            smsMsgId: '072170bd-1630-4856-ad42-b361f7bc9aca_1',
            countryId: 'CN',
            status: '000000',
          },
        ],
      });
    }
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const SEND = {
  from: 'csms12345678',
  to: ['+8615123456789', '+8615200000002'],
  templateId: '8ff55eac1d0b478ab3c06c3c6a492300',
  templateParas: ['369751'],
};

describe('SmsClient against a server running authenticateRequest', () => {
  for (const auth of ['aksk', 'wsse'] as const) {
    for (const variant of [
      {},
      auth === 'aksk' ? { unsignedPayload: true } : { wsseDigest: 'raw' as const },
    ]) {
      it(`${auth} ${JSON.stringify(variant)}: both send APIs authenticate and parse`, async (t) => {
        const srv = await msgsmsServer();
        t.after(srv.close);
        const client = new SmsClient({
          endpoint: `http://127.0.0.1:${srv.port}`,
          appKey: APP.appKey,
          appSecret: APP.appSecret,
          auth,
          ...variant,
        });
        t.after(() => client.close());
        const r = await client.batchSendSms({
          ...SEND,
          statusCallback: 'https://example.com/report',
          extend: 'order-7',
        });
        assert.equal(r.code, '000000');
        assert.equal(r.result?.[0].smsMsgId, '072170bd-1630-4856-ad42-b361f7bc9aca_1');
        const d = await client.batchSendDiffSms({
          from: 'csms12345678',
          smsContent: [{ to: ['+8615123456789'], templateId: 't1', templateParas: ['1'] }],
        });
        assert.equal(d.code, '000000');
        assert.deepEqual(
          srv.seen.map((s) => s.auth),
          [
            { ok: true, appKey: APP.appKey, scheme: auth },
            { ok: true, appKey: APP.appKey, scheme: auth },
          ],
        );
        const [form, json] = srv.seen;
        assert.equal(form.url, '/sms/batchSendSms/v1');
        assert.equal(form.headers['content-type'], 'application/x-www-form-urlencoded');
        assert.equal(
          form.body,
          'from=csms12345678&to=%2B8615123456789%2C%2B8615200000002&templateId=8ff55eac1d0b478ab3c06c3c6a492300&templateParas=%5B%22369751%22%5D&statusCallback=https%3A%2F%2Fexample.com%2Freport&extend=order-7',
        );
        assert.equal(json.url, '/sms/batchSendDiffSms/v1');
        assert.equal(json.headers['content-type'], 'application/json');
        assert.deepEqual(JSON.parse(json.body), {
          from: 'csms12345678',
          smsContent: [{ to: ['+8615123456789'], templateId: 't1', templateParas: ['1'] }],
        });
        if (auth === 'aksk')
          assert.match(
            String(form.headers.authorization),
            /^SDK-HMAC-SHA256 Access=c8RWg3ggEcyd4D3p94bf3Y7x1Ile, SignedHeaders=content-type;host;/,
          );
        else
          assert.equal(form.headers.authorization, 'WSSE realm="SDP",profile="UsernameToken",type="Appkey"');
      });
    }
  }

  it('keeps an explicit port in Host (and signs it): the `:443` case', async (t) => {
    const srv = await msgsmsServer();
    t.after(srv.close);
    const client = new SmsClient({
      endpoint: `http://127.0.0.1:${srv.port}/`,
      appKey: APP.appKey,
      appSecret: APP.appSecret,
    });
    t.after(() => client.close());
    await client.batchSendSms({ ...SEND, to: '+8615123456789' });
    assert.equal(srv.seen[0].headers.host, `127.0.0.1:${srv.port}`);
    assert.equal(srv.seen[0].auth.ok, true);
  });

  it('a wrong secret maps to SmsApiError with the catalogue suggestion, sent once', async (t) => {
    const srv = await msgsmsServer();
    t.after(srv.close);
    for (const auth of ['aksk', 'wsse'] as const) {
      const client = new SmsClient({
        endpoint: `http://127.0.0.1:${srv.port}`,
        appKey: APP.appKey,
        appSecret: 'wrong',
        auth,
      });
      t.after(() => client.close());
      const err = await client.batchSendSms(SEND).catch((e: unknown) => e);
      assert.ok(err instanceof SmsApiError);
      const code = auth === 'aksk' ? 'E000045' : 'E000105';
      assert.equal(err.code, code);
      assert.equal(err.httpStatus, API_CODES[code].http);
      assert.equal(err.suggestion, API_CODES[code].suggestion);
      assert.equal(err.description, API_CODES[code].description);
    }
    assert.equal(srv.seen.length, 2);
  });

  it('returns E000510 (partial failure) instead of throwing', async (t) => {
    const body = JSON.stringify({
      result: [
        {
          originTo: '+8615100000001',
          createTime: '2024-02-28T08:11:56Z',
          from: 'csms12345678',
          smsMsgId: 'x_1',
          status: '000000',
        },
        {
          originTo: '+8615100000001',
          createTime: '2024-02-28T08:11:56Z',
          from: 'csms12345678',
          smsMsgId: '',
          status: 'E200041',
        },
      ],
      code: 'E000510',
      description: 'The SMS fails to be sent. For details, see status.',
    });
    const srv = await msgsmsServer(() => ({ status: 200, body }));
    t.after(srv.close);
    const client = new SmsClient({
      endpoint: `http://127.0.0.1:${srv.port}`,
      appKey: APP.appKey,
      appSecret: APP.appSecret,
    });
    t.after(() => client.close());
    const r = await client.batchSendSms(SEND);
    assert.equal(r.code, 'E000510');
    assert.deepEqual(
      r.result?.map((x) => x.status),
      ['000000', 'E200041'],
    );
  });

  it('maps an API gateway body and rejects a non-MSGSMS body', async (t) => {
    let n = 0;
    const srv = await msgsmsServer(() =>
      n++ === 0
        ? {
            status: 401,
            body: '{"error_msg":"Incorrect IAM authentication information","error_code":"APIG.0301","request_id":"x"}',
          }
        : { status: 502, body: '<html>Bad Gateway</html>' },
    );
    t.after(srv.close);
    const client = new SmsClient({
      endpoint: `http://127.0.0.1:${srv.port}`,
      appKey: APP.appKey,
      appSecret: APP.appSecret,
    });
    t.after(() => client.close());
    const a = await client.batchSendSms(SEND).catch((e: unknown) => e);
    assert.ok(a instanceof SmsApiError);
    assert.equal(a.code, 'APIG.0301');
    assert.equal(a.httpStatus, 401);
    assert.equal(a.suggestion, '');
    const b = await client.batchSendSms(SEND).catch((e: unknown) => e);
    assert.ok(b instanceof SmsResponseError);
    assert.equal(b.httpStatus, 502);
    assert.equal(srv.seen.length, 2, 'no retries after the body was sent');
  });

  it('times out with SmsTimeoutError and does not retry a request the server received', async (t) => {
    const srv = await msgsmsServer(() => 'hang');
    t.after(srv.close);
    const client = new SmsClient({
      endpoint: `http://127.0.0.1:${srv.port}`,
      appKey: APP.appKey,
      appSecret: APP.appSecret,
      timeoutMs: 300,
      retries: 3,
    });
    t.after(() => client.close());
    const err = await client.batchSendSms(SEND).catch((e: unknown) => e);
    assert.ok(err instanceof SmsTimeoutError);
    assert.equal(err.code, 'SMS_TIMEOUT');
    assert.equal(srv.seen.length, 1);
  });

  it('does not retry when the server drops the connection after receiving the body', async (t) => {
    let count = 0;
    const server = http.createServer((req) => {
      count++;
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    const client = new SmsClient({
      endpoint: `http://127.0.0.1:${port}`,
      appKey: APP.appKey,
      appSecret: APP.appSecret,
      retries: 3,
      retryDelayMs: 1,
    });
    t.after(() => client.close());
    const err = await client.batchSendSms(SEND).catch((e: unknown) => e);
    assert.ok(err instanceof SmsNetworkError);
    assert.equal(err.mayHaveBeenSent, true);
    assert.equal(count, 1);
  });

  it('retries a refused connection `retries` times, then reports it as safe to resend', async () => {
    // Grab a free port, then close it so connecting is refused.
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    let attempts = 0;
    const { default: net } = await import('node:net');
    const origConnect = net.Socket.prototype.connect;
    // Count connection attempts without altering them.
    net.Socket.prototype.connect = function (this: InstanceType<typeof net.Socket>, ...args: unknown[]) {
      attempts++;
      return (origConnect as (...a: unknown[]) => InstanceType<typeof net.Socket>).apply(this, args);
    } as typeof origConnect;
    try {
      const client = new SmsClient({
        endpoint: `http://127.0.0.1:${port}`,
        appKey: APP.appKey,
        appSecret: APP.appSecret,
        retries: 2,
        retryDelayMs: 1,
      });
      const err = await client.batchSendSms(SEND).catch((e: unknown) => e);
      client.close();
      assert.ok(err instanceof SmsNetworkError);
      assert.equal(err.errno, 'ECONNREFUSED');
      assert.equal(err.mayHaveBeenSent, false);
      assert.equal(attempts, 3);
    } finally {
      net.Socket.prototype.connect = origConnect;
    }
  });

  it('validates options at construction', () => {
    assert.throws(() => new SmsClient({ endpoint: 'ftp://x', appKey: 'a', appSecret: 'b' }), TypeError);
    assert.throws(() => new SmsClient({ endpoint: 'not a url', appKey: 'a', appSecret: 'b' }), TypeError);
    assert.throws(() => new SmsClient({ endpoint: 'http://x', appKey: '', appSecret: 'b' }), TypeError);
  });
});

describe('describeCode', () => {
  it('looks up API codes first, then status codes', () => {
    assert.equal(describeCode('E000102'), API_CODES.E000102);
    const d = describeCode('DELIVRD');
    assert.ok('success' in d && d.success);
    assert.equal(describeCode('XYZ:1').code, 'XYZ:1');
  });
});

describe('parseEndpoint', () => {
  it('keeps `:443` in Host as written, and omits it when not written', async () => {
    const { parseEndpoint } = await import('../../src/client/sms-client.js');
    assert.deepEqual(parseEndpoint('https://smsapi.cn-north-4.myhuaweicloud.com:443'), {
      secure: true,
      hostname: 'smsapi.cn-north-4.myhuaweicloud.com',
      port: 443,
      host: 'smsapi.cn-north-4.myhuaweicloud.com:443',
      basePath: '',
    });
    assert.equal(
      parseEndpoint('https://smsapi.cn-north-4.myhuaweicloud.com').host,
      'smsapi.cn-north-4.myhuaweicloud.com',
    );
    assert.deepEqual(parseEndpoint('http://user:pw@[::1]:8080/prefix/'), {
      secure: false,
      hostname: '::1',
      port: 8080,
      host: '[::1]:8080',
      basePath: '/prefix',
    });
  });
});
