/**
 * User Data Header (3GPP TS 23.040 §9.2.3.24) for concatenated SMS and application ports.
 * Only the information elements SMPP gateways need are interpreted; others are kept raw.
 */

/** esm_class bit 6: short_message starts with a UDH. */
export const ESM_CLASS_UDHI = 0x40;
/** IEI 0x00: concatenation, 8-bit reference (`05 00 03 ref total seq`, 6 octets with UDHL). */
export const IEI_CONCAT_8 = 0x00;
/** IEI 0x08: concatenation, 16-bit reference (`06 08 04 refH refL total seq`, 7 octets). */
export const IEI_CONCAT_16 = 0x08;
/** IEI 0x05: application port addressing, 16-bit ports. */
export const IEI_PORTS_16 = 0x05;

export interface ConcatInfo {
  /** Reference shared by all parts (8- or 16-bit). */
  ref: number;
  total: number;
  /** 1-based part number. */
  seq: number;
  /** Width of the reference on the wire. */
  refBits: 8 | 16;
}

export interface ParsedUdh {
  /** Whole UDH including its length octet. */
  length: number;
  concat?: ConcatInfo;
  ports?: { source: number; destination: number };
  /** Every IE in order, raw (includes the ones above). */
  elements: Array<{ iei: number; data: Buffer }>;
}

/** Builds a concatenation UDH (including the UDHL octet). */
export function concatUdh(ref: number, total: number, seq: number, refBits: 8 | 16 = 8): Buffer {
  return refBits === 8
    ? Buffer.from([0x05, IEI_CONCAT_8, 0x03, ref & 0xff, total, seq])
    : Buffer.from([0x06, IEI_CONCAT_16, 0x04, (ref >> 8) & 0xff, ref & 0xff, total, seq]);
}

/**
 * Parses the UDH at the start of `sm`. Returns `undefined` when it is malformed (UDHL past
 * the end, an IE overrunning the header): the caller then treats the payload as having no UDH.
 */
export function parseUdh(sm: Buffer): ParsedUdh | undefined {
  if (sm.length === 0) return undefined;
  const udhl = sm[0];
  if (udhl + 1 > sm.length) return undefined;
  const out: ParsedUdh = { length: udhl + 1, elements: [] };
  let pos = 1;
  const end = udhl + 1;
  while (pos < end) {
    if (pos + 2 > end) return undefined;
    const iei = sm[pos];
    const len = sm[pos + 1];
    if (pos + 2 + len > end) return undefined;
    const data = sm.subarray(pos + 2, pos + 2 + len);
    out.elements.push({ iei, data });
    if (iei === IEI_CONCAT_8 && len === 3 && data[1] > 0) {
      out.concat = { ref: data[0], total: data[1], seq: data[2], refBits: 8 };
    } else if (iei === IEI_CONCAT_16 && len === 4 && data[2] > 0) {
      out.concat = { ref: data.readUInt16BE(0), total: data[2], seq: data[3], refBits: 16 };
    } else if (iei === IEI_PORTS_16 && len === 4) {
      out.ports = { destination: data.readUInt16BE(0), source: data.readUInt16BE(2) };
    }
    pos += 2 + len;
  }
  return out;
}

/** Fill bits needed after a UDH of `udhLength` octets so GSM-7 septets start on a boundary. */
export function gsm7FillBits(udhLength: number): number {
  return (7 - ((udhLength * 8) % 7)) % 7;
}
