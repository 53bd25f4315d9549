/**
 * Gathers concurrent write calls into one transaction. Calls arriving within `windowMs` (default
 * 2 ms) — or until `maxItems` rows are waiting (default 2,000) — are written by ONE call to
 * `write`; then every caller's promise resolves, or all reject with the same error. Only one
 * batch is written at a time; calls arriving meanwhile form the next batch, so the number of rows
 * held in memory is bounded by what callers have handed in and not yet been answered for.
 */
export interface GroupCommitOptions<T> {
  /** Writes one batch in one transaction; throwing rejects every call in the batch. */
  write(items: T[]): Promise<void> | void;
  windowMs?: number;
  maxItems?: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class GroupCommit<T> {
  readonly #write: (items: T[]) => Promise<void> | void;
  readonly #windowMs: number;
  readonly #maxItems: number;
  #items: T[] = [];
  #waiters: Waiter[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;

  constructor(opts: GroupCommitOptions<T>) {
    this.#write = opts.write;
    this.#windowMs = opts.windowMs ?? 2;
    this.#maxItems = opts.maxItems ?? 2000;
  }

  /** Resolves once `items` are committed (together with whatever else arrived in the window). */
  submit(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      for (const it of items) this.#items.push(it);
      this.#waiters.push({ resolve, reject });
      if (this.#items.length >= this.#maxItems) this.#kick(0);
      else this.#kick(this.#windowMs);
    });
  }

  /** Writes whatever is waiting now; resolves when nothing is left in flight. */
  async flush(): Promise<void> {
    while (this.#items.length > 0 || this.#writing) {
      if (this.#writing) await this.#writing;
      else await this.#run();
    }
  }

  #kick(delay: number): void {
    if (this.#writing) return; // the running batch starts the next one when it ends
    if (delay === 0) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      void this.#run();
      return;
    }
    if (!this.#timer) this.#timer = setTimeout(() => void this.#run(), delay);
  }

  async #run(): Promise<void> {
    this.#timer = null;
    if (this.#writing || this.#items.length === 0) return;
    const items = this.#items;
    const waiters = this.#waiters;
    this.#items = [];
    this.#waiters = [];
    this.#writing = (async () => {
      try {
        await this.#write(items);
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    })();
    await this.#writing;
    this.#writing = null;
    if (this.#items.length > 0) this.#kick(this.#items.length >= this.#maxItems ? 0 : this.#windowMs);
  }
}
