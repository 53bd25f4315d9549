import { BlockList, isIP } from 'node:net';

/**
 * Per-application caller IP whitelist (spec §12, violation → E000620). Entries are single
 * addresses or CIDR blocks, IPv4 or IPv6.
 */

/** `::ffff:1.2.3.4` → `1.2.3.4`; anything else unchanged. Node reports IPv4 peers this way on dual-stack sockets. */
function unmapV4(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1] : ip;
}

function normalizeEntry(raw: string): string | null {
  const [addrRaw, prefix, extra] = raw.split('/');
  if (extra !== undefined) return null;
  const addr = unmapV4(addrRaw.toLowerCase());
  const family = isIP(addr);
  if (family === 0) return null;
  if (prefix === undefined) return addr;
  if (!/^[0-9]{1,3}$/.test(prefix)) return null;
  const bits = Number(prefix);
  // A mapped address given with a v6 prefix (::ffff:10.0.0.0/104) keeps its meaning as v4 bits.
  const mapped = addr !== addrRaw.toLowerCase();
  const v4bits = mapped ? bits - 96 : bits;
  if (family === 4) return v4bits >= 0 && v4bits <= 32 ? `${addr}/${v4bits}` : null;
  return bits <= 128 ? `${addr}/${bits}` : null;
}

/**
 * Parse an allow-list. A string is split on commas, semicolons and whitespace (so one per line
 * works); an array is taken item by item (items are trimmed, empty items skipped). Entries are
 * normalised: lower-case IPv6, IPv4-mapped IPv6 turned into IPv4, duplicates removed.
 */
export function parseAllowList(
  input: string | string[],
): { ok: true; entries: string[] } | { ok: false; reason: string } {
  const items = (typeof input === 'string' ? input.split(/[\s,;]+/) : input.map((s) => s.trim())).filter(
    (s) => s !== '',
  );
  const entries: string[] = [];
  for (const item of items) {
    const e = normalizeEntry(item);
    if (e === null) return { ok: false, reason: `invalid IP address or CIDR block: ${item}` };
    if (!entries.includes(e)) entries.push(e);
  }
  return { ok: true, entries };
}

const cache = new WeakMap<string[], BlockList>();

function toBlockList(entries: string[]): BlockList {
  let list = cache.get(entries);
  if (list) return list;
  list = new BlockList();
  for (const e of entries) {
    const norm = normalizeEntry(e);
    if (norm === null) continue; // Unparsable stored entries match nothing.
    const [addr, prefix] = norm.split('/');
    const type = isIP(addr) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  cache.set(entries, list);
  return list;
}

/**
 * True when `ip` may call. An empty list allows everyone (the whitelist is optional). `ip` may be
 * IPv4, IPv6 or IPv4-mapped IPv6; an unparsable `ip` is refused when the list is non-empty.
 * Entries are expected from {@link parseAllowList}; the compiled form is cached per array, so
 * pass the same (unmutated) array on every request.
 */
export function isIpAllowed(ip: string, entries: string[]): boolean {
  if (entries.length === 0) return true;
  const addr = unmapV4(ip.trim().toLowerCase());
  const family = isIP(addr);
  if (family === 0) return false;
  return toBlockList(entries).check(addr, family === 4 ? 'ipv4' : 'ipv6');
}
