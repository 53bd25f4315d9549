import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchReportBody, statusReportBody, uplinkBody } from '../../src/webhooks/push-body.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  nextAttempt,
  retryDelay,
} from '../../src/webhooks/retry-schedule.js';

describe('push bodies', () => {
  it('status report: official field order, url-encoded, absent fields omitted', () => {
    const body = statusReportBody({
      status: 'DELIVRD',
      smsMsgId: 'b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6',
      source: '2',
      updateTime: '2018-04-13T06:31:46Z',
      orgCode: '000',
      total: '1',
      sequence: '1',
    });
    // Byte-for-byte the official §6 wire example.
    assert.equal(
      body,
      'sequence=1&total=1&orgCode=000&updateTime=2018-04-13T06%3A31%3A46Z&source=2&smsMsgId=b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6&status=DELIVRD',
    );
  });

  it('status report with extend carries to after it; statusDesc is encoded', () => {
    const body = statusReportBody({
      smsMsgId: 'id_1',
      total: '2',
      sequence: '2',
      status: 'E200027',
      statusDesc: 'No route: x&y',
      source: '1',
      extend: 'ord 7',
      to: '+8613900000001',
    });
    assert.equal(
      body,
      'sequence=2&total=2&source=1&smsMsgId=id_1&status=E200027&statusDesc=No+route%3A+x%26y&extend=ord+7&to=%2B8613900000001',
    );
    const parsed = Object.fromEntries(new URLSearchParams(body));
    assert.equal(parsed.statusDesc, 'No route: x&y');
    assert.equal(parsed.to, '+8613900000001');
  });

  it('uplink: from, to, body, smsMsgId[, createTime]', () => {
    assert.equal(
      uplinkBody({ smsMsgId: 'mo-1', body: 'R', to: '1069012345', from: '+8615500005172' }),
      'from=%2B8615500005172&to=1069012345&body=R&smsMsgId=mo-1',
    );
  });

  it('batch: {"statusReportList":[…]} with smsMsgId, total, sequence first', () => {
    const body = batchReportBody([{ status: 'DELIVRD', sequence: '1', total: '1', smsMsgId: 'a' }]);
    assert.equal(
      body,
      '{"statusReportList":[{"smsMsgId":"a","total":"1","sequence":"1","status":"DELIVRD"}]}',
    );
  });
});

describe('retry schedule', () => {
  const P = DEFAULT_RETRY_POLICY;
  it('doubles from the base with equal jitter, capped', () => {
    assert.equal(
      retryDelay(1, P, () => 0),
      2_500,
    );
    assert.equal(
      retryDelay(1, P, () => 1 - Number.EPSILON),
      5_000,
    );
    assert.equal(
      retryDelay(3, P, () => 0),
      10_000,
    );
    assert.equal(
      retryDelay(40, P, () => 1 - Number.EPSILON),
      3_600_000,
    );
  });
  it('clamps the last retry to createdAt + maxAge, then gives up', () => {
    const created = 1_000_000;
    const lateNow = created + P.maxAgeMs - 1_000;
    assert.deepEqual(
      nextAttempt(created, 50, lateNow, P, () => 0.5),
      { dead: false, retryAt: created + P.maxAgeMs },
    );
    assert.deepEqual(nextAttempt(created, 51, created + P.maxAgeMs, P), { dead: true });
  });
  it('retries 408, 429 and 5xx only', () => {
    for (const s of [408, 429, 500, 502, 503, 599]) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of [200, 201, 204, 301, 400, 401, 403, 404, 410])
      assert.equal(isRetryableStatus(s), false, String(s));
  });
});
