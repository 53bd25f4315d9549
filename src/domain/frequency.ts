/**
 * Per-recipient frequency caps (spec §12, mainland). Pure: the caller supplies the send history
 * for the number and stores the new send when the check passes.
 */
export interface FrequencyRule {
  /** Sliding window length, ms. */
  windowMs: number;
  /** Sends allowed inside the window; the (max+1)-th is refused. */
  max: number;
  /** Count only earlier sends with the same content hash. */
  sameContent: boolean;
  /** Status code reported when this rule refuses (see status-codes.ts). */
  code: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Huawei's current mainland limits, in the order checked (first refusing rule wins):
 * 15 / 60 s → MILIMIT; 50 / 24 h → LIMIT; same content 2 / 59 s and 5 / 59 min → CTLIMIT.
 * The windows are sliding (Huawei does not say; sliding is the strict reading).
 */
export const DEFAULT_FREQUENCY_RULES: readonly FrequencyRule[] = Object.freeze([
  { windowMs: 60 * SECOND, max: 15, sameContent: false, code: 'MILIMIT' },
  { windowMs: 24 * HOUR, max: 50, sameContent: false, code: 'LIMIT' },
  { windowMs: 59 * SECOND, max: 2, sameContent: true, code: 'CTLIMIT' },
  { windowMs: 59 * MINUTE, max: 5, sameContent: true, code: 'CTLIMIT' },
]);

/**
 * Would one more send of `contentHash` at `now` break a rule? A history entry counts for a rule
 * when `at > now - windowMs`; entries later than `now` count too, so clock skew between
 * nodes cannot open a hole. Returns the first refusing rule in `rules` order.
 */
export function checkFrequency(
  history: readonly { at: number; contentHash: string }[],
  now: number,
  contentHash: string,
  rules: readonly FrequencyRule[],
): { ok: true } | { ok: false; rule: FrequencyRule } {
  for (const rule of rules) {
    let n = 0;
    for (const h of history) {
      if (h.at > now - rule.windowMs && (!rule.sameContent || h.contentHash === contentHash)) n++;
    }
    if (n >= rule.max) return { ok: false, rule };
  }
  return { ok: true };
}
