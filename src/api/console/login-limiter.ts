/**
 * Lock-out of repeated console sign-in failures, per (user name, client IP), counted in the store
 * so that every node of a cluster counts the same failures: an attacker spread over N nodes gets
 * no more attempts than against one. A success clears the counter.
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

  /** Milliseconds left of a lock, 0 when not locked. */
  async lockedFor(user: string, ip: string, now: number): Promise<number> {
    const until = await this.store.loginLockedUntil(this.key(user, ip));
    return until > now ? until - now : 0;
  }

  /** Counts a failure; returns true when the pair is now locked. */
  async fail(user: string, ip: string, now: number): Promise<boolean> {
    const until = await this.store.recordLoginFailure(this.key(user, ip), now, this.maxFailures, this.lockMs);
    return until > now;
  }

  succeed(user: string, ip: string): Promise<void> {
    return this.store.clearLoginFailures(this.key(user, ip));
  }
}
