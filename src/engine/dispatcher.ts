import { normalizeMessageId } from '../smpp/message-id.js';
import type { ConnectorRecord } from '../store/records.js';
import type { ClaimedMessage, FinalOutcome, Store, SubmitOutcome } from '../store/store.js';
import type { CarrierLink, SubmitResult } from './carrier-link.js';
import type { Interceptor } from './interceptor.js';
import type { Logger } from './logger.js';
import type { Router } from './router.js';

/** Tuning of the dispatch loop (`config.engine`). */
export interface DispatcherOptions {
  /** Messages claimed per store call. */
  claimBatch: number;
  /** Lease on claimed messages; renewed while they wait here. */
  leaseMs: number;
  /** Idle poll interval. */
  pollMs: number;
  /** First back-off step after a failed submit; doubles per attempt (jittered), capped at 5 min. */
  retryBaseMs: number;
  /** Submit attempts before a message fails with `E200034` (retransmission timeout). */
  maxAttempts: number;
  /**
   * Messages held in memory (waiting for a window slot or throughput tokens, or in flight).
   * Bounds memory whatever the queue depth. Default 4 × claimBatch.
   */
  maxHeld?: number;
  /**
   * Take throughput tokens from the store (`takeTokens('tps:'+connectorId)`) so N nodes together
   * keep a connector's `tps`. Default: only when the store has several writers (a cluster); a
   * single node leaves it to the SMPP client's own per-connector cap.
   */
  sharedThrottle?: boolean;
  /** How long a message waits for a bound session before it is requeued. Default 2 000 ms. */
  noLinkWaitMs?: number;
}

/** The connectors, links and routes the dispatcher works with (the connector manager). */
export interface LinkDirectory {
  router(): Router;
  connector(id: string): ConnectorRecord | undefined;
  link(id: string): CarrierLink | undefined;
}

/** Messages handled since start, by outcome. */
export interface DispatchCounters {
  submitted: number;
  rejected: number;
  requeued: number;
  failed: number;
  intercepted: number;
  noRoute: number;
}

/** The dispatcher's live state: messages held here, submits in flight per connector, counters. */
export interface DispatcherStatus {
  held: number;
  inFlight: Record<string, number>;
  counters: DispatchCounters;
}

interface Held {
  claimed: ClaimedMessage;
  candidates: string[];
  /** Name of the route that chose the candidates, for the message's timeline. */
  route: string;
  heldSince: number;
  leasedAt: number;
}

const MAX_RETRY_STEP_MS = 5 * 60_000;
/** Results gathered within this many ms (or this many rows) go to the store in one call each. */
const FLUSH_DELAY_MS = 5;
const FLUSH_ROWS = 200;
/**
 * Submits started per turn of the loop at most. With wide windows (200 on the embedded simulator)
 * a burst of results frees a whole window at once; encoding and writing that many PDUs (and, with
 * the embedded simulator, answering them) in one synchronous stretch held API requests back.
 * The rest go on the next turn, right after pending I/O.
 */
const DISPATCH_CHUNK = 64;
/** Floor (and growth step) of the per-turn budget while the loop lags. */
const MIN_DISPATCH_CHUNK = 8;
/** A tick starting later than this after it was due means the loop is congested. */
const LAG_TARGET_MS = 8;

/**
 * The send loop: claim → intercept → route → throttle → submit → record.
 *
 * ```
 * claimMessages ─▶ Interceptor ─▶ Router ─▶ held (waits for a ready link with a free window
 *   (≤ maxHeld)     │ REJECTED     │ no route     slot, and tokens when shared) ─▶ link.submit
 *                   ▼              ▼ E200027                                      │
 *               finalizeMessages ◀─────────── rejected (ESME_*) / E200034 ◀───────┤
 *               recordSubmits    ◀─────────── ok (carrier ids, normalised) ◀──────┤
 *               requeueMessages  ◀─────────── retry (back-off) ◀──────────────────┘
 * ```
 * Results are group-committed (one store call per kind every few ms). Nothing waits in memory
 * beyond `maxHeld` messages; the queue itself stays in the database.
 */
export class Dispatcher {
  readonly #store: Store;
  readonly #dir: LinkDirectory;
  readonly #interceptor: Interceptor;
  readonly #log: Logger;
  readonly #nodeId: string;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #o: Required<DispatcherOptions>;
  #held: Held[] = [];
  readonly #inFlight = new Map<string, number>();
  readonly #inFlightHeld = new Map<number, Held>();
  #submits: SubmitOutcome[] = [];
  #finals: FinalOutcome[] = [];
  #requeues: Array<{ messageId: number; dueAt: number; reason: string }> = [];
  #flushTimer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;
  #running = false;
  #wake = false;
  /** Submits this turn may start (see #pace). */
  #budget = DISPATCH_CHUNK;
  readonly #counters: DispatchCounters = {
    submitted: 0,
    rejected: 0,
    requeued: 0,
    failed: 0,
    intercepted: 0,
    noRoute: 0,
  };

  constructor(deps: {
    store: Store;
    directory: LinkDirectory;
    interceptor: Interceptor;
    log: Logger;
    nodeId: string;
    options: DispatcherOptions;
    clock?: () => number;
    random?: () => number;
  }) {
    this.#store = deps.store;
    this.#dir = deps.directory;
    this.#interceptor = deps.interceptor;
    this.#log = deps.log;
    this.#nodeId = deps.nodeId;
    this.#clock = deps.clock ?? Date.now;
    this.#random = deps.random ?? Math.random;
    const o = deps.options;
    this.#o = {
      ...o,
      maxHeld: o.maxHeld ?? 4 * o.claimBatch,
      sharedThrottle: o.sharedThrottle ?? deps.store.capabilities.supportsMultipleWriters,
      noLinkWaitMs: o.noLinkWaitMs ?? 2_000,
    };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  /**
   * Stops claiming, waits for submits in flight, puts held-but-unsent messages back in the
   * queue (due now, so another node or the next start takes them at once) and flushes results.
   */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#ticking;
    const now = this.#clock();
    for (const h of this.#held)
      this.#requeues.push({ messageId: h.claimed.message.id, dueAt: now, reason: 'shutdown' });
    this.#held = [];
    while (this.#inFlightHeld.size > 0) await new Promise((r) => setTimeout(r, 5));
    await this.#flush();
  }

  /** Live numbers for the engine status. */
  status(): DispatcherStatus {
    return {
      held: this.#held.length,
      inFlight: Object.fromEntries(this.#inFlight),
      counters: { ...this.#counters },
    };
  }

  #schedule(delayMs: number): void {
    if (!this.#running || this.#timer) return;
    const due = performance.now() + delayMs;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pace(performance.now() - due);
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = null;
        if (this.#wake) {
          this.#wake = false;
          this.#schedule(0);
        }
      });
    }, delayMs);
  }

  /**
   * Adapts the submits per turn to how late this turn came (event-loop lag): halve while the loop
   * is later than LAG_TARGET_MS, grow back by steps when it is not. The engine shares the event
   * loop with the HTTP API; with wide windows it could otherwise take most of every turn while a
   * queue drains and hold API requests back. On an idle API the lag stays low and the engine runs
   * at full budget.
   */
  #pace(lagMs: number): void {
    if (lagMs > LAG_TARGET_MS) this.#budget = Math.max(MIN_DISPATCH_CHUNK, Math.floor(this.#budget / 2));
    else this.#budget = Math.min(DISPATCH_CHUNK, this.#budget + MIN_DISPATCH_CHUNK);
  }

  /** A window slot freed or a result arrived: run the loop again soon. */
  #poke(): void {
    if (this.#ticking) this.#wake = true;
    else if (this.#timer === null) this.#schedule(0);
  }

  async #tick(): Promise<void> {
    let busy = false;
    try {
      const now = this.#clock();
      const room = this.#o.maxHeld - this.#held.length - this.#inFlightHeld.size;
      // Every submit result frees one slot and runs the loop: claiming that one message would
      // cost a store transaction per message. Wait for a quarter of maxHeld (at most a batch)
      // instead; what is already held keeps the windows busy meanwhile.
      if (room >= this.#minClaim()) {
        const limit = Math.min(this.#o.claimBatch, room);
        const claimed = await this.#store.claimMessages(this.#nodeId, limit, this.#o.leaseMs, now);
        busy = claimed.length === limit;
        if (claimed.length > 0) await this.#admit(claimed, now);
      }
      busy = (await this.#dispatch(this.#clock())) || busy;
      await this.#renewLeases(this.#clock());
    } catch (err) {
      this.#log.error({ err }, 'dispatcher: tick failed');
    }
    this.#schedule(busy ? 0 : this.#o.pollMs);
  }

  /** Smallest claim worth a store call: a quarter of maxHeld, at most claimBatch, at least 1. */
  #minClaim(): number {
    return Math.max(1, Math.min(this.#o.claimBatch, Math.floor(this.#o.maxHeld / 4)));
  }

  async #admit(claimed: ClaimedMessage[], now: number): Promise<void> {
    const { admitted, intercepted } = await this.#interceptor.screen(claimed);
    this.#counters.intercepted += intercepted.length;
    this.#finals.push(...intercepted);
    const router = this.#dir.router();
    const known = (id: string) => this.#dir.connector(id)?.enabled === true;
    for (const c of admitted) {
      const m = c.message;
      const input = { to: m.to, countryId: m.countryId, appId: m.appId, templateType: m.templateType };
      const candidates = router.candidates(input, known);
      if (!candidates) {
        this.#counters.noRoute++;
        this.#finals.push({
          messageId: m.id,
          state: 'FAILED',
          statusCode: 'E200027',
          source: '1',
          eventKind: 'final',
          detail: { reason: 'no route matches this message' },
        });
        continue;
      }
      const route = router.match(input)?.name ?? '';
      this.#held.push({ claimed: c, candidates, route, heldSince: now, leasedAt: now });
    }
    this.#scheduleFlush();
  }

  /** Hands held messages to links with free window slots. Returns true when something was sent. */
  async #dispatch(now: number): Promise<boolean> {
    if (this.#held.length === 0) return false;
    const assigned = new Map<string, Held[]>();
    const keep: Held[] = [];
    let budget = this.#budget;
    for (const h of this.#held) {
      if (budget === 0) {
        keep.push(h);
        continue;
      }
      let chosen: string | null = null;
      let anyReady = false;
      for (const id of h.candidates) {
        const link = this.#dir.link(id);
        if (!link?.isReady()) continue;
        anyReady = true;
        const used = (this.#inFlight.get(id) ?? 0) + (assigned.get(id)?.length ?? 0);
        if (used < this.#capacity(id)) {
          chosen = id;
          break;
        }
      }
      if (chosen) {
        budget--;
        const list = assigned.get(chosen) ?? [];
        list.push(h);
        assigned.set(chosen, list);
      } else if (!anyReady && now - h.heldSince >= this.#o.noLinkWaitMs) {
        // No bound session on any candidate: give the slot back rather than hold it indefinitely.
        this.#requeue(h, now, 'no bound session');
      } else {
        keep.push(h);
      }
    }
    let sent = false;
    const deferred: Held[] = [];
    for (const [id, list] of assigned) {
      const go = await this.#throttle(id, list, now);
      for (const h of list.slice(go)) deferred.push(h);
      for (const h of list.slice(0, go)) {
        this.#submit(h, id);
        sent = true;
      }
    }
    // Throttled messages keep their place ahead of the rest.
    this.#held = [...deferred, ...keep];
    if (deferred.length > 0) this.#schedule(Math.min(this.#o.pollMs, 50));
    return sent;
  }

  /** Outstanding submits allowed on a connector from this node: window × binds. */
  #capacity(id: string): number {
    const c = this.#dir.connector(id);
    const stats = this.#dir.link(id)?.stats?.();
    if (stats) return Math.max(1, stats.windowSize * Math.max(1, stats.sessionsBound));
    return Math.max(1, (c?.window ?? 10) * (c?.binds ?? 1));
  }

  /** How many of `list` (in order) the shared token bucket lets through now. */
  async #throttle(id: string, list: Held[], now: number): Promise<number> {
    const tps = this.#dir.connector(id)?.tps ?? 0;
    if (!this.#o.sharedThrottle || tps <= 0) return list.length;
    const parts = list.reduce((n, h) => n + Math.max(1, h.claimed.message.total), 0);
    const granted = await this.#store.takeTokens(`tps:${id}`, tps, parts, now);
    let used = 0;
    let go = 0;
    for (const h of list) {
      const n = Math.max(1, h.claimed.message.total);
      if (used + n > granted) break;
      used += n;
      go++;
    }
    return go;
  }

  #submit(h: Held, connectorId: string): void {
    const link = this.#dir.link(connectorId) as CarrierLink;
    const id = h.claimed.message.id;
    this.#inFlight.set(connectorId, (this.#inFlight.get(connectorId) ?? 0) + 1);
    this.#inFlightHeld.set(id, h);
    void link
      .submit(h.claimed)
      .catch(
        (err: unknown): SubmitResult => ({
          kind: 'retry',
          reason: `link error: ${(err as Error)?.message ?? err}`,
        }),
      )
      .then((result) => {
        this.#inFlight.set(connectorId, (this.#inFlight.get(connectorId) ?? 1) - 1);
        this.#inFlightHeld.delete(id);
        this.#onResult(h, connectorId, result);
        this.#scheduleFlush();
        this.#poke();
      });
  }

  #onResult(h: Held, connectorId: string, r: SubmitResult): void {
    const m = h.claimed.message;
    switch (r.kind) {
      case 'ok': {
        const mode = this.#dir.connector(connectorId)?.msgIdType ?? 'auto';
        this.#counters.submitted++;
        this.#submits.push({
          messageId: m.id,
          connectorId,
          parts: r.parts.map((p) => ({ ...p, carrierMsgId: normalizeMessageId(p.carrierMsgId, mode) })),
          routed: { at: h.heldSince, route: h.route },
        });
        return;
      }
      case 'rejected':
        this.#counters.rejected++;
        this.#finals.push({
          messageId: m.id,
          state: 'REJECTED',
          statusCode: r.statusCode,
          source: '2',
          eventKind: 'submit_failed',
          detail: { connectorId, commandStatus: r.commandStatus, ...(r.detail ? { detail: r.detail } : {}) },
        });
        return;
      case 'retry':
        this.#retryOrFail(h, this.#clock(), r.reason, connectorId);
        return;
    }
  }

  /** A failed submit: back to the queue with back-off, or `E200034` once attempts run out. */
  #retryOrFail(h: Held, now: number, reason: string, connectorId: string): void {
    const m = h.claimed.message;
    if (m.attempts + 1 >= this.#o.maxAttempts) {
      this.#counters.failed++;
      this.#finals.push({
        messageId: m.id,
        state: 'FAILED',
        statusCode: 'E200034',
        source: '1',
        eventKind: 'final',
        detail: { reason, connectorId, attempts: m.attempts + 1 },
      });
      return;
    }
    this.#requeue(h, now, reason);
  }

  #requeue(h: Held, now: number, reason: string): void {
    const step = Math.min(
      MAX_RETRY_STEP_MS,
      this.#o.retryBaseMs * 2 ** Math.min(h.claimed.message.attempts, 20),
    );
    const delay = Math.round(step / 2 + this.#random() * (step / 2));
    this.#counters.requeued++;
    this.#requeues.push({ messageId: h.claimed.message.id, dueAt: now + delay, reason });
    this.#scheduleFlush();
  }

  async #renewLeases(now: number): Promise<void> {
    const due = now - this.#o.leaseMs / 2;
    const stale: Held[] = [];
    for (const h of this.#held) if (h.leasedAt <= due) stale.push(h);
    for (const h of this.#inFlightHeld.values()) if (h.leasedAt <= due) stale.push(h);
    if (stale.length === 0) return;
    await this.#store.renewMessageLeases(
      this.#nodeId,
      stale.map((h) => h.claimed.message.id),
      this.#o.leaseMs,
      now,
    );
    for (const h of stale) h.leasedAt = now;
  }

  #scheduleFlush(): void {
    const rows = this.#submits.length + this.#finals.length + this.#requeues.length;
    if (rows === 0) return;
    if (rows >= FLUSH_ROWS) void this.#flush();
    else if (!this.#flushTimer) this.#flushTimer = setTimeout(() => void this.#flush(), FLUSH_DELAY_MS);
  }

  /** Writes gathered results: one recordSubmits, one finalizeMessages, one requeueMessages. */
  #flush(): Promise<void> {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#flushing = this.#flushing.then(async () => {
      const submits = this.#submits;
      const finals = this.#finals;
      const requeues = this.#requeues;
      this.#submits = [];
      this.#finals = [];
      this.#requeues = [];
      // Each write is its own transaction; on failure the messages keep their leases and are
      // claimed again when those run out (at-least-once). A turn of the event loop first: the
      // writes run as one synchronous stretch, and pending HTTP requests should not wait behind
      // several of them in a row.
      await new Promise<void>((r) => setImmediate(r));
      await Promise.all([
        submits.length > 0
          ? this.#store
              .recordSubmits(submits)
              .catch((err) => this.#writeFailed('recordSubmits', err, submits.length))
          : null,
        finals.length > 0
          ? this.#store
              .finalizeMessages(finals)
              .catch((err) => this.#writeFailed('finalizeMessages', err, finals.length))
          : null,
        requeues.length > 0
          ? this.#store
              .requeueMessages(requeues)
              .catch((err) => this.#writeFailed('requeueMessages', err, requeues.length))
          : null,
      ]);
    });
    return this.#flushing;
  }

  #writeFailed(what: string, err: unknown, rows: number): void {
    this.#log.error(
      { err, rows },
      `dispatcher: ${what} failed; messages will be reclaimed after their lease`,
    );
  }
}
