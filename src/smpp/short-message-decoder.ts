/**
 * Reads the text out of an incoming deliver_sm / data_sm / submit_sm: strips the UDH,
 * prefers `message_payload` when present, decodes by data_coding, and reports the
 * concatenation info (UDH or SAR) so `Reassembler` can join parts.
 */
import { decodeUcs2 } from '../domain/encoding.js';
import { decodeGsm7, unpackSeptets } from '../domain/gsm7.js';
import { findTlv, type Tlv, TlvTag, tlvUint } from './tlv.js';
import { type ConcatInfo, ESM_CLASS_UDHI, gsm7FillBits, parseUdh } from './udh.js';

/** How the payload octets are to be read. */
export type PayloadAlphabet = 'GSM7' | 'GSM7_PACKED' | 'ASCII' | 'LATIN1' | 'UCS2' | 'BINARY';

export interface DecodedShortMessage {
  alphabet: PayloadAlphabet;
  /** Decoded text ('' for BINARY). */
  text: string;
  /**
   * Payload after the UDH in the unit `Reassembler` concatenates: septets for GSM-7 (so an
   * escape split across parts still joins), raw octets otherwise.
   */
  units: Buffer;
  concat?: ConcatInfo;
  ports?: { source: number; destination: number };
  /** UDH bytes (including UDHL) when present. */
  udh?: Buffer;
}

export interface DecodeShortMessageOptions {
  /** Treat data_coding 0 as packed GSM-7 (some SMSCs send it packed). Default false. */
  gsm7Packed?: boolean;
}

/** Alphabet for an SMPP data_coding value (SMPP 3.4 §5.2.19 plus the GSM 03.38 groups). */
export function alphabetOf(dataCoding: number, gsm7Packed = false): PayloadAlphabet {
  switch (dataCoding) {
    case 0:
      return gsm7Packed ? 'GSM7_PACKED' : 'GSM7';
    case 1:
      return 'ASCII';
    case 3:
      return 'LATIN1';
    case 8:
      return 'UCS2';
    case 2:
    case 4:
      return 'BINARY';
  }
  if ((dataCoding & 0xf0) === 0xf0) return dataCoding & 0x04 ? 'BINARY' : gsm7Packed ? 'GSM7_PACKED' : 'GSM7';
  if ((dataCoding & 0xc0) === 0x00) {
    // GSM general data coding group: bits 3-2 select the alphabet.
    const a = (dataCoding >> 2) & 0x03;
    return a === 2 ? 'UCS2' : a === 1 ? 'BINARY' : gsm7Packed ? 'GSM7_PACKED' : 'GSM7';
  }
  return 'BINARY';
}

/** Decodes payload units of an alphabet to text. */
export function unitsToText(alphabet: PayloadAlphabet, units: Buffer): string {
  switch (alphabet) {
    case 'GSM7':
    case 'GSM7_PACKED':
      return decodeGsm7(units);
    case 'UCS2':
      return decodeUcs2(units);
    case 'ASCII':
    case 'LATIN1':
      return units.toString('latin1');
    case 'BINARY':
      return '';
  }
}

/** Decodes `short_message` (or `message_payload`) of an incoming PDU. Never throws. */
export function decodeShortMessage(
  pdu: { esm_class: number; data_coding: number; short_message?: Buffer; tlvs: readonly Tlv[] },
  opts: DecodeShortMessageOptions = {},
): DecodedShortMessage {
  const payload = findTlv(pdu.tlvs, TlvTag.message_payload)?.value;
  const raw = payload && payload.length > 0 ? payload : (pdu.short_message ?? Buffer.alloc(0));
  const alphabet = alphabetOf(pdu.data_coding, opts.gsm7Packed);
  const out: DecodedShortMessage = { alphabet, text: '', units: raw };
  let body = raw;
  let udhLen = 0;
  if (pdu.esm_class & ESM_CLASS_UDHI) {
    const udh = parseUdh(raw);
    if (udh) {
      udhLen = udh.length;
      out.udh = raw.subarray(0, udh.length);
      body = raw.subarray(udh.length);
      if (udh.concat) out.concat = udh.concat;
      if (udh.ports) out.ports = udh.ports;
    }
  }
  if (!out.concat) {
    const total = tlvUint(pdu.tlvs, TlvTag.sar_total_segments);
    const seq = tlvUint(pdu.tlvs, TlvTag.sar_segment_seqnum);
    const ref = tlvUint(pdu.tlvs, TlvTag.sar_msg_ref_num);
    if (total !== undefined && seq !== undefined && ref !== undefined && total > 0)
      out.concat = { ref, total, seq, refBits: 16 };
  }
  if (alphabet === 'GSM7_PACKED') {
    const fill = udhLen ? gsm7FillBits(udhLen) : 0;
    const count = Math.floor((body.length * 8 - fill) / 7);
    let septets = unpackSeptets(body, count, fill);
    // Trailing CR in the last 7 spare bits is padding (see the builder).
    if (
      (fill + count * 7) % 8 === 0 &&
      count > 0 &&
      septets[count - 1] === 0x0d &&
      (body.length * 8 - fill) % 7 === 0
    ) {
      septets = septets.subarray(0, count - 1);
    }
    out.units = Buffer.from(septets.buffer, septets.byteOffset, septets.length);
  } else {
    out.units = body;
  }
  out.text = unitsToText(alphabet, out.units);
  return out;
}
