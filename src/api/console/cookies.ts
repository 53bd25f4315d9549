/**
 * Minimal cookie reading/writing for the console (no cookie plugin is installed). Values the
 * console sets are base64url, so no escaping is needed beyond `encodeURIComponent` on read.
 */

/** Parses a `Cookie` header into a map; the first occurrence of a name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

/** A `Set-Cookie` value: Path=/, SameSite=Strict always (the console is same-origin only). */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  let s = `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(o.maxAge))}; SameSite=Strict`;
  if (o.httpOnly) s += '; HttpOnly';
  if (o.secure) s += '; Secure';
  return s;
}
