/**
 * Lock-out of repeated console sign-in failures, per (user name, client IP), counted in the store
 * so that every node of a cluster counts the same failures: an attacker spread over N nodes gets
 * no more attempts than against one. Each attempt is counted before its password is checked;
 * a success clears the counter.
 */
import type { Store } from '../../store/store.js';

/** Failures allowed before the lock: 5. */
export const MAX_FAILURES = 5;
/** Lock (and failure-counting window) length: 15 minutes. */
export const LOCK_MS = 15 * 60 * 1000;

export class LoginLimiter {
  constructor(
    private readonly store: Store,
    private readonly maxFailures = MAX_FAILURES,
    private readonly lockMs = LOCK_MS,
  ) {}

  private key(user: string, ip: string): string {
    return `${user.toLowerCase()}\n${ip}`;
  }

  /**
   * Counts this sign-in attempt BEFORE the password is checked, so parallel guesses cannot all
   * pass a check made before any of them was counted. `allowed`: within the limit (the
   * `maxFailures`-th attempt is still checked); `lockedFor`: ms left of the lock this attempt
   * started or met, 0 when none. A success clears the count (`succeed`).
   */
  async attempt(user: string, ip: string, now: number): Promise<{ allowed: boolean; lockedFor: number }> {
    const r = await this.store.recordLoginFailure(this.key(user, ip), now, this.maxFailures, this.lockMs);
    return {
      allowed: r.failures <= this.maxFailures,
      lockedFor: r.lockedUntil > now ? r.lockedUntil - now : 0,
    };
  }

  succeed(user: string, ip: string): Promise<void> {
    return this.store.clearLoginFailures(this.key(user, ip));
  }
}
