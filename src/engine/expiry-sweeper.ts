import type { Store } from '../store/store.js';
import type { Logger } from './logger.js';

/**
 * How far back the sweep looks for parked receipts to match: 1 hour. The case it recovers (a node
 * dead between its submit commit and its look) is seconds old when the sweep runs; an hour also
 * covers a database outage in between.
 */
export const PARKED_LOOKBACK_MS = 60 * 60_000;

/** Options of {@link ExpirySweeper}. */
export interface ExpirySweeperOptions {
  /** A part with no receipt this long after its submit expires. Spec §6: 72 h. */
  receiptWindowMs: number;
  /** Sweep interval. Default 5 000 ms. */
  intervalMs?: number;
  /** Parts per store call; a sweep repeats while a call fills up. Default 1 000. */
  batch?: number;
}

/**
 * Parts still SUBMITTED `receiptWindowMs` after their submit become EXPIRED, reported by the
 * platform (`source` 1, no `updateTime`) — `store.expireParts` writes state and reports in one
 * transaction. Every node may run it: the update is conditional, so two sweepers cannot expire
 * one part twice. Each sweep first matches parked receipts whose submit is recorded by now
 * (`store.matchParkedReceipts`), the recovery for a node that died between the two writes.
 */
export class ExpirySweeper {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #clock: () => number;
  readonly #windowMs: number;
  readonly #intervalMs: number;
  readonly #batch: number;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #sweeping: Promise<number> | null = null;
  #expired = 0;

  constructor(deps: { store: Store; log: Logger; options: ExpirySweeperOptions; clock?: () => number }) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#clock = deps.clock ?? Date.now;
    this.#windowMs = deps.options.receiptWindowMs;
    this.#intervalMs = deps.options.intervalMs ?? 5_000;
    this.#batch = deps.options.batch ?? 1_000;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#sweeping;
  }

  /** Parts expired since start. */
  get expired(): number {
    return this.#expired;
  }

  /** One sweep now; returns the number of parts expired. */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  #arm(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.sweep().finally(() => this.#arm()), this.#intervalMs);
  }

  async #sweep(): Promise<number> {
    let total = 0;
    try {
      // Receipts left parked although their submit is recorded (a node died between the two).
      const late = await this.#store.matchParkedReceipts(this.#clock() - PARKED_LOOKBACK_MS, this.#batch);
      if (late > 0) this.#log.warn({ receipts: late }, 'parked receipts matched by the sweep');
    } catch (err) {
      this.#log.error({ err }, 'matching parked receipts failed');
    }
    try {
      for (;;) {
        const now = this.#clock();
        const n = await this.#store.expireParts(now - this.#windowMs, now, this.#batch);
        total += n;
        if (n < this.#batch || !this.#running) break;
      }
    } catch (err) {
      this.#log.error({ err }, 'expiry sweep failed');
    }
    if (total > 0) this.#log.info({ parts: total }, 'parts expired without a receipt');
    this.#expired += total;
    return total;
  }
}
