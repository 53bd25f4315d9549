/**
 * A short-lived cache of the three rows every send request reads: the app by key, the signature by
 * channel number and the template by id. Without it each request pays three queries for rows that
 * change a few times a day.
 *
 * Freshness: every write to apps, signatures or templates through this store empties the cache at
 * once, so in one process a freeze, a rejection or a deactivation takes effect on the next request.
 * Writes made by other nodes of a cluster are seen after at most `ttlMs` (default 1 s).
 *
 * A load that was running when a write happened is not cached (generation check), so a stale row
 * read just before an invalidation cannot outlive it. Cached rows are frozen: callers share them.
 */
export class LookupCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #generation = 0;
  readonly #entries = new Map<string, { value: unknown; at: number }>();

  constructor(opts: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = opts.ttlMs ?? 1000;
    this.#maxEntries = opts.maxEntries ?? 10_000;
    this.#now = opts.now ?? Date.now;
  }

  /** Forget everything; called by every write that could change a cached row. */
  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttlMs) return hit.value as T;
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
      if (value !== null && typeof value === 'object') Object.freeze(value);
      this.#entries.set(key, { value, at: now });
    }
    return value;
  }
}
