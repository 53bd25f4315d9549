/**
 * When a failed push is tried again, and when it is given up. Pure.
 *
 * Delay before attempt n+1 (n = attempts made so far, ≥ 1): `min(maxDelayMs, baseMs · 2^(n-1))`,
 * with "equal jitter" — half fixed, half random — so a receiver that comes back after an outage is
 * not hit by every queued push in the same second, yet no retry comes sooner than half its step.
 * With the defaults (base 5 s, cap 1 h) the steps are 5 s, 10 s, 20 s, … 42 min, then hourly,
 * about 80 attempts in 72 h.
 *
 * A push is never scheduled after `createdAt + maxAgeMs` (spec §6: reports arrive "at the latest
 * within 72 hours"): the last retry is clamped to that instant, and an attempt that fails at or
 * after it makes the push dead.
 */
export interface RetryPolicy {
  /** First retry step. Default 5 000 ms. */
  baseMs: number;
  /** Largest step. Default 3 600 000 ms (1 h). */
  maxDelayMs: number;
  /** Give up this long after the row was created. Default 72 h. */
  maxAgeMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  baseMs: 5_000,
  maxDelayMs: 3_600_000,
  maxAgeMs: 72 * 3_600_000,
});

/** Back-off step after `attempts` failures, jitter from `random()` in [0, 1). */
export function retryDelay(
  attempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exp = Math.min(Math.max(attempts, 1) - 1, 30);
  const step = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** exp);
  return Math.round(step / 2 + random() * (step / 2));
}

/** `{ retryAt }` for the next attempt, or `{ dead: true }` when the push is out of time. */
export function nextAttempt(
  createdAt: number,
  attempts: number,
  now: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): { dead: true } | { dead: false; retryAt: number } {
  const deadline = createdAt + policy.maxAgeMs;
  if (now >= deadline) return { dead: true };
  return { dead: false, retryAt: Math.min(now + retryDelay(attempts, policy, random), deadline) };
}

/**
 * What an HTTP status means for the push. The receiver's response is not processed (spec §6), so
 * any answer counts as delivered — except the ones that say "not now": 408, 429 and 5xx retry.
 * 1xx never reaches here (undici consumes interim responses).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
