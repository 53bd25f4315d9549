/**
 * Turning SpreadsheetML cell values into the text a CSV of the same sheet would hold.
 */

/** Largest column: XFD = 16,384 (Excel's limit). A larger reference means a broken file. */
export const MAX_COLUMNS = 16_384;

/**
 * Zero-based column index of a cell reference (`"B2"` → 1, `"AA10"` → 26), or -1 when the
 * reference has no column letters or is beyond {@link MAX_COLUMNS}.
 */
export function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower-case
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
    if (n > MAX_COLUMNS) return -1;
  }
  return i === 0 ? -1 : n - 1;
}

/**
 * The plain decimal text of a numeric cell value, exactly, without going through a float:
 * `"8613800000001"` stays as is, `"8.6138E+12"` → `"8613800000000"`, `"1.5E-3"` → `"0.0015"`,
 * `"123.0"` → `"123"`. Anything that is not a decimal number (or has an exponent beyond ±30) is
 * returned unchanged.
 *
 * Why: numbers typed into Excel are stored as numeric cells, and the writer may use exponent form;
 * turning that into a phone number must not round. (What Excel itself already lost — digits past
 * the 15th, a leading `+` or `0` — cannot come back; docs/console.md tells users to use text cells.)
 */
export function numericCellText(v: string): string {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,3}))?$/.exec(v);
  if (!m || (m[2] === '' && !m[3])) return v;
  const exp = Number(m[4] ?? 0);
  if (Math.abs(exp) > 30) return v;
  let digits = m[2] + (m[3] ?? '');
  let point = m[2].length + exp;
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  let out: string;
  if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return m[1] === '-' ? `-${out}` : out;
}

/** Decodes OOXML's `_xHHHH_` escapes (how Excel stores control characters such as CR in strings). */
export function decodeOoxmlEscapes(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_all, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * A copy of `s` that shares no memory with the chunk it was cut from. V8 makes substrings of 13+
 * characters "sliced strings" that keep their whole parent alive; a shared-string table built from
 * slices would pin every chunk of `sharedStrings.xml`, i.e. the whole uncompressed part.
 */
export function detachString(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
