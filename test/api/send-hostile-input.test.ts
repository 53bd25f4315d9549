/**
 * Hostile bodies get a MSGSMS code with HTTP 400 (or a per-number status), never HTTP 500:
 * deeply nested JSON used to overflow the stack in the 64 KB `smsContent` check
 * (`JSON.stringify` recurses; `JSON.parse` does not).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonByteLengthUpTo } from '../../src/api/send/json-byte-length.js';
import { jsonToSendRequest } from '../../src/api/send/send-request.js';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import { type ApiFixture, messageCount, setupApi } from './helpers.js';

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonByteLengthUpTo', () => {
  it('equals the UTF-8 length of JSON.stringify for parsed values', () => {
    const samples: unknown[] = [
      null,
      true,
      0,
      -1.5e-7,
      1e21,
      '',
      'a"b\\c\n\u0001',
      '验证码【x】😀',
      '\ud800',
      [],
      {},
      [1, 'two', [null, { k: [] }]],
      { from: 'csms1', smsContent: [{ to: ['+8615100000001'], templateParas: ['1'], 'ké"y': {} }] },
    ];
    for (const v of samples) {
      assert.equal(jsonByteLengthUpTo(v, 1e9), Buffer.byteLength(JSON.stringify(v)), JSON.stringify(v));
    }
  });

  it('stops past the limit and survives nesting JSON.stringify cannot serialise', () => {
    const v = JSON.parse(deep(100_000));
    assert.throws(() => JSON.stringify(v), RangeError);
    const n = jsonByteLengthUpTo(v, 1000);
    assert.ok(n > 1000 && n < 2000, String(n));
  });
});

describe('send API: hostile bodies', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  const send = async (url: string, type: string, payload: string) => {
    const res = await f.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': type, ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret) },
      payload,
    });
    return { status: res.statusCode, json: JSON.parse(res.body) };
  };
  const diff = (payload: string) => send('/sms/batchSendDiffSms/v1', 'application/json', payload);

  it('jsonToSendRequest answers E000503 (does not throw) for deeply nested templateParas over 64 KB', () => {
    const doc = `{"from":"csms1","smsContent":[{"to":["+8615100000001"],"templateId":"t","templateParas":${deep(100_000)}}]}`;
    assert.deepEqual(jsonToSendRequest(Buffer.from(doc)), { ok: false, code: 'E000503' });
  });

  it('answers deeply nested batchSendDiffSms bodies with 400 and a MSGSMS code', async () => {
    const ch = f.signature.channelNumber as string;
    const before = await messageCount(f.store);
    const cases: Array<[string, string]> = [
      // templateParas nested past 64 KB: smsContent too large.
      [
        `{"from":"${ch}","smsContent":[{"to":["+8615100000001"],"templateId":"${f.plain.id}","templateParas":${deep(100_000)}}]}`,
        'E000503',
      ],
      // The nesting is the group itself: not an object.
      [`{"from":"${ch}","smsContent":[${deep(100_000)}]}`, 'E000503'],
      // The whole body: not an object.
      [deep(200_000), 'E000000'],
      // Nested `from` / `to` item: parameter format.
      [
        `{"from":${deep(50_000)},"smsContent":[{"to":["+8615100000001"],"templateId":"${f.plain.id}"}]}`,
        'E000503',
      ],
      [`{"from":"${ch}","smsContent":[{"to":[${deep(50_000)}],"templateId":"${f.plain.id}"}]}`, 'E000503'],
      // Unterminated nesting: unparsable.
      [`{"from":"${ch}","smsContent":${'['.repeat(100_000)}`, 'E000000'],
    ];
    for (const [payload, code] of cases) {
      const r = await diff(payload);
      assert.equal(r.status, 400, `${payload.slice(0, 80)} → ${JSON.stringify(r.json)}`);
      assert.equal(r.json.code, code, payload.slice(0, 80));
    }
    assert.equal(await messageCount(f.store), before);
  });

  it('answers nesting under 64 KB as a per-number E200028, in both APIs', async () => {
    const ch = f.signature.channelNumber as string;
    const r = await diff(
      `{"from":"${ch}","smsContent":[{"to":["+8615100000001"],"templateId":"${f.verify.id}","templateParas":${deep(20_000)}}]}`,
    );
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.result[0].status, 'E200028');
    const params = encodeURIComponent(deep(100_000));
    const fr = await send(
      '/sms/batchSendSms/v1',
      'application/x-www-form-urlencoded',
      `from=${ch}&to=%2B8615100000001&templateId=${f.verify.id}&templateParas=${params}`,
    );
    assert.equal(fr.status, 200, JSON.stringify(fr.json));
    assert.equal(fr.json.result[0].status, 'E200028');
  });
});
