/**
 * The two wire time formats, both UTC:
 * - Huawei time `yyyy-MM-ddTHH:mm:ssZ` (X-WSSE Created, createTime, status reports);
 * - SDK date `yyyyMMddTHHmmssZ` (AK/SK X-Sdk-Date).
 * Parsers are strict: exact shape, real calendar date, no offsets, no fractions.
 */

function toDate(d: Date | number): Date {
  return typeof d === 'number' ? new Date(d) : d;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Format as `yyyy-MM-ddTHH:mm:ssZ` in UTC (milliseconds dropped). */
export function formatHuaweiTime(d: Date | number): string {
  const t = toDate(d);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}Z`;
}

/** Format as `yyyyMMddTHHmmssZ` in UTC (milliseconds dropped). */
export function formatSdkDate(d: Date | number): string {
  const t = toDate(d);
  return `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}Z`;
}

function fromParts(m: RegExpExecArray | null): number | null {
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  const ms = t.getTime();
  // Reject dates that roll over (Feb 30 → Mar 2).
  if (new Date(ms).getUTCDate() !== d) return null;
  return ms;
}

/** Parse `yyyy-MM-ddTHH:mm:ssZ` to epoch ms, or null when malformed. */
export function parseHuaweiTime(s: string): number | null {
  return fromParts(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(s));
}

/** Parse `yyyyMMddTHHmmssZ` to epoch ms, or null when malformed. */
export function parseSdkDate(s: string): number | null {
  return fromParts(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s));
}
