/**
 * Review findings on batchSendSms / batchSendDiffSms parameter handling against the spec.
 * Each test is named after the behaviour the contract asks for; a failure documents the gap.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import type { SignatureRecord, TemplateRecord } from '../../src/store/records.js';
import { type ApiFixture, form, setupApi } from '../api/helpers.js';

const FORM = 'application/x-www-form-urlencoded';

describe('review: send parameters', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(() => f.cleanup());

  const post = async (payload: string, url = '/sms/batchSendSms/v1', type = FORM) => {
    const res = await f.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': type, ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret) },
      payload,
    });
    return { status: res.statusCode, json: JSON.parse(res.body) };
  };

  // Spec §3.2: `signature` is "effective and mandatory only when templateId is a universal
  // template"; it is not used otherwise. send-request.ts checkSignature refuses the whole request
  // (E000503) when it is longer than 64 characters, even for a bound template.
  it('ignores an over-long signature sent with a non-universal template (form API)', async () => {
    const r = await post(
      form({
        from: f.signature.channelNumber as string,
        to: '+8615100000001',
        templateId: f.plain.id,
        signature: 'S'.repeat(65),
      }),
    );
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
  });

  it('ignores an over-long signature sent with a non-universal template (JSON API)', async () => {
    const r = await post(
      JSON.stringify({
        from: f.signature.channelNumber,
        smsContent: [{ to: ['+8615100000002'], templateId: f.plain.id, signature: 'S'.repeat(65) }],
      }),
      '/sms/batchSendDiffSms/v1',
      'application/json',
    );
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
  });

  // A client that forgets to urlencode `+` sends `to=+8615100000003`; form decoding turns the `+`
  // into a space, the item is trimmed to `8615100000003`, +86 is prepended and the number fails
  // as E200031 (originTo without its `+`). A raw `+` directly followed by a digit at the start of
  // `to` or right after a raw `,` cannot come from a conforming encoder (they emit %2B and %2C),
  // so reading it as `+` only turns certain failures into the obviously intended number.
  it('reads an unencoded leading + in `to` as a plus sign (client forgot to urlencode)', async () => {
    const from = encodeURIComponent(f.signature.channelNumber as string);
    const r = await post(`from=${from}&to=+8615100000003,+8615100000004&templateId=${f.plain.id}`);
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
    assert.deepEqual(
      r.json.result.map((e: { originTo: string }) => e.originTo),
      ['+8615100000003', '+8615100000004'],
    );
  });

  it('keeps standard decoding where + means space: "+861..., +861..." encoded by a form encoder', async () => {
    const r = await post(
      form({
        from: f.signature.channelNumber as string,
        to: '+8615100000005, +8615100000006',
        templateId: f.plain.id,
      }),
    );
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
  });

  // Spec §1/§3.2: mainland channel numbers are allocated per signature and `from` is "the channel
  // number allocated to the signature". For a universal template the signature comes from the
  // `signature` parameter, so `from` must be that signature's channel. validate-send.ts only
  // compares types, so signature B is rendered (【B】) but sent over signature A's channel.
  it('refuses a universal-template send whose `signature` is not the signature of the `from` channel', async () => {
    const mk = async (name: string) => {
      const s = await f.store.createSignature({ appId: f.tenant.id, name, type: 'NOTIFY_TYPE' });
      return (await f.store.approveSignature(s.id)) as SignatureRecord;
    };
    const a = await mk('BrandA');
    await mk('BrandB');
    const t = await f.store.createTemplate({
      appId: f.tenant.id,
      signatureId: null,
      universal: true,
      name: 'u',
      type: 'NOTIFY_TYPE',
      region: 'cn',
      content: 'Your parcel has arrived.',
      variableAttributes: {},
    });
    const universal = (await f.store.setTemplateStatus(t.id, 'active')) as TemplateRecord;
    const r = await post(
      form({
        from: a.channelNumber as string,
        to: '+8615100000007',
        templateId: universal.id,
        signature: 'BrandB',
      }),
    );
    assert.equal(r.json.code, 'E000510', JSON.stringify(r.json));
    assert.notEqual(r.json.result[0].status, '000000');
  });
});
