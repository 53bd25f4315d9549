import { isGsm7Char } from './gsm7.js';

/** The two data codings Swiftlet sends: GSM 03.38 default alphabet, or UCS-2 (UTF-16BE on the wire). */
export type SmsEncoding = 'GSM7' | 'UCS2';

/**
 * Pick the encoding for `text`: GSM-7 when every character is in the GSM-7 basic or extension
 * table, else UCS-2. `forcedUcs2` lists the distinct characters that forced UCS-2, in order of
 * first appearance (whole code points, so an emoji is reported once, not as two surrogates) —
 * useful for telling a caller why their message costs more segments.
 */
export function chooseEncoding(text: string): { encoding: SmsEncoding; forcedUcs2: string[] } {
  const seen = new Set<string>();
  const forcedUcs2: string[] = [];
  for (const ch of text) {
    if (!isGsm7Char(ch) && !seen.has(ch)) {
      seen.add(ch);
      forcedUcs2.push(ch);
    }
  }
  return { encoding: forcedUcs2.length === 0 ? 'GSM7' : 'UCS2', forcedUcs2 };
}

/**
 * Encode `text` as UCS-2 the way SMSCs expect it: UTF-16 big-endian, 2 bytes per UTF-16 unit.
 * Characters outside the BMP keep their surrogate pair (4 bytes); strict UCS-2 cannot express
 * them, but every modern handset decodes the pair as UTF-16.
 */
export function encodeUcs2(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 2);
  for (let i = 0; i < text.length; i++) out.writeUInt16BE(text.charCodeAt(i), i * 2);
  return out;
}

/** Decode UTF-16BE bytes to text. A trailing odd byte (malformed input) is ignored. */
export function decodeUcs2(buf: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i + 1 < buf.length; i += 2) units.push((buf[i] << 8) | buf[i + 1]);
  let out = '';
  // Chunked to stay under the engine's argument-count limit for very long payloads.
  for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}
