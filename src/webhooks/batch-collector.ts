import type { OutboxRecord } from '../store/records.js';

/** Spec §7: at most 50 reports per batch push. */
export const MAX_BATCH_SIZE = 50;

/** Batch-status rows of one app bound for one address, pushed together. */
export interface BatchGroup {
  appId: string;
  url: string;
  rows: OutboxRecord[];
}

interface OpenGroup extends BatchGroup {
  dueAt: number;
}

/**
 * Gathers claimed `batch_status` rows per (app, address) and hands a group out when it reaches
 * {@link MAX_BATCH_SIZE} or has waited `delayMs` since its first row — "reports are aggregated, so
 * there is some delay" (spec §7) without holding any one report long. Holds only claimed rows, so
 * its size is bounded by what the worker claims; the rows' leases must outlast `delayMs`.
 */
export class BatchCollector {
  readonly #groups = new Map<string, OpenGroup>();
  readonly #delayMs: number;
  readonly #maxSize: number;

  /** `delayMs` default in config: 1 000 ms. `maxSize` is 50 except in tests. */
  constructor(delayMs: number, maxSize: number = MAX_BATCH_SIZE) {
    this.#delayMs = delayMs;
    this.#maxSize = maxSize;
  }

  /** Adds a row; returns the group when it just became full (it is removed from the collector). */
  add(row: OutboxRecord, now: number): BatchGroup | null {
    const key = `${row.appId}\n${row.url}`;
    let g = this.#groups.get(key);
    if (!g) {
      g = { appId: row.appId, url: row.url, rows: [], dueAt: now + this.#delayMs };
      this.#groups.set(key, g);
    }
    g.rows.push(row);
    if (g.rows.length < this.#maxSize) return null;
    this.#groups.delete(key);
    return { appId: g.appId, url: g.url, rows: g.rows };
  }

  /** Removes and returns the groups whose delay has passed (all of them with `all`). */
  takeDue(now: number, all = false): BatchGroup[] {
    const out: BatchGroup[] = [];
    for (const [key, g] of this.#groups) {
      if (all || g.dueAt <= now) {
        this.#groups.delete(key);
        out.push({ appId: g.appId, url: g.url, rows: g.rows });
      }
    }
    return out;
  }

  /** Earliest time a group falls due, or null when empty. */
  nextDueAt(): number | null {
    let min: number | null = null;
    for (const g of this.#groups.values()) if (min === null || g.dueAt < min) min = g.dueAt;
    return min;
  }

  /** Rows held. */
  get size(): number {
    let n = 0;
    for (const g of this.#groups.values()) n += g.rows.length;
    return n;
  }
}
