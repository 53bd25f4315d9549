/**
 * Parses the `name=value, name="value"` attribute lists used by the three MSGSMS credential
 * headers (`Authorization: WSSE …`, `X-WSSE: UsernameToken …`, `Authorization: SDK-HMAC-SHA256 …`).
 *
 * Tolerance is deliberate: official samples write `a="x",b="y"`, the doc tables write
 * `a="x", b="y"`, the push example writes `Access= key` (space after `=`) and the AK/SK SDKs
 * omit quotes. Names are looked up case-insensitively (the error catalogue spells `UserName`
 * where the samples write `Username`).
 *
 * @returns a map keyed by lower-cased attribute name, or `undefined` when the text is not a
 *   well-formed list (unterminated quote, missing `=`, junk between attributes). A repeated name
 *   keeps its first value.
 */
export function parseAuthParams(text: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  skipSpace();
  if (i === n) return out;
  for (;;) {
    skipSpace();
    const nameStart = i;
    while (i < n && /[A-Za-z0-9_-]/.test(text[i])) i++;
    if (i === nameStart) return undefined;
    const name = text.slice(nameStart, i).toLowerCase();
    skipSpace();
    if (text[i] !== '=') return undefined;
    i++;
    skipSpace();
    let value: string;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return undefined;
      value = text.slice(i + 1, end);
      i = end + 1;
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== ' ' && text[i] !== '\t') i++;
      value = text.slice(start, i);
    }
    if (!out.has(name)) out.set(name, value);
    skipSpace();
    if (i === n) return out;
    if (text[i] !== ',') return undefined;
    i++;
  }
}

/**
 * Splits `Scheme rest` at the first run of whitespace. The scheme is compared by callers
 * case-insensitively (RFC 9110 §11.1: auth schemes are case-insensitive).
 */
export function splitScheme(header: string): { scheme: string; rest: string } {
  const trimmed = header.trim();
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (!m) return { scheme: '', rest: '' };
  return { scheme: m[1], rest: m[2] ?? '' };
}

/** First value of a header as node delivers it (`string | string[] | undefined`). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
