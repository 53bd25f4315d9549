/**
 * Strict `application/x-www-form-urlencoded` parsing for the send API. `URLSearchParams` silently
 * keeps a malformed escape such as `%zz` as text; MSGSMS answers a body it cannot decode with
 * `E000000`, so this parser reports it instead. `+` is a space, as in HTML forms.
 */

/**
 * Parse a form body into its fields (first occurrence of a repeated name wins, the way a
 * single-valued API reads it). Returns `null` when an escape is malformed or the bytes are not
 * valid UTF-8.
 */
export function parseForm(body: Buffer): Record<string, string> | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return null;
  }
  const out: Record<string, string> = Object.create(null);
  if (text === '') return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      return null;
    }
    if (!(name in out)) out[name] = value;
  }
  return out;
}
