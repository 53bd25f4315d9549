/**
 * Strict `application/x-www-form-urlencoded` parsing for the send API. `URLSearchParams` silently
 * keeps a malformed escape such as `%zz` as text; MSGSMS answers a body it cannot decode with
 * `E000000`, so this parser reports it instead. `+` is a space, as in HTML forms — except for the
 * tolerance below.
 *
 * Tolerance for an unencoded plus sign (`opts.plusSignFields`, the send API passes `to`): clients
 * that build the body by hand often send `to=+8615100000001,+8615200000002`. Decoded strictly,
 * each `+` becomes a space, the item is trimmed to `8615100000001`, `+86` is prepended and the
 * number fails with a baffling `E200031`. In the listed fields, a raw `+` directly followed by a
 * digit at the start of the raw value or right after a raw `,` is read as a plus sign. Standard
 * encoders (URLSearchParams, Node's querystring, Python's urlencode, Java's URLEncoder) encode
 * `+` as `%2B` and `,` as `%2C`, so in their output a raw `+` right after a raw `,` never occurs.
 * The one reading that changes for them is a value that truly begins with a space followed by a
 * digit (encoded `+1…`): that leading space is now a plus sign.
 */

/** Options of {@link parseForm}. */
export interface ParseFormOptions {
  /** Field names (decoded) where an unencoded leading `+` before a digit means `+`. Default none. */
  plusSignFields?: ReadonlySet<string>;
}

/** A raw `+` before a digit at the start of a raw value or right after a raw `,`. */
const RAW_PLUS_SIGN = /(^|,)\+(?=[0-9])/g;

/**
 * Parse a form body into its fields (first occurrence of a repeated name wins, the way a
 * single-valued API reads it). Returns `null` when an escape is malformed or the bytes are not
 * valid UTF-8.
 */
export function parseForm(body: Buffer, opts: ParseFormOptions = {}): Record<string, string> | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return null;
  }
  const plusSignFields = opts.plusSignFields;
  const out: Record<string, string> = Object.create(null);
  if (text === '') return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      if (plusSignFields?.has(name)) rawValue = rawValue.replace(RAW_PLUS_SIGN, '$1%2B');
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      return null;
    }
    if (!(name in out)) out[name] = value;
  }
  return out;
}
