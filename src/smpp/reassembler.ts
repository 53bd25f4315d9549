/**
 * Joins the parts of a concatenated incoming message (MO). Parts are grouped by
 * (source_addr, destination_addr, reference, total); payload units are concatenated BEFORE
 * decoding, so a UCS-2 surrogate pair or a GSM-7 escape split across parts still decodes.
 *
 * Memory is bounded (`maxGroups`, oldest evicted first) and stale groups expire
 * (`timeoutMs`). There is no timer inside: expiry runs on `add` and on `sweep()`, which the
 * owner calls from its own periodic tick, with an injectable clock for tests.
 */
import { type DecodedShortMessage, type PayloadAlphabet, unitsToText } from './short-message-decoder.js';

/** Default time to wait for the missing parts: 5 minutes (handsets send parts seconds apart). */
export const DEFAULT_REASSEMBLY_TIMEOUT_MS = 5 * 60_000;
/** Default cap on incomplete groups held at once. */
export const DEFAULT_REASSEMBLY_MAX_GROUPS = 10_000;

export interface ReassemblerOptions {
  timeoutMs?: number;
  maxGroups?: number;
  now?: () => number;
}

/** A group that will never complete: expired, evicted for space, or its parts disagree. */
export interface DroppedGroup {
  key: string;
  reason: 'timeout' | 'evicted';
  received: number;
  total: number;
  /** Text of the parts that did arrive, in part order, gaps skipped. */
  partialText: string;
  /** The caller's per-part context (e.g. the PDUs), in part order, gaps skipped. */
  contexts: unknown[];
}

export type ReassemblyResult<C> =
  | { status: 'complete'; text: string; alphabet: PayloadAlphabet; total: number; contexts: C[] }
  | { status: 'pending'; received: number; total: number }
  | { status: 'duplicate' };

interface Group {
  alphabet: PayloadAlphabet;
  total: number;
  received: number;
  firstAt: number;
  units: Array<Buffer | undefined>;
  contexts: unknown[];
}

export class Reassembler<C = unknown> {
  readonly #timeoutMs: number;
  readonly #maxGroups: number;
  readonly #now: () => number;
  // Insertion order = age order, so eviction and expiry scan from the front.
  readonly #groups = new Map<string, Group>();
  readonly #dropped: DroppedGroup[] = [];

  constructor(opts: ReassemblerOptions = {}) {
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_REASSEMBLY_TIMEOUT_MS;
    this.#maxGroups = opts.maxGroups ?? DEFAULT_REASSEMBLY_MAX_GROUPS;
    this.#now = opts.now ?? Date.now;
  }

  /** Incomplete groups currently held. */
  get size(): number {
    return this.#groups.size;
  }

  /**
   * Adds one decoded part. A message without concatenation info (or with total 1) completes
   * at once. `context` is returned with the completed message (e.g. the deliver_sm PDUs).
   */
  add(source: string, destination: string, msg: DecodedShortMessage, context?: C): ReassemblyResult<C> {
    this.#expire();
    const c = msg.concat;
    if (!c || c.total <= 1) {
      return {
        status: 'complete',
        text: msg.text,
        alphabet: msg.alphabet,
        total: 1,
        contexts: context === undefined ? [] : [context],
      };
    }
    if (c.seq < 1 || c.seq > c.total) return { status: 'duplicate' };
    const key = `${source}\u0000${destination}\u0000${c.refBits}:${c.ref}\u0000${c.total}`;
    let g = this.#groups.get(key);
    if (!g) {
      if (this.#groups.size >= this.#maxGroups) this.#evictOldest();
      g = {
        alphabet: msg.alphabet,
        total: c.total,
        received: 0,
        firstAt: this.#now(),
        units: new Array(c.total),
        contexts: new Array(c.total),
      };
      this.#groups.set(key, g);
    }
    if (g.units[c.seq - 1] !== undefined) return { status: 'duplicate' };
    // Copy: the units may be a view of a socket chunk we must not keep alive.
    g.units[c.seq - 1] = Buffer.from(msg.units);
    g.contexts[c.seq - 1] = context;
    g.received++;
    if (g.received < g.total) return { status: 'pending', received: g.received, total: g.total };
    this.#groups.delete(key);
    return {
      status: 'complete',
      text: unitsToText(g.alphabet, Buffer.concat(g.units as Buffer[])),
      alphabet: g.alphabet,
      total: g.total,
      contexts: g.contexts.filter((x) => x !== undefined) as C[],
    };
  }

  /** Expires stale groups now; returns (and forgets) every group dropped since the last call. */
  sweep(): DroppedGroup[] {
    this.#expire();
    return this.#dropped.splice(0);
  }

  #drop(key: string, g: Group, reason: DroppedGroup['reason']): void {
    this.#groups.delete(key);
    const present = g.units.filter((u): u is Buffer => u !== undefined);
    this.#dropped.push({
      key,
      reason,
      received: g.received,
      total: g.total,
      partialText: unitsToText(g.alphabet, Buffer.concat(present)),
      contexts: g.contexts.filter((x) => x !== undefined),
    });
    // The dropped list is itself bounded: an owner that never sweeps must not leak.
    if (this.#dropped.length > this.#maxGroups) this.#dropped.shift();
  }

  #evictOldest(): void {
    const first = this.#groups.entries().next();
    if (!first.done) this.#drop(first.value[0], first.value[1], 'evicted');
  }

  #expire(): void {
    const limit = this.#now() - this.#timeoutMs;
    for (const [key, g] of this.#groups) {
      if (g.firstAt > limit) break;
      this.#drop(key, g, 'timeout');
    }
  }
}
