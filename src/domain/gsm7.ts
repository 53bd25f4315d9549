/**
 * GSM 03.38 (3GPP TS 23.038) 7-bit default alphabet and its extension table.
 *
 * "Septets" here are unpacked: one septet per byte, values 0x00..0x7F. An extension character is
 * two septets, the escape 0x1B followed by its code in the extension table. Packing into octets
 * (what goes on the air, and what some SMSCs want in `short_message`) is done separately by
 * {@link packSeptets} / {@link unpackSeptets}.
 */

/** The escape septet that introduces a character from the extension table. */
export const GSM7_ESCAPE = 0x1b;

/**
 * Basic table, indexed by septet value. Index 0x1B is the escape and maps to no character
 * (written as NUL here and never looked up as a character). Index 0x09 is the capital C with
 * cedilla; 3GPP fixed it as 'Ç' although some early tables show 'ç'.
 */
// biome-ignore format: one row of the table per line, 16 septets each
const BASIC_TABLE: readonly string[] = [
  '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
  'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u0000', 'Æ', 'æ', 'ß', 'É',
  ' ', '!', '"', '#', '¤', '%', '&', "'", '(', ')', '*', '+', ',', '-', '.', '/',
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
  '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
  'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
  '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
  'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];

/**
 * Extension table (characters reached through 0x1B). Only the printable entries of the default
 * extension table are listed; 0x0D (CR2) and 0x1B (SS2) are control codes with no character.
 */
const EXTENSION_ENTRIES: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

const BASIC_CODE = new Map<string, number>();
BASIC_TABLE.forEach((ch, code) => {
  if (code !== GSM7_ESCAPE) BASIC_CODE.set(ch, code);
});
const EXTENSION_CODE = new Map<string, number>(EXTENSION_ENTRIES.map(([code, ch]) => [ch, code]));
const EXTENSION_CHAR = new Map<number, string>(EXTENSION_ENTRIES);

/** True when `ch` (one character) is in the GSM-7 basic table or the extension table. */
export function isGsm7Char(ch: string): boolean {
  return BASIC_CODE.has(ch) || EXTENSION_CODE.has(ch);
}

/** True when `ch` is in the extension table, i.e. costs two septets (escape + code). */
export function isGsm7Extension(ch: string): boolean {
  return EXTENSION_CODE.has(ch);
}

/**
 * Number of septets `text` needs in GSM-7 (extension characters count 2), or null when any
 * character is not representable. Iterates by UTF-16 unit: a surrogate is never GSM-7, so
 * astral characters correctly make the result null.
 */
export function gsm7Length(text: string): number | null {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (BASIC_CODE.has(ch)) n += 1;
    else if (EXTENSION_CODE.has(ch)) n += 2;
    else return null;
  }
  return n;
}

/**
 * Encode `text` to unpacked septets (one per byte); extension characters become 0x1B + code.
 * Returns null when any character is not representable in GSM-7.
 */
export function encodeGsm7(text: string): Uint8Array | null {
  const len = gsm7Length(text);
  if (len === null) return null;
  const out = new Uint8Array(len);
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const basic = BASIC_CODE.get(ch);
    if (basic !== undefined) {
      out[j++] = basic;
    } else {
      out[j++] = GSM7_ESCAPE;
      out[j++] = EXTENSION_CODE.get(ch) as number;
    }
  }
  return out;
}

/**
 * Decode unpacked septets to text. Lenient on purpose (it reads what handsets and SMSCs send):
 * an escape followed by a code with no extension character yields the basic character for that
 * code (the fallback 3GPP TS 23.038 prescribes); a trailing lone 0x1B is dropped; the high bit of
 * each byte is ignored.
 */
export function decodeGsm7(septets: Uint8Array): string {
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i] & 0x7f;
    if (s === GSM7_ESCAPE) {
      if (i + 1 >= septets.length) break;
      const next = septets[++i] & 0x7f;
      const ext = EXTENSION_CHAR.get(next);
      if (ext !== undefined) out += ext;
      else if (next !== GSM7_ESCAPE) out += BASIC_TABLE[next];
      // ESC ESC (SS2 / reserved) has no character; skip it.
    } else {
      out += BASIC_TABLE[s];
    }
  }
  return out;
}

/**
 * Pack septets into octets, least significant bit first (3GPP TS 23.038 §6.1.2.1.1).
 *
 * `paddingBits` (default 0) is the number of zero fill bits placed before the first septet so that
 * it starts on a septet boundary after a UDH: for a UDH of `n` octets the fill is
 * `(7 - (n * 8) % 7) % 7` bits: 1 for the 6-octet 8-bit-reference concatenation UDH, 0 for the
 * 7-octet 16-bit-reference one.
 * The fill bits occupy the low bits of the first output octet.
 */
export function packSeptets(septets: Uint8Array, paddingBits = 0): Uint8Array {
  const totalBits = paddingBits + septets.length * 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  let bit = paddingBits;
  for (const raw of septets) {
    const s = raw & 0x7f;
    const byte = bit >> 3;
    const shift = bit & 7;
    out[byte] |= (s << shift) & 0xff;
    if (shift > 1) out[byte + 1] |= s >> (8 - shift);
    bit += 7;
  }
  return out;
}

/**
 * Unpack `septetCount` septets from packed octets (inverse of {@link packSeptets}), skipping
 * `paddingBits` leading fill bits (default 0). Septets beyond the available data read as 0.
 */
export function unpackSeptets(bytes: Uint8Array, septetCount: number, paddingBits = 0): Uint8Array {
  const out = new Uint8Array(septetCount);
  let bit = paddingBits;
  for (let i = 0; i < septetCount; i++) {
    const byte = bit >> 3;
    const shift = bit & 7;
    let v = (bytes[byte] ?? 0) >> shift;
    if (shift > 1) v |= (bytes[byte + 1] ?? 0) << (8 - shift);
    out[i] = v & 0x7f;
    bit += 7;
  }
  return out;
}
