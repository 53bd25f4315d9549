/**
 * The request window: outstanding requests keyed by sequence_number, plus a FIFO of callers
 * waiting for a free slot.
 *
 *   request() ──offer──▶ [waiters FIFO] ──slot free──▶ [entries: seq → entry] ──response──▶ done
 *       │  trySend: full → WindowFull      │ windowWait expires     │ requestExpiry expires
 *       ▼                                  ▼                        ▼
 *                    each entry ends in exactly ONE outcome:
 *          matched (response) | expired | failed-on-close | failed-to-encode
 *
 * Timestamps per entry: `offeredAt` (request() called), `acceptedAt` (got a slot), `sentAt`
 * (handed to the socket), `doneAt` (outcome). window-wait = acceptedAt - offeredAt;
 * SMSC latency = doneAt - sentAt.
 *
 * No timers here: the session's single sweeper calls `expire(now)`.
 */
import type { Pdu, PduInput } from './pdu-types.js';

/** One outstanding request. Read-only to observers (`session.inFlight()`). */
export interface WindowEntry {
  readonly sequence_number: number;
  /** The request as offered (with its sequence_number). */
  readonly pdu: PduInput;
  readonly offeredAt: number;
  acceptedAt: number | undefined;
  /** When the encoded bytes were handed to the socket; undefined = never left this process. */
  sentAt: number | undefined;
  doneAt: number | undefined;
  /** Response deadline (set when accepted). */
  expiresAt: number;
  /** Per-request expiry, ms. */
  readonly timeoutMs: number;
}

/** Internal: an entry with its promise settlers. */
export interface PendingEntry extends WindowEntry {
  resolve: (pdu: Pdu) => void;
  reject: (err: Error) => void;
}

interface Waiter {
  entry: PendingEntry;
  deadline: number;
  onSlot: () => void;
}

/** Counters of outcomes, for metrics. */
export interface WindowCounters {
  matched: number;
  expired: number;
  failedOnClose: number;
  windowWaitTimeouts: number;
}

export class RequestWindow {
  readonly size: number;
  readonly #entries = new Map<number, PendingEntry>();
  #waiters: Waiter[] = [];
  /** High-water mark of entries held at once (tests assert it never exceeds `size`). */
  peak = 0;
  readonly counters: WindowCounters = { matched: 0, expired: 0, failedOnClose: 0, windowWaitTimeouts: 0 };

  constructor(size: number) {
    this.size = size;
  }

  /** Entries in the window. */
  get count(): number {
    return this.#entries.size;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** True when a new request would get a slot at once (no one queued ahead of it). */
  hasFreeSlot(): boolean {
    return this.#entries.size < this.size && this.#waiters.length === 0;
  }

  /** Puts `entry` into the window now. Caller checked `hasFreeSlot()` (or is a woken waiter). */
  accept(entry: PendingEntry, now: number): void {
    entry.acceptedAt = now;
    entry.expiresAt = now + entry.timeoutMs;
    this.#entries.set(entry.sequence_number, entry);
    if (this.#entries.size > this.peak) this.peak = this.#entries.size;
  }

  /** Queues a caller until a slot frees or `deadline` passes. */
  wait(entry: PendingEntry, deadline: number, onSlot: () => void): void {
    this.#waiters.push({ entry, deadline, onSlot });
  }

  /** Removes and returns the entry for a response's sequence number (or undefined). */
  take(seq: number): PendingEntry | undefined {
    const e = this.#entries.get(seq);
    if (e) this.#entries.delete(seq);
    return e;
  }

  /** Entry for `seq` without removing it. */
  get(seq: number): PendingEntry | undefined {
    return this.#entries.get(seq);
  }

  /** Hands free slots to waiters in FIFO order. */
  wake(): void {
    while (this.#entries.size < this.size && this.#waiters.length > 0) {
      const w = this.#waiters.shift() as Waiter;
      w.onSlot();
    }
  }

  /** Removes and returns entries past their deadline, and waiters past theirs. */
  expire(now: number): { entries: PendingEntry[]; waiters: PendingEntry[] } {
    const entries: PendingEntry[] = [];
    for (const e of this.#entries.values()) if (e.expiresAt <= now) entries.push(e);
    for (const e of entries) this.#entries.delete(e.sequence_number);
    let waiters: PendingEntry[] = [];
    if (this.#waiters.length > 0 && this.#waiters.some((w) => w.deadline <= now)) {
      waiters = this.#waiters.filter((w) => w.deadline <= now).map((w) => w.entry);
      this.#waiters = this.#waiters.filter((w) => w.deadline > now);
    }
    return { entries, waiters };
  }

  /** Removes every waiter (nothing in the window is touched); returns them. */
  takeWaiters(): PendingEntry[] {
    const w = this.#waiters.map((x) => x.entry);
    this.#waiters = [];
    return w;
  }

  /** Empties the window and the wait queue; returns both (close path). */
  drainAll(): { entries: PendingEntry[]; waiters: PendingEntry[] } {
    const entries = [...this.#entries.values()];
    const waiters = this.#waiters.map((w) => w.entry);
    this.#entries.clear();
    this.#waiters = [];
    return { entries, waiters };
  }

  /** Snapshot of outstanding entries, oldest first. */
  list(): WindowEntry[] {
    return [...this.#entries.values()];
  }
}
