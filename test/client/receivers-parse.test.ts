import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiverParseError } from '../../src/client/errors.js';
import { parseBatchStatusReport, parseStatusReport } from '../../src/client/status-report.js';
import { parseUplink } from '../../src/client/uplink-message.js';

// Spec §6 official wire example, verbatim.
const OFFICIAL =
  'sequence=1&total=1&orgCode=000&updateTime=2018-04-13T06%3A31%3A46Z&source=2&smsMsgId=b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6&status=DELIVRD';
// Spec §6 Go sample bodies.
const GO_DELIVRD =
  'sequence=1&total=1&updateTime=2018-10-31T08%3A43%3A41Z&source=2&smsMsgId=2ea20735-f856-4376-afbf-570bd70a46ee_11840135&status=DELIVRD';
const GO_FAILED = GO_DELIVRD.replace('status=DELIVRD', 'status=E200027');
// Spec §8 official uplink example.
const UPLINK =
  'from=%2B86155****5172&to=201804131431201234&body=********&smsMsgId=9692b5be-c427-4525-8e73-cf4a6ac5b3f7';

describe('parseStatusReport', () => {
  it('parses the official §6 wire example', () => {
    const r = parseStatusReport(OFFICIAL);
    assert.equal(r.smsMsgId, 'b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6');
    assert.equal(r.status, 'DELIVRD');
    assert.equal(r.total, 1);
    assert.equal(r.sequence, 1);
    assert.equal(r.source, 2);
    assert.equal(r.orgCode, '000');
    assert.equal(r.updateTime, '2018-04-13T06:31:46Z');
    assert.equal(r.updatedAt?.getTime(), Date.UTC(2018, 3, 13, 6, 31, 46));
    assert.equal(r.delivered, true);
    assert.equal(r.meaning.code, 'DELIVRD');
    assert.equal(r.meaning.success, true);
    assert.equal(r.extend, undefined);
  });

  it('parses the Go sample bodies, delivered and failed', () => {
    const ok = parseStatusReport(GO_DELIVRD);
    assert.equal(ok.smsMsgId, '2ea20735-f856-4376-afbf-570bd70a46ee_11840135');
    assert.equal(ok.delivered, true);
    const failed = parseStatusReport(GO_FAILED);
    assert.equal(failed.status, 'E200027');
    assert.equal(failed.delivered, false);
    assert.equal(failed.meaning.code, 'E200027');
    assert.equal(failed.meaning.source, 'platform');
    assert.equal(failed.meaning.success, false);
  });

  it('accepts URLSearchParams, Buffers and parsed objects alike', () => {
    const expected = parseStatusReport(OFFICIAL);
    assert.deepEqual(parseStatusReport(new URLSearchParams(OFFICIAL)), expected);
    assert.deepEqual(parseStatusReport(Buffer.from(OFFICIAL)), expected);
    assert.deepEqual(parseStatusReport(Object.fromEntries(new URLSearchParams(OFFICIAL))), expected);
  });

  it('defaults total/sequence to 1 and keeps extend, to and statusDesc; unknown codes get a generic meaning', () => {
    const r = parseStatusReport(
      'smsMsgId=x_1&status=MK%3A9999&statusDesc=odd&extend=order-7&to=%2B8615100000001&total=3&sequence=2',
    );
    assert.equal(r.total, 3);
    assert.equal(r.sequence, 2);
    assert.equal(r.status, 'MK:9999');
    assert.equal(r.statusDesc, 'odd');
    assert.equal(r.extend, 'order-7');
    assert.equal(r.to, '+8615100000001');
    assert.equal(r.meaning.success, false);
    const d = parseStatusReport('smsMsgId=x_1&status=UNDELIV&source=1');
    assert.equal(d.total, 1);
    assert.equal(d.sequence, 1);
    assert.equal(d.updateTime, undefined);
  });

  it('throws ReceiverParseError naming a missing required field or a bad number', () => {
    assert.throws(
      () => parseStatusReport('status=DELIVRD'),
      (e: unknown) => e instanceof ReceiverParseError && e.field === 'smsMsgId',
    );
    assert.throws(
      () => parseStatusReport('smsMsgId=a_1'),
      (e: unknown) => e instanceof ReceiverParseError && e.field === 'status',
    );
    assert.throws(
      () => parseStatusReport('smsMsgId=a_1&status=DELIVRD&total=x'),
      (e: unknown) => e instanceof ReceiverParseError && e.field === 'total',
    );
    assert.throws(() => parseStatusReport('smsMsgId=a_1&status=DELIVRD&source=two'), ReceiverParseError);
  });
});

describe('parseBatchStatusReport (§7)', () => {
  const batch = {
    statusReportList: [
      {
        smsMsgId: 'a_1',
        total: '2',
        sequence: '1',
        status: 'DELIVRD',
        source: '2',
        updateTime: '2018-04-13T06:31:46Z',
      },
      { smsMsgId: 'a_1', total: 2, sequence: 2, status: 'UNDELIV', extend: 'e', to: '+8615100000001' },
    ],
  };
  it('parses string and object bodies, numbers as strings or numbers', () => {
    for (const input of [JSON.stringify(batch), batch]) {
      const [a, b] = parseBatchStatusReport(input);
      assert.equal(a.total, 2);
      assert.equal(a.sequence, 1);
      assert.equal(a.delivered, true);
      assert.equal(a.updatedAt?.getTime(), Date.UTC(2018, 3, 13, 6, 31, 46));
      assert.equal(b.sequence, 2);
      assert.equal(b.delivered, false);
      assert.equal(b.to, '+8615100000001');
    }
  });
  it('throws on bad JSON, a missing list, or a bad element', () => {
    assert.throws(() => parseBatchStatusReport('{'), ReceiverParseError);
    assert.throws(() => parseBatchStatusReport({}), ReceiverParseError);
    assert.throws(() => parseBatchStatusReport({ statusReportList: [1] }), ReceiverParseError);
    assert.throws(
      () => parseBatchStatusReport({ statusReportList: [{ status: 'DELIVRD' }] }),
      ReceiverParseError,
    );
  });
});

describe('parseUplink (§8)', () => {
  it('parses the official example', () => {
    assert.deepEqual(parseUplink(UPLINK), {
      smsMsgId: '9692b5be-c427-4525-8e73-cf4a6ac5b3f7',
      from: '+86155****5172',
      to: '201804131431201234',
      body: '********',
    });
  });
  it('decodes UTF-8 text and createTime', () => {
    const m = parseUplink(
      `${UPLINK.replace('body=********', `body=${encodeURIComponent('退订 TD')}`)}&createTime=2018-04-13T06%3A31%3A46Z`,
    );
    assert.equal(m.body, '退订 TD');
    assert.equal(m.createTime, '2018-04-13T06:31:46Z');
    assert.equal(m.createdAt?.getTime(), Date.UTC(2018, 3, 13, 6, 31, 46));
  });
  it('throws on a missing required field', () => {
    for (const f of ['from', 'to', 'body', 'smsMsgId']) {
      const p = new URLSearchParams(UPLINK);
      p.delete(f);
      assert.throws(
        () => parseUplink(p),
        (e: unknown) => e instanceof ReceiverParseError && e.field === f,
        f,
      );
    }
  });
});
