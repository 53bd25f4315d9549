/**
 * Exponential reconnect delay: `initial`, doubling per failure up to `max`; `reset()` after
 * a successful bind. A ±20 % jitter spreads reconnects of many binds after an SMSC restart.
 */
export class ExponentialBackoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #jitter: boolean;
  #next: number;

  constructor(initialMs: number, maxMs: number, jitter = true) {
    this.#initial = initialMs;
    this.#max = Math.max(initialMs, maxMs);
    this.#jitter = jitter;
    this.#next = initialMs;
  }

  /** Delay to wait now; the following call returns twice as much (capped). */
  next(): number {
    const d = this.#next;
    this.#next = Math.min(this.#max, this.#next * 2);
    return this.#jitter ? Math.round(d * (0.8 + Math.random() * 0.4)) : d;
  }

  /** Back to the initial delay (call after a successful bind). */
  reset(): void {
    this.#next = this.#initial;
  }
}
