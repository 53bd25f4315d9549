/**
 * Turns a text into the submit_sm parts of ONE message: picks the data_coding, splits, and
 * marks concatenation the way the connector asks (UDH 8/16-bit, SAR TLVs, or one
 * message_payload). Splitting is `segmentText`'s (src/domain), so billing counts and wire
 * parts always agree.
 */
import { encodeUcs2 } from '../domain/encoding.js';
import { encodeGsm7, packSeptets } from '../domain/gsm7.js';
import { type ConcatMode, segmentText } from '../domain/segments.js';
import type { SubmitSmFields } from './pdu-types.js';
import { octetsTlv, type Tlv, TlvTag, uintTlv } from './tlv.js';
import { concatUdh, ESM_CLASS_UDHI, gsm7FillBits } from './udh.js';

/** SMPP data_coding values we send. */
export const DataCoding = { SMSC_DEFAULT: 0, IA5: 1, BINARY: 2, LATIN1: 3, BINARY_4: 4, UCS2: 8 } as const;

/** Which alphabet to use. */
export type TextEncodingPolicy =
  /** GSM-7 (data_coding 0) when every character fits, else UCS-2 (8). The default. */
  | 'auto'
  /** Always UCS-2. */
  | 'ucs2'
  /** Latin-1 (data_coding 3) when every character is ≤ U+00FF, else UCS-2: only for SMSCs that ask. */
  | 'latin1';

export interface ShortMessageOptions {
  /** How parts are tied together; default `udh8` (most widely supported). */
  concat?: ConcatMode;
  /** Alphabet policy; default `auto`. */
  encoding?: TextEncodingPolicy;
  /**
   * Pack GSM-7 septets 8-in-7 on the wire. Default false: SMPP's data_coding 0 is normally
   * one septet per octet, and most SMSCs pack themselves.
   */
  gsm7Packed?: boolean;
  /** Concatenation reference (8 or 16 bit, or SAR's 16 bit); default random. */
  reference?: number;
}

export interface ShortMessageParts {
  encoding: 'GSM7' | 'UCS2' | 'LATIN1';
  data_coding: number;
  /** The text of each part (what the handset shows for it). */
  segments: string[];
  /** Ready-to-merge fields per part: esm_class (UDHI bit only), data_coding, short_message, tlvs. */
  parts: Array<Required<Pick<SubmitSmFields, 'esm_class' | 'data_coding' | 'short_message' | 'tlvs'>>>;
}

const LATIN1_SINGLE = 140;
const LATIN1_PART: Record<ConcatMode, number> = { udh8: 134, udh16: 133, sar: 134, payload: 134 };
const NOT_LATIN1 = /[\u0100-\uffff]/;

function splitLatin1(text: string, concat: ConcatMode): string[] {
  if (text.length <= LATIN1_SINGLE || concat === 'payload') return [text];
  const n = LATIN1_PART[concat];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

function encodeSegment(
  seg: string,
  enc: ShortMessageParts['encoding'],
  packed: boolean,
  udh: Buffer | null,
): Buffer {
  if (enc === 'UCS2') return udh ? Buffer.concat([udh, encodeUcs2(seg)]) : encodeUcs2(seg);
  if (enc === 'LATIN1') {
    const b = Buffer.from(seg, 'latin1');
    return udh ? Buffer.concat([udh, b]) : b;
  }
  let septets = encodeGsm7(seg) as Uint8Array;
  if (!packed) return udh ? Buffer.concat([udh, septets]) : Buffer.from(septets);
  const fill = udh ? gsm7FillBits(udh.length) : 0;
  // 3GPP TS 23.038 §6.1.2.3.1: when 7 spare bits remain in the last octet, pad with CR so the
  // receiver does not read an extra '@'.
  if ((fill + septets.length * 7) % 8 === 1) septets = Uint8Array.from([...septets, 0x0d]);
  const body = Buffer.from(packSeptets(septets, fill));
  return udh ? Buffer.concat([udh, body]) : body;
}

/**
 * Builds the parts for `text`. One part when it fits in one SMS (no UDH, no SAR); with
 * `concat: 'payload'` always one part whose text sits in `message_payload` (short_message
 * empty).
 */
export function buildShortMessageParts(text: string, opts: ShortMessageOptions = {}): ShortMessageParts {
  const concat = opts.concat ?? 'udh8';
  const policy = opts.encoding ?? 'auto';
  let encoding: ShortMessageParts['encoding'];
  let segments: string[];
  if (policy === 'latin1' && !NOT_LATIN1.test(text)) {
    encoding = 'LATIN1';
    segments = splitLatin1(text, concat);
  } else {
    const s = segmentText(text, { concat, encoding: policy === 'auto' ? undefined : 'UCS2' });
    encoding = s.encoding;
    segments = concat === 'payload' ? [text] : s.segments;
  }
  const data_coding =
    encoding === 'UCS2'
      ? DataCoding.UCS2
      : encoding === 'LATIN1'
        ? DataCoding.LATIN1
        : DataCoding.SMSC_DEFAULT;
  const packed = opts.gsm7Packed === true;
  const total = segments.length;
  const refBits = concat === 'udh16' || concat === 'sar' ? 16 : 8;
  const ref = (opts.reference ?? Math.floor(Math.random() * 0x10000)) & (refBits === 8 ? 0xff : 0xffff);

  if (concat === 'payload') {
    return {
      encoding,
      data_coding,
      segments,
      parts: [
        {
          esm_class: 0,
          data_coding,
          short_message: Buffer.alloc(0),
          tlvs: [octetsTlv(TlvTag.message_payload, encodeSegment(text, encoding, packed, null))],
        },
      ],
    };
  }
  const parts = segments.map((seg, i) => {
    const multi = total > 1;
    const useUdh = multi && (concat === 'udh8' || concat === 'udh16');
    const udh = useUdh ? concatUdh(ref, total, i + 1, refBits) : null;
    const tlvs: Tlv[] =
      multi && concat === 'sar'
        ? [
            uintTlv(TlvTag.sar_msg_ref_num, ref, 2),
            uintTlv(TlvTag.sar_total_segments, total, 1),
            uintTlv(TlvTag.sar_segment_seqnum, i + 1, 1),
          ]
        : [];
    return {
      esm_class: useUdh ? ESM_CLASS_UDHI : 0,
      data_coding,
      short_message: encodeSegment(seg, encoding, packed, udh),
      tlvs,
    };
  });
  return { encoding, data_coding, segments, parts };
}

/**
 * Convenience: the full submit_sm field sets for one message, each part = `base` + its
 * encoded fields. `esm_class` is `base.esm_class | UDHI` where a UDH is present; `tlvs` are
 * base TLVs followed by the part's.
 */
export function buildSubmitSmParts(
  base: SubmitSmFields,
  text: string,
  opts: ShortMessageOptions = {},
): SubmitSmFields[] {
  return buildShortMessageParts(text, opts).parts.map((p) => ({
    ...base,
    esm_class: (base.esm_class ?? 0) | p.esm_class,
    data_coding: p.data_coding,
    short_message: p.short_message,
    tlvs: [...(base.tlvs ?? []), ...p.tlvs],
  }));
}
