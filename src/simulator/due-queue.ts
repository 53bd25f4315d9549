/**
 * A bounded queue of jobs ordered by due time, driven by ONE timer (a binary min-heap): the
 * simulator keeps every pending receipt and MO redelivery here instead of one setTimeout per
 * message, so 100 000 pending receipts cost one timer and O(log n) per job.
 */

interface Slot<T> {
  due: number;
  /** Insertion counter: jobs due at the same time run in the order they were added. */
  order: number;
  job: T;
}

export interface DueQueueOptions<T> {
  /** Called for every job whose time has come (in due order). */
  run: (job: T) => void;
  /** Most jobs held; `push` beyond it returns false. Default 100 000. */
  maxSize?: number;
  now?: () => number;
}

/** Default bound on pending jobs. */
export const DEFAULT_DUE_QUEUE_MAX = 100_000;

export class DueQueue<T> {
  readonly #heap: Array<Slot<T>> = [];
  readonly #run: (job: T) => void;
  readonly #max: number;
  readonly #now: () => number;
  #order = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerDue = Number.POSITIVE_INFINITY;
  #stopped = false;

  constructor(opts: DueQueueOptions<T>) {
    this.#run = opts.run;
    this.#max = opts.maxSize ?? DEFAULT_DUE_QUEUE_MAX;
    this.#now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Schedules `job` at time `due` (ms epoch). Returns false when the queue is full or stopped. */
  push(job: T, due: number): boolean {
    if (this.#stopped || this.#heap.length >= this.#max) return false;
    const slot = { due, order: this.#order++, job };
    this.#heap.push(slot);
    this.#up(this.#heap.length - 1);
    this.#arm();
    return true;
  }

  /** Removes every job and the timer; later pushes are refused. Returns the jobs dropped. */
  stop(): T[] {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#heap.splice(0).map((s) => s.job);
  }

  #less(a: Slot<T>, b: Slot<T>): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }

  #up(i: number): void {
    const h = this.#heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  #down(i: number): void {
    const h = this.#heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.#less(h[l], h[m])) m = l;
      if (r < h.length && this.#less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }

  #pop(): Slot<T> | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as Slot<T>;
    if (h.length > 0) {
      h[0] = last;
      this.#down(0);
    }
    return top;
  }

  #arm(): void {
    if (this.#stopped || this.#heap.length === 0) return;
    const due = this.#heap[0].due;
    if (this.#timer && due >= this.#timerDue) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, due - this.#now()));
    // The queue alone must not keep a process alive; the server socket does that.
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerDue = Number.POSITIVE_INFINITY;
    const now = this.#now();
    while (!this.#stopped && this.#heap.length > 0 && this.#heap[0].due <= now) {
      const slot = this.#pop() as Slot<T>;
      try {
        this.#run(slot.job);
      } catch {
        // A failing job must not stop the others; the runner logs its own errors.
      }
    }
    this.#arm();
  }
}
