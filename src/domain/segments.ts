import { chooseEncoding, type SmsEncoding } from './encoding.js';
import { isGsm7Extension } from './gsm7.js';

/**
 * How a long message is carried over SMPP:
 * - `udh8`: concatenation UDH with an 8-bit reference (6 octets) — the default, most widely supported.
 * - `udh16`: concatenation UDH with a 16-bit reference (7 octets) — one septet/unit less per part.
 * - `sar`: SMPP `sar_*` TLVs, no UDH in the payload.
 * - `payload`: the whole text in one `message_payload` TLV; the SMSC splits it.
 */
export type ConcatMode = 'udh8' | 'udh16' | 'sar' | 'payload';

/** Single-message capacity: 160 septets (GSM-7) / 70 UTF-16 units (UCS-2). */
export const SINGLE_LIMIT: Readonly<Record<SmsEncoding, number>> = { GSM7: 160, UCS2: 70 };

/**
 * Per-part capacity of a multi-part message, by concat mode. `sar` and `payload` carry no UDH,
 * so strictly they could fit 160/70 per part; we keep the UDH-sized split (153/67) anyway because
 * (a) it is what Huawei bills (§11: 67/153 per segment) so `total` matches the API contract, and
 * (b) many SMSCs convert SAR/payload to UDH downstream, and our split must still fit then.
 */
export const PART_LIMIT: Readonly<Record<ConcatMode, Readonly<Record<SmsEncoding, number>>>> = {
  udh8: { GSM7: 153, UCS2: 67 },
  udh16: { GSM7: 152, UCS2: 66 },
  sar: { GSM7: 153, UCS2: 67 },
  payload: { GSM7: 153, UCS2: 67 },
};

export interface SegmentedText {
  encoding: SmsEncoding;
  /** Substrings of the input, in order; `segments.join('') === text`. Empty text → one empty segment. */
  segments: string[];
  /** `segments.length` — the billing count Huawei returns as `total`. */
  total: number;
  /** Characters that forced UCS-2 (see {@link chooseEncoding}). */
  forcedUcs2: string[];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Split `text` into SMS segments.
 *
 * Encoding is chosen automatically unless `opts.encoding` forces one (forcing GSM7 on text that
 * is not GSM-7 falls back to UCS2, since it could not be sent). Concat mode defaults to `udh8`.
 * Costs: GSM-7 counts septets (extension characters 2), UCS-2 counts UTF-16 units (an astral
 * character is 2 units). A segment never ends between an escape pair or a surrogate pair.
 */
export function segmentText(
  text: string,
  opts: { concat?: ConcatMode; encoding?: SmsEncoding } = {},
): SegmentedText {
  const chosen = chooseEncoding(text);
  const encoding: SmsEncoding = opts.encoding === 'UCS2' ? 'UCS2' : chosen.encoding;
  const forcedUcs2 = chosen.forcedUcs2;
  const concat = opts.concat ?? 'udh8';

  const costAt = (i: number): { cost: number; width: number } => {
    if (encoding === 'GSM7') return { cost: isGsm7Extension(text[i]) ? 2 : 1, width: 1 };
    // A high surrogate followed by a low one is one character of 2 units; keep it together.
    if (isHighSurrogate(text.charCodeAt(i)) && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) return { cost: 2, width: 2 };
    }
    return { cost: 1, width: 1 };
  };

  let totalCost = 0;
  for (let i = 0; i < text.length; ) {
    const { cost, width } = costAt(i);
    totalCost += cost;
    i += width;
  }
  if (totalCost <= SINGLE_LIMIT[encoding]) {
    return { encoding, segments: [text], total: 1, forcedUcs2 };
  }

  const limit = PART_LIMIT[concat][encoding];
  const segments: string[] = [];
  let start = 0;
  let used = 0;
  for (let i = 0; i < text.length; ) {
    const { cost, width } = costAt(i);
    if (used + cost > limit) {
      segments.push(text.slice(start, i));
      start = i;
      used = 0;
    }
    used += cost;
    i += width;
  }
  segments.push(text.slice(start));
  return { encoding, segments, total: segments.length, forcedUcs2 };
}

/** Number of billing segments for `text` with automatic encoding and `udh8` concatenation. */
export function countSegments(text: string): number {
  return segmentText(text).total;
}
