import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where a push may connect to. Customer URLs are untrusted input: without a guard a URL (or a DNS
 * name that later re-resolves) could make the platform POST into its own network or to a cloud
 * metadata endpoint (SSRF). The guard runs on the address actually connected to — for names it
 * sits inside the socket's DNS lookup (see {@link guardedLookup}), so a rebinding DNS answer is
 * checked too; for IP literals the sender checks before dispatching (Node skips lookup then).
 *
 * Classes, checked in this order (first match wins):
 * - `unspecified` 0.0.0.0/8, `::` — never.
 * - `metadata` 169.254.169.254, fd00:ec2::254 (AWS), 100.100.100.200 (Alibaba) — never.
 * - `link-local` 169.254.0.0/16, fe80::/10 — never.
 * - `reserved` multicast 224.0.0.0/4, ff00::/8, 240.0.0.0/4 (incl. broadcast) — never.
 * - `loopback` 127.0.0.0/8, ::1 — only with `allowLoopback` (the demo profile).
 * - `private` 10/8, 172.16/12, 192.168/16, fc00::/7, and 100.64.0.0/10 (carrier-grade NAT, not
 *   routable on the internet either) — only with `allowPrivate`.
 * - `public` everything else.
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries.
 */
export type AddressClass =
  | 'unspecified'
  | 'metadata'
  | 'link-local'
  | 'reserved'
  | 'loopback'
  | 'private'
  | 'public';

/** Which non-public classes are allowed. Both default to false (production). */
export interface AddressPolicy {
  allowPrivate: boolean;
  allowLoopback: boolean;
}

function list(entries: Array<[string, number | null, 'ipv4' | 'ipv6']>): BlockList {
  const b = new BlockList();
  for (const [addr, prefix, type] of entries) {
    if (prefix === null) b.addAddress(addr, type);
    else b.addSubnet(addr, prefix, type);
  }
  return b;
}

// Built once when the module loads.
const CLASSES: ReadonlyArray<[AddressClass, BlockList]> = [
  [
    'unspecified',
    list([
      ['0.0.0.0', 8, 'ipv4'],
      ['::', null, 'ipv6'],
    ]),
  ],
  [
    'metadata',
    list([
      ['169.254.169.254', null, 'ipv4'],
      ['100.100.100.200', null, 'ipv4'],
      ['fd00:ec2::254', null, 'ipv6'],
    ]),
  ],
  [
    'link-local',
    list([
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ]),
  ],
  [
    'reserved',
    list([
      ['224.0.0.0', 4, 'ipv4'],
      ['240.0.0.0', 4, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ]),
  ],
  [
    'loopback',
    list([
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', null, 'ipv6'],
    ]),
  ],
  [
    'private',
    list([
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ]),
  ],
];

function unmapV4(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1] : ip;
}

/** Class of an IP literal; a string that is not an IP address is `unspecified` (refused). */
export function classifyAddress(ip: string): AddressClass {
  const addr = unmapV4(ip.replace(/^\[|\]$/g, '').toLowerCase());
  const family = isIP(addr);
  if (family === 0) return 'unspecified';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [cls, blocks] of CLASSES) if (blocks.check(addr, type)) return cls;
  return 'public';
}

/** Error code of {@link AddressRefusedError}; the worker marks such a push dead at once. */
export const ADDRESS_REFUSED = 'SWIFTLET_ADDRESS_REFUSED';

/** A push destination the policy forbids. Retrying cannot help, so the push goes dead. */
export class AddressRefusedError extends Error {
  readonly code = ADDRESS_REFUSED;
  override readonly name = 'AddressRefusedError';
  constructor(
    readonly address: string,
    readonly addressClass: AddressClass,
    host?: string,
  ) {
    super(
      `push address refused: ${host && host !== address ? `${host} resolves to ` : ''}${address} (${addressClass}${
        addressClass === 'loopback' ? '; set webhooks.allowLoopback to allow' : ''
      }${addressClass === 'private' ? '; set webhooks.allowPrivate to allow' : ''})`,
    );
  }
}

/** True when `err` (or its `cause`) is an {@link AddressRefusedError}. */
export function isAddressRefused(err: unknown): err is AddressRefusedError {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 4;
    e = e.cause as typeof e, i++
  ) {
    if (e.code === ADDRESS_REFUSED) return true;
  }
  return false;
}

/** The refusal for `ip` under `policy`, or null when it may be connected to. */
export function checkAddress(ip: string, policy: AddressPolicy, host?: string): AddressRefusedError | null {
  const cls = classifyAddress(ip);
  if (cls === 'public') return null;
  if (cls === 'loopback' && policy.allowLoopback) return null;
  if (cls === 'private' && policy.allowPrivate) return null;
  return new AddressRefusedError(ip, cls, host);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A drop-in for `dns.lookup` to hand to `net.connect({ lookup })` (undici: `new Agent({ connect:
 * { lookup } })`). It resolves as usual, drops refused addresses and fails with
 * {@link AddressRefusedError} when none is left, so the socket only ever connects to an allowed IP.
 * `resolve` is injectable for tests (defaults to `dns.lookup`).
 */
export function guardedLookup(
  policy: AddressPolicy,
  resolve: typeof dnsLookup = dnsLookup,
): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
  return (hostname, options, callback) => {
    const all = options.all === true;
    resolve(
      hostname,
      { ...options, all: true },
      (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
        if (err) return callback(err, all ? [] : '', 0);
        let refusal: AddressRefusedError | null = null;
        const allowed = addresses.filter((a) => {
          const r = checkAddress(a.address, policy, hostname);
          refusal ??= r;
          return r === null;
        });
        if (allowed.length === 0) {
          const e = refusal ?? new AddressRefusedError(hostname, 'unspecified', hostname);
          return callback(e as unknown as NodeJS.ErrnoException, all ? [] : '', 0);
        }
        if (all) callback(null, allowed);
        else callback(null, allowed[0].address, allowed[0].family);
      },
    );
  };
}
