import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, it } from 'node:test';
import {
  AddressRefusedError,
  checkAddress,
  classifyAddress,
  guardedLookup,
  isAddressRefused,
} from '../../src/webhooks/address-guard.js';

const STRICT = { allowPrivate: false, allowLoopback: false };
const OPEN = { allowPrivate: true, allowLoopback: true };

describe('classifyAddress', () => {
  const cases: Array<[string, string]> = [
    ['8.8.8.8', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['not-an-ip', 'unspecified'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
  ];
  for (const [ip, cls] of cases) it(`${ip} is ${cls}`, () => assert.equal(classifyAddress(ip), cls));
});

describe('checkAddress', () => {
  it('refuses metadata, link-local and unspecified even when private and loopback are allowed', () => {
    for (const ip of [
      '169.254.169.254',
      'fd00:ec2::254',
      '100.100.100.200',
      '169.254.3.4',
      'fe80::9',
      '0.0.0.0',
    ]) {
      const r = checkAddress(ip, OPEN);
      assert.ok(r instanceof AddressRefusedError, ip);
      assert.equal(r.code, 'SWIFTLET_ADDRESS_REFUSED');
    }
  });
  it('allows private only with allowPrivate and loopback only with allowLoopback', () => {
    assert.match(checkAddress('10.0.0.1', STRICT)?.message ?? '', /private.*allowPrivate/);
    assert.equal(checkAddress('10.0.0.1', { allowPrivate: true, allowLoopback: false }), null);
    assert.match(
      checkAddress('127.0.0.1', { allowPrivate: true, allowLoopback: false })?.message ?? '',
      /loopback/,
    );
    assert.equal(checkAddress('127.0.0.1', { allowPrivate: false, allowLoopback: true }), null);
    assert.equal(checkAddress('93.184.216.34', STRICT), null);
  });
});

describe('guardedLookup', () => {
  // A resolver stub standing in for DNS (what a rebinding attacker controls).
  const resolver = (answers: LookupAddress[]) =>
    ((_h: string, _o: unknown, cb: (e: null, a: LookupAddress[]) => void) => cb(null, answers)) as never;

  it('drops refused answers and keeps allowed ones', async () => {
    const lookup = guardedLookup(
      STRICT,
      resolver([
        { address: '10.0.0.5', family: 4 },
        { address: '93.184.216.34', family: 4 },
      ]),
    );
    const all = await new Promise<unknown>((res, rej) =>
      lookup('x.test', { all: true }, (e, a) => (e ? rej(e) : res(a))),
    );
    assert.deepEqual(all, [{ address: '93.184.216.34', family: 4 }]);
    const one = await new Promise<unknown>((res, rej) =>
      lookup('x.test', {}, (e, a, f) => (e ? rej(e) : res([a, f]))),
    );
    assert.deepEqual(one, ['93.184.216.34', 4]);
  });

  it('fails with AddressRefusedError naming host and address when every answer is refused', async () => {
    const lookup = guardedLookup(STRICT, resolver([{ address: '169.254.169.254', family: 4 }]));
    const err = await new Promise<unknown>((res) => lookup('evil.test', { all: true }, (e) => res(e)));
    assert.ok(isAddressRefused(err));
    assert.match((err as Error).message, /evil\.test resolves to 169\.254\.169\.254 \(metadata\)/);
  });
});
