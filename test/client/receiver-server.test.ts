import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { signAkSk } from '../../src/auth/aksk.js';
import { createReceiver } from '../../src/client/create-receiver.js';
import {
  expressReceiver,
  fastifyReceiver,
  fastifyReceiverHandler,
} from '../../src/client/framework-receivers.js';
import type { ReceiverOptions } from '../../src/client/push-handler.js';
import type { StatusReport } from '../../src/client/status-report.js';
import type { UplinkMessage } from '../../src/client/uplink-message.js';

const OFFICIAL =
  'sequence=1&total=1&orgCode=000&updateTime=2018-04-13T06%3A31%3A46Z&source=2&smsMsgId=b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6&status=DELIVRD';
const UPLINK =
  'from=%2B86155****5172&to=201804131431201234&body=********&smsMsgId=9692b5be-c427-4525-8e73-cf4a6ac5b3f7';
const BATCH = JSON.stringify({
  statusReportList: [
    { smsMsgId: 'a_1', status: 'DELIVRD' },
    { smsMsgId: 'b_2', status: 'UNDELIV' },
  ],
});
const FORM = 'application/x-www-form-urlencoded';
const VERIFY = { appKey: 'exampleAk', appSecret: 'exampleSk' };

function collector(extra: Partial<ReceiverOptions> = {}) {
  const reports: StatusReport[] = [];
  const uplinks: UplinkMessage[] = [];
  const opts: ReceiverOptions = {
    onStatusReport: (r) => void reports.push(r),
    onUplink: (m) => void uplinks.push(m),
    ...extra,
  };
  return { reports, uplinks, opts };
}

async function listen(handler: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Posts raw bytes over a real socket with exactly the given headers; returns status and body. */
function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Headers a push-signing platform would send (signs connection;content-length;content-type;host;x-sdk-date like Huawei). */
function signedHeaders(
  port: number,
  path: string,
  body: string,
  contentType = FORM,
  secret = VERIFY.appSecret,
) {
  const base: Record<string, string> = {
    Connection: 'close',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': contentType,
    Host: `127.0.0.1:${port}`,
  };
  return {
    ...base,
    ...signAkSk({ method: 'POST', path, headers: base, body, appKey: VERIFY.appKey, appSecret: secret }),
  };
}

describe('createReceiver over a real socket', () => {
  it('handles a status report, an uplink and a batch; answers 200 JSON', async (t) => {
    const c = collector();
    const srv = await listen(createReceiver(c.opts));
    t.after(srv.close);
    const r1 = await post(srv.port, '/report', { 'Content-Type': FORM }, OFFICIAL);
    assert.equal(r1.status, 200);
    assert.deepEqual(JSON.parse(r1.body), { code: '000000', description: 'Success' });
    assert.equal((await post(srv.port, '/up', { 'Content-Type': FORM }, UPLINK)).status, 200);
    assert.equal((await post(srv.port, '/batch', { 'Content-Type': 'application/json' }, BATCH)).status, 200);
    assert.deepEqual(
      c.reports.map((r) => [r.smsMsgId, r.delivered]),
      [
        ['b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6', true],
        ['a_1', true],
        ['b_2', false],
      ],
    );
    assert.equal(c.uplinks.length, 1);
    assert.equal(c.uplinks[0].from, '+86155****5172');
  });

  it('400 on an unparseable push, 413 over the limit, 500 when the handler throws', async (t) => {
    const srv = await listen(
      createReceiver({
        maxBodyBytes: 64,
        onStatusReport: () => {
          throw new Error('db down');
        },
      }),
    );
    t.after(srv.close);
    assert.equal((await post(srv.port, '/', { 'Content-Type': FORM }, 'hello=world')).status, 400);
    assert.equal((await post(srv.port, '/', { 'Content-Type': 'application/json' }, '{"x":1}')).status, 400);
    assert.equal((await post(srv.port, '/', { 'Content-Type': FORM }, OFFICIAL)).status, 413);
    assert.equal(
      (await post(srv.port, '/', { 'Content-Type': FORM }, 'smsMsgId=a_1&status=DELIVRD')).status,
      500,
    );
  });

  it('with verify: a signed push passes; tampered, unsigned, wrong key or wrong secret get 401', async (t) => {
    const c = collector({ verify: VERIFY });
    const srv = await listen(createReceiver(c.opts));
    t.after(srv.close);
    const ok = await post(srv.port, '/report', signedHeaders(srv.port, '/report', OFFICIAL), OFFICIAL);
    assert.equal(ok.status, 200);
    const okBatch = await post(
      srv.port,
      '/b?x=1',
      signedHeaders(srv.port, '/b', BATCH, 'application/json'),
      BATCH,
    );
    assert.equal(okBatch.status, 401, 'query is part of the signature');
    const okBatch2 = await post(
      srv.port,
      '/b',
      signedHeaders(srv.port, '/b', BATCH, 'application/json'),
      BATCH,
    );
    assert.equal(okBatch2.status, 200);
    assert.equal(c.reports.length, 3);

    const tampered = OFFICIAL.replace('DELIVRD', 'UNDELIV');
    assert.equal(
      (await post(srv.port, '/report', signedHeaders(srv.port, '/report', OFFICIAL), tampered)).status,
      401,
    );
    assert.equal((await post(srv.port, '/report', { 'Content-Type': FORM }, OFFICIAL)).status, 401);
    assert.equal(
      (await post(srv.port, '/report', signedHeaders(srv.port, '/report', OFFICIAL, FORM, 'wrong'), OFFICIAL))
        .status,
      401,
    );
    const wrongKey = signedHeaders(srv.port, '/report', OFFICIAL);
    wrongKey.Authorization = wrongKey.Authorization.replace('Access=exampleAk', 'Access=otherAk');
    const res = await post(srv.port, '/report', wrongKey, OFFICIAL);
    assert.equal(res.status, 401);
    assert.equal(c.reports.length, 3, 'no rejected push reached the handler');
  });
});

describe('fastifyReceiver', () => {
  it('works beside formbody/JSON parsers and verifies raw bytes', async (t) => {
    const app = Fastify();
    t.after(() => app.close());
    await app.register(formbody);
    const c = collector({ verify: VERIFY });
    await app.register(fastifyReceiver({ ...c.opts, path: '/report' }), { prefix: '/sms' });
    app.post('/other', async (req) => req.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    assert.equal(
      (await post(port, '/sms/report', signedHeaders(port, '/sms/report', OFFICIAL), OFFICIAL)).status,
      200,
    );
    assert.equal(
      (await post(port, '/sms/report', signedHeaders(port, '/sms/report', UPLINK), UPLINK)).status,
      200,
    );
    assert.equal(
      (await post(port, '/sms/report', signedHeaders(port, '/sms/report', BATCH, 'application/json'), BATCH))
        .status,
      200,
    );
    assert.equal((await post(port, '/sms/report', { 'Content-Type': FORM }, OFFICIAL)).status, 401);
    assert.equal(c.reports.length, 3);
    assert.equal(c.uplinks.length, 1);
    // The rest of the app still parses forms normally.
    const other = await post(port, '/other', { 'Content-Type': FORM }, 'a=1');
    assert.deepEqual(JSON.parse(other.body), { a: '1' });
  });

  it('fastifyReceiverHandler uses an already parsed body (no verify)', async (t) => {
    const app = Fastify();
    t.after(() => app.close());
    await app.register(formbody);
    const c = collector();
    app.post('/report', fastifyReceiverHandler(c.opts));
    for (const [ct, body] of [
      [FORM, OFFICIAL],
      [FORM, UPLINK],
      ['application/json', BATCH],
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/report',
        headers: { 'content-type': ct },
        payload: body,
      });
      assert.equal(res.statusCode, 200, body);
    }
    assert.equal(c.reports.length, 3);
    assert.equal(c.uplinks.length, 1);
  });
});

describe('expressReceiver (express-style (req, res, next) over node:http)', () => {
  it('reads the stream itself, verifying the signature', async (t) => {
    const c = collector({ verify: VERIFY });
    const mw = expressReceiver(c.opts);
    const errors: unknown[] = [];
    const srv = await listen((req, res) => mw(req, res, (e) => errors.push(e)));
    t.after(srv.close);
    assert.equal((await post(srv.port, '/r', signedHeaders(srv.port, '/r', OFFICIAL), OFFICIAL)).status, 200);
    assert.equal((await post(srv.port, '/r', { 'Content-Type': FORM }, OFFICIAL)).status, 401);
    assert.equal(c.reports.length, 1);
    assert.deepEqual(errors, []);
  });

  it('uses req.body set by an earlier body parser (object without verify, Buffer with verify)', async (t) => {
    const plain = collector();
    const verified = collector({ verify: VERIFY });
    const mwPlain = expressReceiver(plain.opts);
    const mwVerified = expressReceiver(verified.opts);
    const srv = await listen(async (req, res) => {
      // Simulate express.urlencoded()/express.raw(): consume the stream and set req.body.
      const chunks: Buffer[] = [];
      for await (const ch of req) chunks.push(ch as Buffer);
      const raw = Buffer.concat(chunks);
      const r = req as http.IncomingMessage & { body?: unknown };
      if (req.url === '/parsed') {
        r.body = Object.fromEntries(new URLSearchParams(raw.toString()));
        mwPlain(r, res, () => {});
      } else {
        r.body = raw;
        mwVerified(r, res, () => {});
      }
    });
    t.after(srv.close);
    assert.equal((await post(srv.port, '/parsed', { 'Content-Type': FORM }, OFFICIAL)).status, 200);
    assert.equal(plain.reports[0].smsMsgId, 'b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6');
    assert.equal((await post(srv.port, '/raw', signedHeaders(srv.port, '/raw', UPLINK), UPLINK)).status, 200);
    assert.equal(verified.uplinks.length, 1);
  });
});
