/** Default cap on remembered nonces: ~1,000,000 keys is roughly 150–250 MB worst case, bounded. */
export const DEFAULT_REPLAY_MAX_ENTRIES = 1_000_000;
/** Width of one expiry bucket. Sweeps drop whole buckets, so work is proportional to what expires. */
const BUCKET_MS = 60_000;

/**
 * Remembers credential nonces until they expire so that a captured X-WSSE header cannot be
 * replayed inside its validity window (Huawei documents no replay rule; this is hardening).
 *
 * Memory stays bounded: at most `maxEntries` keys. Keys are grouped in one-minute expiry buckets;
 * whenever the clock enters a new minute the expired buckets are dropped (cost ∝ keys expiring,
 * at most ~2,900 bucket headers scanned for a 48 h span). When full, the bucket that expires
 * soonest is evicted whole: a flood can then make an old nonce replayable again, which is
 * preferred over refusing every new request (fail-closed would let a flood lock all clients out).
 *
 * ```
 * entries: key → expiresAt        buckets: floor(expiresAt / 60 s) → [key, key, …]
 * ```
 */
export class NonceReplayGuard {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, number>();
  readonly #buckets = new Map<number, string[]>();
  #sweptBucket = -Infinity;

  /** @param maxEntries cap on remembered keys; default {@link DEFAULT_REPLAY_MAX_ENTRIES}. */
  constructor(opts: { maxEntries?: number } = {}) {
    this.#maxEntries = Math.max(1, opts.maxEntries ?? DEFAULT_REPLAY_MAX_ENTRIES);
  }

  /** Keys currently remembered (expired-but-unswept keys included). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records `key` until `expiresAt` (epoch ms) and tells whether it was already recorded and
   * unexpired — i.e. `true` means "replay, reject". A key whose `expiresAt` is already past is
   * not stored (the clock check rejects it anyway).
   */
  seen(key: string, expiresAt: number, now: number = Date.now()): boolean {
    this.#sweep(now);
    const known = this.#entries.get(key);
    if (known !== undefined && known > now) return true;
    if (expiresAt <= now) return false;
    if (known === undefined && this.#entries.size >= this.#maxEntries) this.#evictSoonest();
    this.#entries.set(key, expiresAt);
    const b = Math.floor(expiresAt / BUCKET_MS);
    const list = this.#buckets.get(b);
    if (list) list.push(key);
    else this.#buckets.set(b, [key]);
    return false;
  }

  #sweep(now: number): void {
    const current = Math.floor(now / BUCKET_MS);
    if (current === this.#sweptBucket) return;
    this.#sweptBucket = current;
    for (const [b, keys] of this.#buckets) {
      // Bucket b holds expiries in [b, b+1) minutes: fully expired once b+1 ≤ current.
      if (b + 1 > current) continue;
      this.#dropBucket(b, keys, now);
    }
  }

  #dropBucket(b: number, keys: string[], now: number, force = false): void {
    this.#buckets.delete(b);
    for (const k of keys) {
      const exp = this.#entries.get(k);
      // A key re-recorded later lives in a newer bucket; leave it alone.
      if (exp !== undefined && Math.floor(exp / BUCKET_MS) === b && (force || exp <= now))
        this.#entries.delete(k);
    }
  }

  #evictSoonest(): void {
    // A bucket may hold only stale references (keys re-recorded later), so keep going until a
    // slot is free.
    while (this.#entries.size >= this.#maxEntries && this.#buckets.size > 0) {
      let soonest = Infinity;
      for (const b of this.#buckets.keys()) if (b < soonest) soonest = b;
      this.#dropBucket(soonest, this.#buckets.get(soonest) ?? [], 0, true);
    }
  }
}
