/**
 * Issue #3 "Done when", first bullet: end to end on the embedded default. A real server
 * (`startServer`, demo profile, SQLite in a temp dir, the embedded SMSC simulator over a real
 * SMPP connection on loopback), sends through the SDK (`SmsClient`, AK/SK over HTTP), and a real
 * node:http receiver for status reports, uplink and batch pushes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SmsClient } from '../../src/client/index.js';
import { type DemoServer, startDemoServer, TIMINGS } from './helpers/demo-server.js';
import { type ReportReceiver, startReportReceiver } from './helpers/report-receiver.js';

/** spec §6 / docs/delivery.md: the form fields in the official order. */
const FIELD_ORDER = [
  'sequence',
  'total',
  'orgCode',
  'updateTime',
  'source',
  'smsMsgId',
  'status',
  'statusDesc',
  'extend',
  'to',
];
const UPDATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('delivery on the embedded default (API → engine → SMPP → simulator → receipt → push)', () => {
  let s: DemoServer;
  let rx: ReportReceiver;
  let client: SmsClient;
  let codeTemplate: string;
  let channel: string;

  before(async () => {
    s = await startDemoServer();
    rx = await startReportReceiver();
    client = new SmsClient({ endpoint: s.url, appKey: s.demo.appKey, appSecret: s.demo.appSecret });
    codeTemplate = s.demo.templates[1].id;
    channel = s.demo.signature.channelNumber;
  });
  after(async () => {
    client?.close();
    await rx?.close();
    await s?.close();
  });

  const send = async (
    to: string[],
    callbackPath: string | null,
    extra: { extend?: string; templateId?: string; from?: string; params?: string[] } = {},
  ) => {
    const r = await client.batchSendSms({
      from: extra.from ?? channel,
      to,
      templateId: extra.templateId ?? codeTemplate,
      templateParas: extra.params ?? (extra.templateId ? undefined : ['123456']),
      ...(callbackPath ? { statusCallback: rx.url(callbackPath) } : {}),
      ...(extra.extend !== undefined ? { extend: extra.extend } : {}),
    });
    assert.equal(r.code, '000000', JSON.stringify(r));
    return r.result ?? [];
  };
  const detail = async (smsMsgId: string) => {
    const r = await s.api('GET', `/messages/${encodeURIComponent(smsMsgId)}`);
    assert.equal(r.status, 200);
    return r.json;
  };

  it('the demo send gets a DELIVRD status report with exactly the documented fields', async () => {
    const [sent] = await send(['+8613800000001'], '/plain');
    const [report] = await rx.until(
      () => rx.forms('/plain').length === 1 && rx.forms('/plain'),
      10_000,
      'plain report',
    );
    const push = rx.pushes.find((p) => p.path === '/plain');
    assert.ok(push);
    assert.match(push.contentType, /^application\/x-www-form-urlencoded/);
    // Exactly these fields, in the official order; no extend/to without extend.
    assert.deepEqual(
      push.form.map(([k]) => k),
      FIELD_ORDER.filter((k) => k !== 'extend' && k !== 'to'),
    );
    assert.equal(report.smsMsgId, sent.smsMsgId);
    assert.equal(report.total, '1');
    assert.equal(report.sequence, '1');
    assert.equal(report.status, 'DELIVRD');
    assert.equal(report.source, '2');
    assert.equal(report.orgCode, '000');
    assert.ok(report.statusDesc.length > 0);
    assert.match(report.updateTime, UPDATE_TIME);
    assert.match(push.raw, /updateTime=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ/, 'colons url-encoded as %3A');
    const d = await detail(sent.smsMsgId);
    assert.equal(d.message.state, 'DELIVERED');
    assert.equal(d.message.statusCode, 'DELIVRD');
    assert.equal(d.parts[0].state, 'DELIVERED');
    assert.ok(d.parts[0].carrierMsgId, 'the carrier id of the part is recorded');
    // The timeline: accepted → routed (which route, which connector) → submitted → receipt → final.
    const kinds = d.events.map((e: { kind: string }) => e.kind);
    assert.deepEqual(kinds.slice(0, 3), ['accepted', 'routed', 'submitted'], JSON.stringify(kinds));
    const routed = d.events.find((e: { kind: string }) => e.kind === 'routed');
    assert.equal(routed.detail.route, 'simulator-default');
    assert.equal(routed.detail.connectorId, d.message.connectorId);
    // The worker records push outcomes in batches a few ms after the receiver answered.
    const delivered = async () =>
      (await detail(sent.smsMsgId)).pushes.some((p: { state: string }) => p.state === 'delivered');
    const deadline = Date.now() + 5000;
    while (!(await delivered())) {
      assert.ok(Date.now() < deadline, 'the push was never recorded as delivered');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('with extend, the report adds extend and to (and only then)', async () => {
    const [sent] = await send(['+8613800000002'], '/extend', { extend: 'order-42' });
    const [report] = await rx.until(
      () => rx.forms('/extend').length === 1 && rx.forms('/extend'),
      10_000,
      'extend report',
    );
    const push = rx.pushes.find((p) => p.path === '/extend');
    assert.deepEqual(
      push?.form.map(([k]) => k),
      FIELD_ORDER,
    );
    assert.equal(report.smsMsgId, sent.smsMsgId);
    assert.equal(report.extend, 'order-42');
    assert.equal(report.to, '+8613800000002');
    assert.equal(report.status, 'DELIVRD');
  });

  it('every magic number gives its documented outcome, in send details and in the pushed report', async () => {
    // docs/simulator.md (magic numbers) × docs/delivery.md (submit outcomes, expiry).
    const expected: Record<
      string,
      { status: string; source: string; updateTime: boolean; orgCode?: string; state: string }
    > = {
      '1001': { status: 'UNDELIV', source: '2', updateTime: true, orgCode: '001', state: 'UNDELIVERED' },
      '1002': { status: 'EXPIRED', source: '2', updateTime: true, orgCode: '003', state: 'EXPIRED' },
      '1003': { status: 'REJECTD', source: '2', updateTime: true, orgCode: '002', state: 'REJECTED' },
      // No receipt ever: the platform's expiry sweep makes the report (source 1, no updateTime).
      '1004': { status: 'EXPIRED', source: '1', updateTime: false, state: 'EXPIRED' },
      // submit_sm_resp error: REJECTED with the SMPP error name, source 2, no updateTime.
      '1005': { status: 'ESME_RSUBMITFAIL', source: '2', updateTime: false, state: 'REJECTED' },
      // Throttled once, resent by the client, then accepted and delivered.
      '1006': { status: 'DELIVRD', source: '2', updateTime: true, orgCode: '000', state: 'DELIVERED' },
      '1007': { status: 'DELIVRD', source: '2', updateTime: true, orgCode: '000', state: 'DELIVERED' },
      // No submit_sm_resp: response time-out → retried with back-off → after maxAttempts E200034.
      '1008': { status: 'E200034', source: '1', updateTime: false, state: 'FAILED' },
      '1009': { status: 'UNKNOWN', source: '2', updateTime: true, orgCode: '004', state: 'UNDELIVERED' },
    };
    const numbers = Object.keys(expected).map((suffix) => `+861390000${suffix}`);
    const t0 = Date.now();
    const sent = await send(numbers, '/magic');
    assert.equal(sent.length, numbers.length);
    const reports = await rx.until(
      () => rx.forms('/magic').length >= numbers.length && rx.forms('/magic'),
      TIMINGS.receiptWindowMs + 8_000,
      'one report per magic number',
    );
    // Give a late duplicate a moment to show up: there must be exactly one report per number.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rx.forms('/magic').length, numbers.length, 'exactly one report per number');
    for (const entry of sent) {
      const suffix = entry.originTo.slice(-4);
      const want = expected[suffix];
      const report = reports.find((r) => r.smsMsgId === entry.smsMsgId);
      assert.ok(report, `report for ${suffix}`);
      assert.equal(report.status, want.status, `status of ${suffix}`);
      assert.equal(report.source, want.source, `source of ${suffix}`);
      assert.equal('updateTime' in report, want.updateTime, `updateTime presence for ${suffix}`);
      if (want.updateTime) assert.match(report.updateTime, UPDATE_TIME);
      if (want.orgCode) assert.equal(report.orgCode, want.orgCode, `orgCode of ${suffix}`);
      assert.equal(report.total, '1');
      assert.equal(report.sequence, '1');
      const d = await detail(entry.smsMsgId);
      assert.equal(d.message.state, want.state, `send details state of ${suffix}`);
      assert.equal(d.message.statusCode, want.status, `send details statusCode of ${suffix}`);
      if (suffix === '1008') {
        // Submitted maxAttempts times: every attempt but the last was requeued after its time-out.
        const final = d.events.find((e: { kind: string }) => e.kind === 'final');
        assert.equal(final?.detail?.attempts, TIMINGS.maxAttempts, JSON.stringify(d.events));
        assert.equal(d.message.attempts, TIMINGS.maxAttempts - 1, 'requeues counted on the message');
      }
      if (suffix === '1007') {
        const push = rx.pushes.find(
          (p) => p.path === '/magic' && p.raw.includes(encodeURIComponent(entry.smsMsgId)),
        );
        assert.ok(
          push && push.at - t0 >= TIMINGS.slowReceiptDelayMs,
          'the slow receipt came after its delay',
        );
      }
    }
    const stats = s.server.app && (await s.api('GET', '/overview')).json;
    assert.equal(stats.simulator.running, true);
  });

  it('a long message gives one report per part (total N, sequence 1..N)', async () => {
    const created = await s.api('POST', '/templates', {
      app: s.demo.appId,
      signatureId: s.demo.signature.id,
      name: 'long',
      type: 'VERIFY_CODE_TYPE',
      content: `长消息测试${'测试内容'.repeat(25)}`,
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json.status, 'active');
    const [sent] = await send(['+8613800000003'], '/long', { templateId: created.json.id, params: [] });
    const total = sent.total ?? 0;
    assert.ok(total >= 2, `a long message (total ${total})`);
    const reports = await rx.until(
      () => rx.forms('/long').length >= total && rx.forms('/long'),
      10_000,
      'per-part reports',
    );
    assert.equal(reports.length, total);
    assert.deepEqual(
      reports.map((r) => Number(r.sequence)).sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    for (const r of reports) {
      assert.equal(r.smsMsgId, sent.smsMsgId);
      assert.equal(r.total, String(total));
      assert.equal(r.status, 'DELIVRD');
    }
    const d = await detail(sent.smsMsgId);
    assert.equal(d.parts.length, total);
    assert.equal(
      new Set(d.parts.map((p: { carrierMsgId: string }) => p.carrierMsgId)).size,
      total,
      'one carrier id per part',
    );
  });

  it('an injected MO reaches the uplink address with the §8 fields', async () => {
    const patched = await s.api('PATCH', `/apps/${s.demo.appId}`, { uplinkUrl: rx.url('/uplink') });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    const mo = await s.api('POST', '/simulator/mo', {
      from: '+8613700000042',
      to: channel,
      text: 'Hello from a handset',
    });
    assert.equal(mo.status, 202);
    const [push] = await rx.until(
      () => rx.forms('/uplink').length >= 1 && rx.forms('/uplink'),
      10_000,
      'uplink push',
    );
    assert.deepEqual(Object.keys(push).sort(), ['body', 'from', 'smsMsgId', 'to']);
    assert.equal(push.from, '+8613700000042');
    assert.equal(push.to, channel);
    assert.equal(push.body, 'Hello from a handset');
    assert.ok(push.smsMsgId.length > 0);
    const list = await s.api('GET', '/mo?from=%2B8613700000042');
    assert.equal(list.json.items[0]?.smsMsgId, push.smsMsgId);
  });

  it('a long MO (three UCS-2 parts over SMPP) reaches the uplink address whole, as one MO', async () => {
    const text = `${'長'.repeat(66)}😀${'い'.repeat(70)}${'x'.repeat(40)}`;
    const mo = await s.api('POST', '/simulator/mo', { from: '+8613700000043', to: channel, text });
    assert.equal(mo.status, 202);
    const pushes = await rx.until(
      () => {
        const got = rx.forms('/uplink').filter((f) => f.from === '+8613700000043');
        return got.length >= 1 && got;
      },
      10_000,
      'long uplink push',
    );
    assert.equal(pushes.length, 1, 'one MO, not one per part');
    assert.equal(pushes[0].body, text);
  });

  it('an MO "R" blocks the next PROMOTION_TYPE message to that number, with a status report', async () => {
    const sig = await s.api('POST', '/signatures', {
      app: s.demo.appId,
      name: 'PromoShop',
      type: 'PROMOTION_TYPE',
    });
    assert.equal(sig.status, 201, JSON.stringify(sig.json));
    assert.equal(sig.json.status, 'approved');
    const tpl = await s.api('POST', '/templates', {
      app: s.demo.appId,
      signatureId: sig.json.id,
      name: 'sale',
      type: 'PROMOTION_TYPE',
      content: 'Big sale today. Reply R to unsubscribe.',
    });
    assert.equal(tpl.status, 201, JSON.stringify(tpl.json));
    const optOut = '+8613700000077';
    const mo = await s.api('POST', '/simulator/mo', { from: optOut, to: channel, text: 'R' });
    assert.equal(mo.status, 202);
    const blocks = await s.api('GET', `/blocklist?number=${encodeURIComponent(optOut)}`);
    assert.equal(blocks.json.items.length, 1);
    assert.equal(blocks.json.items[0].scope, 'promotion');
    assert.equal(blocks.json.items[0].reason, 'opt-out');

    const promo = { templateId: tpl.json.id, from: sig.json.channelNumber, params: [] };
    const [blocked, other] = await send([optOut, '+8613700000078'], '/promo', promo);
    const [verify] = await send([optOut], '/verify-after-optout');
    const reports = await rx.until(
      () => rx.forms('/promo').length >= 2 && rx.forms('/promo'),
      10_000,
      'promotion reports',
    );
    const br = reports.find((r) => r.smsMsgId === blocked.smsMsgId);
    assert.ok(br);
    assert.equal(br.status, 'SC:0001');
    assert.equal(br.source, '3', 'intercepted by the platform');
    assert.equal('updateTime' in br, false);
    assert.equal(
      reports.find((r) => r.smsMsgId === other.smsMsgId)?.status,
      'DELIVRD',
      'other numbers still get promotions',
    );
    const d = await detail(blocked.smsMsgId);
    assert.equal(d.message.state, 'REJECTED');
    assert.equal(d.parts[0].carrierMsgId, null, 'never sent to a carrier');
    // The opt-out covers promotions only: a verification code still goes through.
    const [vr] = await rx.until(
      () => rx.forms('/verify-after-optout').length >= 1 && rx.forms('/verify-after-optout'),
    );
    assert.equal(vr.smsMsgId, verify.smsMsgId);
    assert.equal(vr.status, 'DELIVRD');
  });

  it('without statusCallback, the batch address receives {"statusReportList":[…]}', async () => {
    const patched = await s.api('PATCH', `/apps/${s.demo.appId}`, { batchReportUrl: rx.url('/batch') });
    assert.equal(patched.status, 200);
    const sent = await send(['+8613600000001', '+8613600000002', '+8613600000003'], null, { extend: 'b1' });
    const ids = new Set(sent.map((e) => e.smsMsgId));
    const rows = await rx.until(
      () => {
        const all = rx.pushes
          .filter((p) => p.path === '/batch')
          .flatMap((p) => (p.json as { statusReportList: Array<Record<string, string>> }).statusReportList);
        return all.length >= 3 && all;
      },
      10_000,
      'batch reports',
    );
    for (const p of rx.pushes.filter((q) => q.path === '/batch')) {
      assert.match(p.contentType, /^application\/json/);
      assert.deepEqual(Object.keys(p.json as object), ['statusReportList']);
    }
    assert.equal(rows.length, 3);
    assert.deepEqual(new Set(rows.map((r) => r.smsMsgId)), ids);
    for (const r of rows) {
      assert.equal(r.status, 'DELIVRD');
      assert.equal(r.source, '2');
      assert.equal(String(r.total), '1');
      assert.equal(String(r.sequence), '1');
      assert.equal(r.extend, 'b1');
      assert.ok(r.to?.startsWith('+86136'));
      assert.match(r.updateTime, UPDATE_TIME);
    }
  });
});
