/**
 * Message-id normalisation, so the id from submit_sm_resp and the id in a delivery receipt
 * compare equal even when the SMSC writes them differently (SMPP 3.3 habit: decimal in the
 * receipt text, hex in the response; leading zeros; letter case). Same idea as Kannel's
 * `msg-id-type`: the connector says how each side is written, both are turned into one
 * canonical key.
 *
 * Canonical key: for an id read as a number, its DECIMAL value without leading zeros
 * (`"0001A"` hex → `"26"`, `"026"` decimal → `"26"`); otherwise the trimmed id lower-cased.
 */
export type MessageIdMode =
  /**
   * Digits only → decimal; else hex digits only → hex; else lower-cased string. A heuristic:
   * right when both sides use the same form, or when a hex id contains a letter. A hex id
   * made only of digits (`"12345"`) is read as decimal, so when an SMSC mixes hex responses
   * and decimal receipts, configure `hex` / `decimal` per side instead.
   */
  | 'auto'
  /** Read as hexadecimal (case-insensitive, optional `0x`); non-hex falls back to lower-cased string. */
  | 'hex'
  /** Read as decimal; non-decimal falls back to lower-cased string. */
  | 'decimal'
  /** Exact: only surrounding whitespace is trimmed; case and leading zeros matter. */
  | 'string';

const DEC = /^[0-9]+$/;
const HEX = /^(?:0x)?([0-9a-f]+)$/i;

/** Canonical key for `id` read according to `mode` (see `MessageIdMode`). Never throws. */
export function normalizeMessageId(id: string, mode: MessageIdMode = 'auto'): string {
  const s = id.trim();
  if (mode === 'string') return s;
  if (s === '') return s;
  if ((mode === 'decimal' || mode === 'auto') && DEC.test(s)) return BigInt(s).toString(10);
  if (mode === 'hex' || mode === 'auto') {
    const m = HEX.exec(s);
    if (m) return BigInt(`0x${m[1]}`).toString(10);
  }
  return s.toLowerCase();
}
