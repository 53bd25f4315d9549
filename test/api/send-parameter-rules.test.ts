/**
 * batchSendSms / batchSendDiffSms parameter rules decided after the spec-compliance review
 * (docs/management-api.md "Send API decisions", docs/compatibility.md §3.2):
 * `signature` is judged only where it is used, and must be the `from` channel's signature;
 * an unencoded `+` in `to` is read as a plus sign; one trailing empty `to` item is ignored, other
 * blank items fail the request; signature names cost no store lookups.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import type { SignatureRecord, TemplateRecord } from '../../src/store/records.js';
import { type ApiFixture, form, messageCount, setupApi } from './helpers.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_URL = '/sms/batchSendDiffSms/v1';

describe('send API: parameter rules', () => {
  let f: ApiFixture;
  let brandA: SignatureRecord;
  let universal: TemplateRecord;
  before(async () => {
    f = await setupApi();
    const mk = async (name: string) => {
      const s = await f.store.createSignature({ appId: f.tenant.id, name, type: 'NOTIFY_TYPE' });
      return (await f.store.approveSignature(s.id)) as SignatureRecord;
    };
    brandA = await mk('BrandA');
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
    universal = (await f.store.setTemplateStatus(t.id, 'active')) as TemplateRecord;
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
  const postJson = (doc: unknown) => post(JSON.stringify(doc), JSON_URL, 'application/json');
  const originTos = (json: { result: Array<{ originTo: string }> }) => json.result.map((e) => e.originTo);
  const statuses = (json: { result: Array<{ status: string }> }) => json.result.map((e) => e.status);

  // Spec §3.2: `signature` is "effective and mandatory only when templateId is a universal template".
  it('ignores an over-long or non-string signature sent with a bound template (form and JSON)', async () => {
    const ch = f.signature.channelNumber as string;
    const r = await post(
      form({ from: ch, to: '+8615100000001', templateId: f.plain.id, signature: 'S'.repeat(65) }),
    );
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
    const j = await postJson({
      from: ch,
      smsContent: [
        { to: ['+8615100000002'], templateId: f.plain.id, signature: 'S'.repeat(65) },
        { to: ['+8615100000003'], templateId: f.plain.id, signature: 42 },
      ],
    });
    assert.equal(j.json.code, '000000', JSON.stringify(j.json));
  });

  it('judges a universal template’s over-long signature per number (E200031), not per request', async () => {
    const j = await postJson({
      from: brandA.channelNumber,
      smsContent: [
        { to: ['+8615100000004'], templateId: universal.id, signature: 'S'.repeat(65) },
        { to: ['+8615100000005'], templateId: universal.id, signature: 'BrandA' },
      ],
    });
    assert.equal(j.status, 200);
    assert.deepEqual(statuses(j.json), ['E200031', '000000']);
  });

  // Spec §1/§3.2: mainland channel numbers are allocated per signature; `from` is "the channel
  // number allocated to the signature", so a universal template's signature must be `from`'s.
  it('refuses (E200031) a universal-template send whose signature is not the `from` channel’s', async () => {
    const before = await messageCount(f.store);
    const r = await post(
      form({
        from: brandA.channelNumber as string,
        to: '+8615100000007',
        templateId: universal.id,
        signature: 'BrandB',
      }),
    );
    assert.equal(r.json.code, 'E000510', JSON.stringify(r.json));
    assert.deepEqual(statuses(r.json), ['E200031']);
    assert.equal(await messageCount(f.store), before);
    const ok = await post(
      form({
        from: brandA.channelNumber as string,
        to: '+8615100000007',
        templateId: universal.id,
        signature: 'BrandA',
      }),
    );
    assert.equal(ok.json.code, '000000', JSON.stringify(ok.json));
    const detail = await f.store.getMessageDetail(ok.json.result[0].smsMsgId);
    assert.equal(detail?.message.signatureName, 'BrandA');
    assert.match(detail?.message.content ?? '', /^【BrandA】/);
  });

  it('looks up no signature by name, however many a request names', async () => {
    // Counting wrappers on the real store the app uses (getTemplate proves the spy is wired).
    let lookups = 0;
    let templateReads = 0;
    const original = f.store.findSignatureByName;
    const originalTemplate = f.store.getTemplate;
    f.store.findSignatureByName = (...args) => {
      lookups++;
      return original.apply(f.store, args);
    };
    f.store.getTemplate = (...args) => {
      templateReads++;
      return originalTemplate.apply(f.store, args);
    };
    try {
      const groups = Array.from({ length: 50 }, (_, i) => ({
        to: [`+86151000001${String(i).padStart(2, '0')}`],
        templateId: i % 2 === 0 ? f.plain.id : universal.id,
        signature: `Name${i}`,
      }));
      const r = await postJson({ from: f.signature.channelNumber, smsContent: groups });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(lookups, 0);
      assert.equal(templateReads, 2, 'one read per distinct template');
    } finally {
      f.store.findSignatureByName = original;
      f.store.getTemplate = originalTemplate;
    }
  });

  // A client that forgets to urlencode `+` sends `to=+8615100000003`; strict form decoding turns
  // the `+` into a space. A raw `+` before a digit at the start of `to` or right after a raw `,`
  // is read as a plus sign.
  it('reads an unencoded leading + in `to` as a plus sign', async () => {
    const from = encodeURIComponent(f.signature.channelNumber as string);
    const r = await post(`from=${from}&to=+8615100000013,+447700900123&templateId=${f.plain.id}`);
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
    assert.deepEqual(originTos(r.json), ['+8615100000013', '+447700900123']);
  });

  it('keeps + as a space everywhere else: encoded lists and other fields', async () => {
    const ch = f.signature.channelNumber as string;
    // URLSearchParams: ", " → %2C+ ; the + after %2C is a space.
    const r = await post(form({ from: ch, to: '+8615100000015, +8615100000016', templateId: f.plain.id }));
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
    assert.deepEqual(originTos(r.json), ['+8615100000015', '+8615100000016']);
    // A raw + after a raw space-plus is not after a raw comma: it stays a space (national number).
    const s = await post(`from=${ch}&to=15100000017,++15100000018&templateId=${f.plain.id}`);
    assert.deepEqual(originTos(s.json), ['+8615100000017', '+8615100000018']);
    // Only `to` is affected: a raw + in `extend` is still a space.
    const e = await post(`from=${ch}&to=%2B8615100000019&templateId=${f.plain.id}&extend=+1`);
    assert.equal(e.json.code, '000000', JSON.stringify(e.json));
    const detail = await f.store.getMessageDetail(e.json.result[0].smsMsgId);
    assert.equal(detail?.message.extend, ' 1');
  });

  it('ignores one trailing empty `to` item; any other blank item fails the request (E000503)', async () => {
    const ch = f.signature.channelNumber as string;
    const r = await post(form({ from: ch, to: '+8615100000021,+8615100000022,', templateId: f.plain.id }));
    assert.equal(r.json.code, '000000', JSON.stringify(r.json));
    assert.deepEqual(originTos(r.json), ['+8615100000021', '+8615100000022']);
    const one = await post(form({ from: ch, to: '+8615100000023, ', templateId: f.plain.id }));
    assert.deepEqual(originTos(one.json), ['+8615100000023']);
    const before = await messageCount(f.store);
    for (const to of [
      '+8615100000024,,+8615100000025',
      '+8615100000024, ,+8615100000025',
      '+8615100000024,,',
      ',',
    ]) {
      const bad = await post(form({ from: ch, to, templateId: f.plain.id }));
      assert.equal(bad.status, 400, to);
      assert.equal(bad.json.code, 'E000503', to);
    }
    const j = await postJson({
      from: ch,
      smsContent: [{ to: ['+8615100000024', ' '], templateId: f.plain.id }],
    });
    assert.equal(j.json.code, 'E000503');
    assert.equal(await messageCount(f.store), before);
  });
});
