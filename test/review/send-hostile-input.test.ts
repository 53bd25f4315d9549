/**
 * Review finding: a deeply nested (but valid) JSON body makes `jsonToSendRequest` throw
 * `RangeError: Maximum call stack size exceeded` from `JSON.stringify(content)` (the 64 KB
 * check), which the route answers with HTTP 500 and an error log line, instead of a 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonToSendRequest } from '../../src/api/send/send-request.js';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import { type ApiFixture, setupApi } from '../api/helpers.js';

const DEPTH = 100_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);

describe('review: hostile batchSendDiffSms bodies', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  it('jsonToSendRequest returns a code (does not throw) for deeply nested templateParas', () => {
    const doc = `{"from":"csms1","smsContent":[{"to":["+8615100000001"],"templateId":"t","templateParas":${deepArray}}]}`;
    assert.doesNotThrow(() => jsonToSendRequest(Buffer.from(doc)));
  });

  it('answers a deeply nested body with HTTP 400 and a MSGSMS code, not 500', async () => {
    const doc = `{"from":"${f.signature.channelNumber}","smsContent":[{"to":["+8615100000001"],"templateId":"${f.plain.id}","templateParas":${deepArray}}]}`;
    const res = await f.app.inject({
      method: 'POST',
      url: '/sms/batchSendDiffSms/v1',
      headers: {
        'content-type': 'application/json',
        ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret),
      },
      payload: doc,
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.ok(['E000000', 'E000503'].includes(JSON.parse(res.body).code), res.body);
  });
});
