/**
 * Retention: every `intervalMs`, history older than `days` days is removed from the store
 * (`store.purgeHistory`, in batches so that no transaction is long). In a cluster one node
 * purges at a time (lease `retention`); the others skip the round.
 */
import type { Logger } from '../engine/logger.js';
import type { PurgeResult, Store } from '../store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const LEASE = 'retention';

export interface RetentionOptions {
  /** Keep this many days of history; 0 keeps everything (the sweeper then does nothing). */
  days: number;
  /** Default 10 minutes. */
  intervalMs?: number;
  /** Rows of each kind per store call. Default 2 000. */
  batch?: number;
}

export class RetentionSweeper {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #nodeId: string;
  readonly #clock: () => number;
  readonly #days: number;
  readonly #intervalMs: number;
  readonly #batch: number;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  /** stop() was called: a purge in progress ends after its current batch. */
  #stopped = false;
  #sweeping: Promise<PurgeResult> | null = null;

  constructor(deps: {
    store: Store;
    log: Logger;
    nodeId: string;
    options: RetentionOptions;
    clock?: () => number;
  }) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#nodeId = deps.nodeId;
    this.#clock = deps.clock ?? Date.now;
    this.#days = deps.options.days;
    this.#intervalMs = deps.options.intervalMs ?? 10 * 60_000;
    this.#batch = deps.options.batch ?? 2_000;
  }

  start(): void {
    if (this.#running || this.#days <= 0) return;
    this.#running = true;
    this.#arm(Math.min(this.#intervalMs, 60_000));
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#sweeping;
  }

  /** One purge now (all batches); returns what it removed. Skipped (zeros) while another node purges. */
  sweep(): Promise<PurgeResult> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  #arm(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.sweep().finally(() => this.#arm(this.#intervalMs)), delayMs);
    this.#timer.unref?.();
  }

  async #sweep(): Promise<PurgeResult> {
    const total: PurgeResult = { messages: 0, pushes: 0, mos: 0 };
    if (this.#days <= 0) return total;
    const ttl = Math.max(this.#intervalMs, 60_000);
    try {
      if (!(await this.#store.acquireLease(LEASE, this.#nodeId, ttl, this.#clock()))) return total;
      try {
        for (;;) {
          const now = this.#clock();
          const r = await this.#store.purgeHistory(now - this.#days * DAY_MS, this.#batch);
          total.messages += r.messages;
          total.pushes += r.pushes;
          total.mos += r.mos;
          const full = r.messages === this.#batch || r.pushes === this.#batch || r.mos === this.#batch;
          if (!full || this.#stopped) break;
          // Let the API and the engine run between two batches.
          await new Promise((res) => setImmediate(res));
          await this.#store.acquireLease(LEASE, this.#nodeId, ttl, this.#clock());
        }
      } finally {
        await this.#store.releaseLease(LEASE, this.#nodeId);
      }
    } catch (err) {
      this.#log.error({ err }, 'retention sweep failed; retried next round');
    }
    if (total.messages + total.pushes + total.mos > 0)
      this.#log.info({ ...total, days: this.#days }, 'history older than the retention removed');
    return total;
  }
}
