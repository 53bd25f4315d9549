/**
 * The app's `tpsLimit` (send requests per second, one token bucket in the store): a request over
 * it gets E000623 with HTTP 429, after authentication and the IP allowlist and before the body is
 * parsed (docs/management-api.md, check order). Burst = the limit, so with tpsLimit 1 the second
 * request sent straight after the first is over it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import { apiCode } from '../../src/domain/api-codes.js';
import { type ApiFixture, form, messageCount, setupApi } from './helpers.js';

describe('send API: app request rate (tpsLimit)', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  const send = (payload: string, key = f.tenant.appKey, secret = f.tenant.appSecret) =>
    f.app.inject({
      method: 'POST',
      url: '/sms/batchSendSms/v1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...buildWsseHeaders(key, secret) },
      payload,
    });

  it('answers E000623 (429) over the limit, before parsing, and stores nothing', async () => {
    await f.store.updateApp(f.tenant.id, { tpsLimit: 1 });
    try {
      const ok = await send(
        form({ from: f.signature.channelNumber as string, to: '+8615100000041', templateId: f.plain.id }),
      );
      assert.equal(JSON.parse(ok.body).code, '000000', ok.body);
      const stored = await messageCount(f.store);
      // An undecodable body would be E000000: the rate check comes first.
      const over = await send('to=%zz');
      assert.equal(over.statusCode, 429);
      assert.deepEqual(JSON.parse(over.body), {
        code: 'E000623',
        description: apiCode('E000623').description,
      });
      assert.equal(await messageCount(f.store), stored);
      // Bad credentials are answered before the bucket is touched.
      assert.equal(JSON.parse((await send('to=%zz', f.tenant.appKey, 'wrong')).body).code, 'E000105');
    } finally {
      await f.store.updateApp(f.tenant.id, { tpsLimit: null });
    }
  });
});
