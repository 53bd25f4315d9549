import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHuaweiTime, formatSdkDate, parseHuaweiTime, parseSdkDate } from '../../src/domain/time.js';

describe('time formats', () => {
  const t = Date.UTC(2024, 1, 28, 8, 11, 51, 999);
  it('formats UTC', () => {
    assert.equal(formatHuaweiTime(t), '2024-02-28T08:11:51Z');
    assert.equal(formatHuaweiTime(new Date(t)), '2024-02-28T08:11:51Z');
    assert.equal(formatSdkDate(t), '20240228T081151Z');
  });

  it('parses strictly', () => {
    assert.equal(parseHuaweiTime('2018-05-26T00:35:30Z'), Date.UTC(2018, 4, 26, 0, 35, 30));
    assert.equal(parseSdkDate('20240228T081151Z'), Date.UTC(2024, 1, 28, 8, 11, 51));
    assert.equal(parseHuaweiTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
    for (const s of [
      '2018-05-26T00:35:30',
      '2018-05-26 00:35:30Z',
      '2018-05-26T00:35:30.000Z',
      '2018-05-26T00:35:30+08:00',
      '2018-5-26T00:35:30Z',
      '2023-02-29T00:00:00Z',
      '2018-13-01T00:00:00Z',
      '2018-05-26T24:00:00Z',
      '2018-05-26T00:60:00Z',
      ' 2018-05-26T00:35:30Z',
      '',
    ]) {
      assert.equal(parseHuaweiTime(s), null, s);
    }
    for (const s of ['20240228T081151', '2024-02-28T08:11:51Z', '20240230T000000Z', '20240228t081151z']) {
      assert.equal(parseSdkDate(s), null, s);
    }
  });

  it('round-trips', () => {
    const s = Math.floor(t / 1000) * 1000;
    assert.equal(parseHuaweiTime(formatHuaweiTime(s)), s);
    assert.equal(parseSdkDate(formatSdkDate(s)), s);
  });
});
