/**
 * Message-id normalisation, so the id from submit_sm_resp and the id in a delivery receipt
 * compare equal even when the SMSC writes them differently (leading zeros, letter case, a `0x`
 * prefix — and, when the connector says so, a different number base on each side: the SMPP 3.3
 * habit of hex in the response and decimal in the receipt text). Same idea as Kannel's
 * `msg-id-type`: the connector says how each side is written, both become one canonical key.
 *
 * The default (`auto`) never converts between bases. A heuristic that reads digits-only ids as
 * decimal and the rest as hex merges distinct ids of an SMSC whose ids are hex (`"10"` and `"a"`
 * both become 10), and a receipt would then finalise the wrong message — so base conversion is
 * only done when configured.
 */

/** Every `msgIdType` a connector accepts (config file, management API, console). */
export const MESSAGE_ID_MODES = ['auto', 'hex', 'decimal', 'string', 'hex-decimal', 'decimal-hex'] as const;

export type MessageIdMode =
  /**
   * Both sides written the same way, in whatever form: compared ignoring letter case, a `0x`
   * prefix and leading zeros (`"0001A"` = `"1a"` = `"0x1A"`), never converted between bases.
   */
  | 'auto'
  /** Both sides hexadecimal: compared by value. */
  | 'hex'
  /** Both sides decimal: compared by value. */
  | 'decimal'
  /** Exact: only surrounding whitespace is trimmed; case and leading zeros matter. */
  | 'string'
  /** submit_sm_resp (and the receipted_message_id TLV) hexadecimal, the receipt text's `id:` decimal. */
  | 'hex-decimal'
  /** submit_sm_resp (and the receipted_message_id TLV) decimal, the receipt text's `id:` hexadecimal. */
  | 'decimal-hex';

/**
 * Where an id was read. SMPP 3.4 §5.3.2.12: the receipted_message_id TLV repeats the id as the
 * submit_sm_resp gave it, so a TLV id is read like a `submit` id; only the text's `id:` can differ.
 */
export type MessageIdSide = 'submit' | 'receipt-text';

const DEC = /^[0-9]+$/;
const HEX = /^(?:0x)?([0-9a-f]+)$/i;

function baseOf(mode: MessageIdMode, side: MessageIdSide): 'hex' | 'decimal' | null {
  switch (mode) {
    case 'hex':
    case 'decimal':
      return mode;
    case 'hex-decimal':
      return side === 'submit' ? 'hex' : 'decimal';
    case 'decimal-hex':
      return side === 'submit' ? 'decimal' : 'hex';
    default:
      return null;
  }
}

/**
 * Canonical key for `id` read according to `mode` on `side` (see `MessageIdMode`). An id read as
 * a number becomes its decimal value (`"0001A"` hex → `"26"`); an id that is not a number in the
 * configured base falls back to the lower-cased string. Never throws.
 */
export function normalizeMessageId(
  id: string,
  mode: MessageIdMode = 'auto',
  side: MessageIdSide = 'submit',
): string {
  const s = id.trim();
  if (mode === 'string' || s === '') return s;
  const base = baseOf(mode, side);
  if (base === 'decimal' && DEC.test(s)) return BigInt(s).toString(10);
  const hex = HEX.exec(s);
  if (base === 'hex' && hex) return BigInt(`0x${hex[1]}`).toString(10);
  if (base === null && hex) return hex[1].toLowerCase().replace(/^0+(?=.)/, '');
  return s.toLowerCase();
}
