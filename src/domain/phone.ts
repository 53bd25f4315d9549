import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Longest recipient item accepted, in characters (spec §3.2: each number ≤ 21 chars). */
export const MAX_NUMBER_LENGTH = 21;

/**
 * Split a `to` field into recipient items. The separator is the ASCII comma; whitespace around
 * each item is trimmed (the English Python sample sends `", "`).
 *
 * Empty items are KEPT, not dropped: `"+86151...,,+86152..."` yields three items, the middle one
 * `""`, which {@link normalizeNumber} rejects. The caller asked for three recipients and should
 * see a per-number failure for the blank one rather than have it silently vanish. An entirely
 * empty (or whitespace-only) `to` yields `[]`.
 */
export function splitRecipients(to: string): string[] {
  if (to.trim() === '') return [];
  return to.split(',').map((s) => s.trim());
}

/**
 * True when `to` contains anything other than ASCII digits, `+`, commas and whitespace. Per spec
 * §3.2 such a request fails as a whole (for every number) rather than per number.
 */
export function hasIllegalCharacters(to: string): boolean {
  return /[^0-9+,\s]/.test(to);
}

export type NormalizedNumber = { ok: true; e164: string; countryId: string } | { ok: false; reason: string };

/**
 * Normalise one recipient to E.164.
 *
 * - `region: 'cn'` (default, Chinese-mainland apps): a number without `+` is a mainland national
 *   number and gets `+86` prepended (spec §3.2). It is not re-interpreted, so `8613800000000`
 *   becomes `+868613800000000` and fails as impossible — predictable beats clever.
 * - `region: 'intl'`: every number must start with `+`.
 * - The raw item must be at most 21 characters and be `+?` followed by digits only.
 * - Acceptance uses libphonenumber-js `isPossible()` (length check per country), not `isValid()`:
 *   the bundled "min" metadata is coarse for validity, test and simulator traffic uses synthetic
 *   ranges, and an unroutable-but-possible number is the carrier's to reject in its receipt.
 *
 * `countryId` is the ISO 3166-1 alpha-2 region libphonenumber infers; when the calling code is
 * shared and the number does not pin a region (e.g. some `+1` numbers), `ZZ` (unknown region).
 */
export function normalizeNumber(raw: string, opts: { region?: 'cn' | 'intl' } = {}): NormalizedNumber {
  const region = opts.region ?? 'cn';
  const s = raw.trim();
  if (s === '') return { ok: false, reason: 'empty number' };
  if (s.length > MAX_NUMBER_LENGTH)
    return { ok: false, reason: `number longer than ${MAX_NUMBER_LENGTH} characters` };
  if (!/^\+?[0-9]+$/.test(s))
    return { ok: false, reason: 'number must be digits with an optional leading +' };
  let candidate: string;
  if (s.startsWith('+')) candidate = s;
  else if (region === 'cn') candidate = `+86${s}`;
  else return { ok: false, reason: 'international numbers must start with +<country code>' };
  const parsed = parsePhoneNumberFromString(candidate);
  if (!parsed?.isPossible()) return { ok: false, reason: 'not a possible phone number' };
  return { ok: true, e164: parsed.number, countryId: parsed.country ?? 'ZZ' };
}
