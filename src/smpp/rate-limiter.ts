/**
 * Token bucket with AIMD adaptation, one per client (bind). `cap` is the configured
 * messages/second ceiling (Infinity = none). On ESME_RTHROTTLED / ESME_RMSGQFUL the rate is
 * halved (multiplicative decrease); each accepted submit adds `cap / 20` msg/s back
 * (additive increase) until the cap. With no cap, the first throttle sets the rate to half of
 * what was sent in the last second.
 *
 * Waiting callers are served strictly in order through one promise chain, so at most one
 * timer exists per limiter at a time.
 */
export interface RateLimiterOptions {
  /** Messages per second ceiling; default Infinity (unlimited). */
  cap?: number;
  /** Floor for the adaptive rate; default 1 msg/s. */
  minRate?: number;
  now?: () => number;
}

export class AimdRateLimiter {
  readonly cap: number;
  readonly minRate: number;
  #rate: number;
  #tokens: number;
  #last: number;
  #tail: Promise<void> = Promise.resolve();
  readonly #now: () => number;
  // Sends in the current and previous 1-second buckets, to estimate the rate when uncapped.
  #bucketStart: number;
  #inBucket = 0;
  #prevBucket = 0;

  constructor(opts: RateLimiterOptions = {}) {
    this.cap = opts.cap && opts.cap > 0 ? opts.cap : Number.POSITIVE_INFINITY;
    this.minRate = opts.minRate ?? 1;
    this.#now = opts.now ?? Date.now;
    this.#rate = this.cap;
    this.#tokens = Number.isFinite(this.cap) ? 1 : 0;
    this.#last = this.#bucketStart = this.#now();
  }

  /** Current allowed rate (msg/s); Infinity when unlimited and never throttled. */
  get rate(): number {
    return this.#rate;
  }

  /** Resolves when the caller may send one message. FIFO across callers. */
  acquire(): Promise<void> {
    const turn = this.#tail.then(() => this.#take());
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  async #take(): Promise<void> {
    for (;;) {
      if (!Number.isFinite(this.#rate)) break;
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        break;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
      await new Promise((r) => setTimeout(r, waitMs));
    }
    this.#count();
  }

  #refill(): void {
    const now = this.#now();
    // Burst is at most one second of the current rate (and at least one message).
    const burst = Math.max(1, this.#rate);
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
  }

  #count(): void {
    const now = this.#now();
    if (now - this.#bucketStart >= 1000) {
      this.#prevBucket = now - this.#bucketStart >= 2000 ? 0 : this.#inBucket;
      this.#inBucket = 0;
      this.#bucketStart = now;
    }
    this.#inBucket++;
  }

  /** The SMSC said slow down: halve the rate (multiplicative decrease). */
  onThrottle(): void {
    this.#refill();
    const base = Number.isFinite(this.#rate) ? this.#rate : Math.max(this.#inBucket, this.#prevBucket, 2);
    this.#rate = Math.max(this.minRate, base / 2);
    this.#tokens = Math.min(this.#tokens, 0);
    this.#last = this.#now();
  }

  /** A submit was accepted: additive increase toward the cap. */
  onSuccess(): void {
    if (this.#rate >= this.cap) return;
    this.#refill();
    const step = Number.isFinite(this.cap) ? this.cap / 20 : Math.max(1, this.#rate / 20);
    this.#rate = Math.min(this.cap, this.#rate + step);
  }
}
