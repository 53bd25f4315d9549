import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PushSender } from '../../src/webhooks/push-sender.js';
import { type Receiver, startReceiver } from './helpers/receiver.js';

describe('PushSender against a real HTTP receiver', () => {
  let rx: Receiver;
  let sender: PushSender;
  before(async () => {
    rx = await startReceiver();
    sender = new PushSender({ timeoutMs: 500, allowPrivate: false, allowLoopback: true });
  });
  after(async () => {
    await sender.close();
    await rx.close();
  });

  it('posts the body with the content type and host, and reports the status', async () => {
    rx.respond = () => 204;
    const r = await sender.send({
      url: rx.url('/cb?x=1'),
      contentType: 'application/x-www-form-urlencoded',
      body: 'a=1&b=2',
    });
    assert.equal(r.httpStatus, 204);
    assert.equal(r.error, null);
    assert.equal(r.permanent, false);
    const got = rx.received.at(-1)!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/cb?x=1');
    assert.equal(got.body, 'a=1&b=2');
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(got.headers.host, `127.0.0.1:${rx.port}`);
  });

  it('reports a timeout as a retryable error', async () => {
    rx.respond = () => 'hang';
    const r = await sender.send({ url: rx.url(), contentType: 'application/json', body: '{}' });
    assert.equal(r.httpStatus, null);
    assert.equal(r.permanent, false);
    assert.match(r.error ?? '', /timeout/i);
    rx.respond = () => 200;
  });

  it('reports connection refused as a retryable error', async () => {
    const closed = await startReceiver();
    const url = closed.url();
    await closed.close();
    const r = await sender.send({ url, contentType: 'application/json', body: '{}' });
    assert.equal(r.httpStatus, null);
    assert.equal(r.permanent, false);
    assert.match(r.error ?? '', /ECONNREFUSED/);
  });

  it('refuses a loopback IP literal without connecting when loopback is not allowed', async () => {
    const strict = new PushSender({ timeoutMs: 500, allowPrivate: true, allowLoopback: false });
    const before = rx.received.length;
    const r = await strict.send({ url: rx.url(), contentType: 'application/json', body: '{}' });
    await strict.close();
    assert.equal(r.permanent, true);
    assert.match(r.error ?? '', /refused: 127\.0\.0\.1 \(loopback/);
    assert.equal(rx.received.length, before);
  });

  it('refuses a host name that resolves to loopback, checked on the connected address', async () => {
    const strict = new PushSender({ timeoutMs: 500, allowPrivate: false, allowLoopback: false });
    const before = rx.received.length;
    const r = await strict.send({
      url: `http://localhost:${rx.port}/r`,
      contentType: 'application/json',
      body: '{}',
    });
    await strict.close();
    assert.equal(r.permanent, true, r.error ?? '');
    assert.match(r.error ?? '', /localhost resolves to/);
    assert.equal(rx.received.length, before);
  });

  it('refuses the metadata address and non-http URLs as permanent', async () => {
    const a = await sender.send({
      url: 'http://169.254.169.254/latest',
      contentType: 'application/json',
      body: '{}',
    });
    assert.equal(a.permanent, true);
    assert.match(a.error ?? '', /metadata/);
    const b = await sender.send({ url: 'ftp://example.com/x', contentType: 'application/json', body: '{}' });
    assert.equal(b.permanent, true);
    const c = await sender.send({ url: 'not a url', contentType: 'application/json', body: '{}' });
    assert.equal(c.permanent, true);
  });
});
