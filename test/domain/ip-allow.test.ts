import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIpAllowed, parseAllowList } from '../../src/domain/ip-allow.js';

function entries(input: string | string[]): string[] {
  const r = parseAllowList(input);
  if (!r.ok) assert.fail(r.reason);
  return r.entries;
}

describe('parseAllowList', () => {
  it('parses v4, v6 and CIDR from a string or an array', () => {
    assert.deepEqual(entries('10.0.0.1, 192.168.0.0/16;2001:DB8::1\n2001:db8:1::/48'), [
      '10.0.0.1',
      '192.168.0.0/16',
      '2001:db8::1',
      '2001:db8:1::/48',
    ]);
    assert.deepEqual(entries([' 10.0.0.1 ', '', '::ffff:1.2.3.4', '10.0.0.1']), ['10.0.0.1', '1.2.3.4']);
    assert.deepEqual(entries(''), []);
    assert.deepEqual(entries('::ffff:10.0.0.0/104'), ['10.0.0.0/8']);
  });

  it('rejects bad entries', () => {
    for (const bad of [
      '10.0.0',
      '10.0.0.256',
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      'host.example',
      '10.0.0.0/-1',
      '1.2.3.4/0x8',
    ]) {
      const r = parseAllowList(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.reason, new RegExp(bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    }
  });
});

describe('isIpAllowed', () => {
  it('allows all with an empty list', () => {
    assert.ok(isIpAllowed('8.8.8.8', []));
    assert.ok(isIpAllowed('garbage', []));
  });

  it('matches single addresses and v4 CIDR', () => {
    const list = entries('203.0.113.7,10.1.0.0/16');
    assert.ok(isIpAllowed('203.0.113.7', list));
    assert.ok(!isIpAllowed('203.0.113.8', list));
    assert.ok(isIpAllowed('10.1.255.254', list));
    assert.ok(!isIpAllowed('10.2.0.1', list));
    assert.ok(!isIpAllowed('not-an-ip', list));
  });

  it('handles IPv4-mapped IPv6 callers', () => {
    const list = entries('10.1.0.0/16');
    assert.ok(isIpAllowed('::ffff:10.1.2.3', list));
    assert.ok(isIpAllowed('::FFFF:10.1.2.3', list));
    assert.ok(!isIpAllowed('::ffff:10.2.2.3', list));
  });

  it('matches v6 addresses and CIDR', () => {
    const list = entries('2001:db8:1::/48,::1');
    assert.ok(isIpAllowed('2001:db8:1:ffff::5', list));
    assert.ok(isIpAllowed('2001:DB8:1::5', list));
    assert.ok(!isIpAllowed('2001:db8:2::5', list));
    assert.ok(isIpAllowed('::1', list));
    assert.ok(!isIpAllowed('127.0.0.1', list));
  });

  it('0.0.0.0/0 allows every IPv4 caller', () => {
    const list = entries('0.0.0.0/0');
    assert.ok(isIpAllowed('1.2.3.4', list));
    assert.ok(isIpAllowed('::ffff:1.2.3.4', list));
  });
});
