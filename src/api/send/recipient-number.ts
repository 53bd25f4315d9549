/**
 * Recipient normalisation for the send hot path: {@link normalizeNumber} with a fast path for
 * mainland mobile numbers (`1` + 10 digits, bare or after `+86`), which are most of the traffic.
 * libphonenumber's parse was ~7% of the server's time at 20k messages/s; for these shapes it
 * always answers the same thing (E.164 `+861…`, region `CN`; checked against it in
 * test/api/recipient-number.test.ts), so the answer is built directly. Everything else goes
 * through {@link normalizeNumber} unchanged.
 */
import { type NormalizedNumber, normalizeNumber } from '../../domain/phone.js';

const PLUS_86_MOBILE = /^\+861\d{10}$/;
const BARE_MOBILE = /^1\d{10}$/;

/** Same result as `normalizeNumber(raw, { region })`, faster for mainland mobile numbers. */
export function normalizeRecipient(raw: string, region: 'cn' | 'intl'): NormalizedNumber {
  const s = raw.trim();
  if (s.length === 14 && PLUS_86_MOBILE.test(s)) return { ok: true, e164: s, countryId: 'CN' };
  if (region === 'cn' && s.length === 11 && BARE_MOBILE.test(s))
    return { ok: true, e164: `+86${s}`, countryId: 'CN' };
  return normalizeNumber(s, { region });
}
