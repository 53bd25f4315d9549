/**
 * Lock-out of repeated console sign-in failures, per (user name, client IP). In memory: in a
 * cluster each node counts on its own, so an attacker spread over N nodes gets N × the attempts;
 * with scrypt's cost that is still slow. A success clears the counter.
 */

/** Failures allowed before the lock: 5. */
export const MAX_FAILURES = 5;
/** Lock (and failure-counting window) length: 15 minutes. */
export const LOCK_MS = 15 * 60 * 1000;

interface Entry {
  failures: number;
  firstAt: number;
  lockedUntil: number;
}

export class LoginLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxFailures = MAX_FAILURES,
    private readonly lockMs = LOCK_MS,
  ) {}

  private key(user: string, ip: string): string {
    return `${user.toLowerCase()}\n${ip}`;
  }

  /** Milliseconds left of a lock, 0 when not locked. */
  lockedFor(user: string, ip: string, now: number): number {
    const e = this.entries.get(this.key(user, ip));
    return e && e.lockedUntil > now ? e.lockedUntil - now : 0;
  }

  /** Counts a failure; returns true when this failure locked the pair. */
  fail(user: string, ip: string, now: number): boolean {
    if (this.entries.size > 100_000) this.sweep(now);
    const k = this.key(user, ip);
    let e = this.entries.get(k);
    if (!e || now - e.firstAt > this.lockMs) e = { failures: 0, firstAt: now, lockedUntil: 0 };
    e.failures++;
    if (e.failures >= this.maxFailures) e.lockedUntil = now + this.lockMs;
    this.entries.set(k, e);
    return e.lockedUntil > now;
  }

  succeed(user: string, ip: string): void {
    this.entries.delete(this.key(user, ip));
  }

  private sweep(now: number): void {
    for (const [k, e] of this.entries)
      if (e.lockedUntil <= now && now - e.firstAt > this.lockMs) this.entries.delete(k);
  }
}
