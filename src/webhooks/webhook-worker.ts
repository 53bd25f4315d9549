import { signAkSk } from '../auth/aksk.js';
import type { Logger } from '../engine/logger.js';
import type { AppRecord, OutboxRecord, PushAttempt } from '../store/records.js';
import type { Store } from '../store/store.js';
import { BatchCollector, type BatchGroup } from './batch-collector.js';
import { batchReportBody, statusReportBody, uplinkBody } from './push-body.js';
import { type PushRequest, type PushResult, PushSender } from './push-sender.js';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, nextAttempt, type RetryPolicy } from './retry-schedule.js';

/**
 * `config.webhooks` as the worker reads it. The five required fields are those of the project
 * `Config`; the optional ones have defaults here so the config file need not name them.
 */
export interface WebhookOptions {
  /** Per-attempt timeout (connect, headers, body). */
  timeoutMs: number;
  /** Give up (dead) this long after the outbox row was created. Spec §6: 72 h. */
  maxAgeMs: number;
  /** Allow private-range destinations (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10). */
  allowPrivate: boolean;
  /** Allow loopback destinations (the demo profile does). */
  allowLoopback: boolean;
  /** How long batch reports wait for company before a push with fewer than 50. */
  batchDelayMs: number;
  /** First retry step. Default 5 000 ms. */
  retryBaseMs?: number;
  /** Largest retry step. Default 1 h. */
  retryMaxMs?: number;
  /** Rows claimed per poll. Default 200. */
  claimBatch?: number;
  /** Outbox lease; must outlast timeoutMs + batchDelayMs. Default 60 000 ms. */
  leaseMs?: number;
  /**
   * Idle poll interval. Default 200 ms. Only used when the outbox had nothing more to claim:
   * with a backlog the worker claims again as soon as completed pushes free room.
   */
  pollMs?: number;
  /** Rows held (claimed, not yet completed) at most; bounds memory. Default 1 000. */
  maxInFlight?: number;
  /**
   * Keep-alive connections per receiver origin. Default 64: one push per connection at a time
   * (no pipelining), so this caps pushes in flight to one receiver; at a few ms per round trip
   * 64 connections carry well over 5,000 pushes/s, while staying a modest load for a receiver.
   */
  connectionsPerOrigin?: number;
}

/** What the worker needs; main.ts passes the project `Config` (structurally compatible). */
export interface WebhookWorkerDeps {
  store: Store;
  config: { webhooks: WebhookOptions };
  log: Logger;
  nodeId: string;
  /** Epoch ms for due times, attempts and the 72 h limit. Default `Date.now`; tests inject one. */
  clock?: () => number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Rows per batch push; 50 (spec §7) except in tests. */
  maxBatchSize?: number;
}

type Completion = {
  id: number;
  attempt: PushAttempt;
  outcome: 'delivered' | 'retry' | 'dead';
  nextDueAt?: number;
};

/**
 * Completions are written when this many are gathered or this long after the first. Few large
 * transactions cost the database far less than many small ones (each commit writes every page it
 * touched); the only cost of waiting is that the rows' room is freed a little later.
 */
const COMPLETION_FLUSH_ROWS = 200;
const COMPLETION_FLUSH_MS = 20;

/** Poll interval while at the in-flight cap; completions normally wake the loop long before. */
const CAPPED_FALLBACK_MS = 1_000;

/** Apps are read for push signing; cached briefly so a burst of reports costs one read. */
const APP_CACHE_MS = 5_000;

/**
 * The outbox worker: claims due outbox rows, pushes them and records every attempt.
 *
 * ```
 *  claimOutbox ─▶ status / uplink row ──────────────▶ push ─┐
 *              └▶ batch_status row ─▶ BatchCollector ─▶ push ┼─▶ completion buffer ─▶ completeOutbox
 *                 (per app+url, ≤50, ≤ batchDelayMs)         ┘     (one call per few ms)
 * ```
 * Delivery is at-least-once: a row whose completion was not written (crash) is claimed again
 * when its lease runs out. Outcomes: any response except 408/429/5xx → delivered; 408, 429, 5xx,
 * connection error, timeout → retry (back-off, see retry-schedule.ts) until 72 h after creation,
 * then dead; refused address or unusable URL → dead at once.
 */
export class WebhookWorker {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #nodeId: string;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #opts: Required<WebhookOptions>;
  readonly #policy: RetryPolicy;
  readonly #sender: PushSender;
  readonly #collector: BatchCollector;
  readonly #apps = new Map<string, { app: AppRecord | undefined; at: number }>();
  readonly #pushes = new Set<Promise<void>>();
  #completions: Completion[] = [];
  #flushTimer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #ticking: Promise<void> | null = null;
  /** A tick ran while another was running: run again right after it. */
  #wake = false;
  /** The last tick found no room (maxInFlight rows held): completions kick the loop. */
  #capped = false;

  constructor(deps: WebhookWorkerDeps) {
    const w = deps.config.webhooks;
    this.#store = deps.store;
    this.#log = deps.log;
    this.#nodeId = deps.nodeId;
    this.#clock = deps.clock ?? Date.now;
    this.#random = deps.random ?? Math.random;
    this.#opts = {
      timeoutMs: w.timeoutMs,
      maxAgeMs: w.maxAgeMs,
      allowPrivate: w.allowPrivate,
      allowLoopback: w.allowLoopback,
      batchDelayMs: w.batchDelayMs,
      retryBaseMs: w.retryBaseMs ?? DEFAULT_RETRY_POLICY.baseMs,
      retryMaxMs: w.retryMaxMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
      claimBatch: w.claimBatch ?? 200,
      leaseMs: w.leaseMs ?? 60_000,
      pollMs: w.pollMs ?? 200,
      maxInFlight: w.maxInFlight ?? 1_000,
      connectionsPerOrigin: w.connectionsPerOrigin ?? 64,
    };
    this.#policy = {
      baseMs: this.#opts.retryBaseMs,
      maxDelayMs: this.#opts.retryMaxMs,
      maxAgeMs: w.maxAgeMs,
    };
    this.#sender = new PushSender({
      timeoutMs: w.timeoutMs,
      allowPrivate: w.allowPrivate,
      allowLoopback: w.allowLoopback,
      connectionsPerOrigin: this.#opts.connectionsPerOrigin,
    });
    this.#collector = new BatchCollector(w.batchDelayMs, deps.maxBatchSize);
  }

  /** Starts polling. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  /**
   * Stops claiming, pushes the batch groups already gathered, waits for in-flight pushes and
   * writes their outcomes, then closes the connection pool.
   */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#ticking;
    for (const g of this.#collector.takeDue(0, true)) this.#track(this.#pushBatch(g));
    while (this.#pushes.size > 0) await Promise.all([...this.#pushes]);
    await this.#flushCompletions();
    await this.#sender.close();
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = null;
        if (this.#wake) {
          this.#wake = false;
          this.#schedule(0);
        }
      });
    }, delayMs);
  }

  /** Room freed while rows wait: claim again now instead of at the next poll. */
  #kick(): void {
    if (!this.#running) return;
    if (this.#ticking) this.#wake = true;
    else this.#schedule(0);
  }

  async #tick(): Promise<void> {
    let full = false;
    this.#capped = false;
    try {
      const room = this.#opts.maxInFlight - this.#inFlight;
      // Near the cap, wait until a batch's worth of room is free: claiming a handful of rows at a
      // time costs a transaction each.
      if (room >= this.#minClaim()) {
        const limit = Math.min(this.#opts.claimBatch, room);
        const rows = await this.#store.claimOutbox(this.#nodeId, limit, this.#opts.leaseMs, this.#clock());
        full = rows.length === limit;
        this.#inFlight += rows.length;
        for (const row of rows) {
          if (row.kind === 'batch_status') {
            const group = this.#collector.add(row, performance.now());
            if (group) this.#track(this.#pushBatch(group));
          } else {
            this.#track(this.#pushOne(row));
          }
        }
      } else {
        this.#capped = true;
      }
      for (const g of this.#collector.takeDue(performance.now())) this.#track(this.#pushBatch(g));
    } catch (err) {
      this.#log.error({ err }, 'webhook worker: claiming outbox rows failed');
    }
    // A full claim means more rows are probably due. At the cap, the completion flush that frees
    // room kicks the loop (#kick); the poll is then only a fallback.
    if (full && this.#opts.maxInFlight - this.#inFlight < this.#minClaim()) this.#capped = true;
    let delay = this.#capped ? CAPPED_FALLBACK_MS : full ? 0 : this.#opts.pollMs;
    const due = this.#collector.nextDueAt();
    if (due !== null) delay = Math.min(delay, Math.max(0, Math.ceil(due - performance.now())));
    this.#schedule(delay);
  }

  /** Room that makes a claim worth it when rows are held: a quarter of the cap, at most a batch. */
  #minClaim(): number {
    return Math.max(1, Math.min(this.#opts.claimBatch, Math.floor(this.#opts.maxInFlight / 4)));
  }

  #track(p: Promise<void>): void {
    const tracked = p.catch((err) => this.#log.error({ err }, 'webhook worker: push failed unexpectedly'));
    this.#pushes.add(tracked);
    void tracked.finally(() => this.#pushes.delete(tracked));
  }

  async #pushOne(row: OutboxRecord): Promise<void> {
    const req: PushRequest =
      row.kind === 'uplink'
        ? { url: row.url, contentType: 'application/x-www-form-urlencoded', body: uplinkBody(row.payload) }
        : {
            url: row.url,
            contentType: 'application/x-www-form-urlencoded',
            body: statusReportBody(row.payload),
          };
    const at = this.#clock();
    const result = await this.#send(row.appId, req);
    this.#complete([row], at, result);
  }

  async #pushBatch(group: BatchGroup): Promise<void> {
    const req: PushRequest = {
      url: group.url,
      contentType: 'application/json',
      body: batchReportBody(group.rows.map((r) => r.payload)),
    };
    const at = this.#clock();
    const result = await this.#send(group.appId, req);
    this.#complete(group.rows, at, result);
  }

  async #send(appId: string, req: PushRequest): Promise<PushResult> {
    try {
      const app = await this.#app(appId);
      if (app?.pushSigning) req.headers = this.#sign(app, req);
    } catch (err) {
      // Without the app we cannot sign; retrying later is the safe choice.
      return {
        httpStatus: null,
        latencyMs: 0,
        error: `signing failed: ${(err as Error).message}`,
        permanent: false,
      };
    }
    return this.#sender.send(req);
  }

  /** Spec §4.3: X-Sdk-Date + Authorization over content-type, host and x-sdk-date; the body is hashed. */
  #sign(app: AppRecord, req: PushRequest): Record<string, string> {
    const url = new URL(req.url);
    return signAkSk({
      method: 'POST',
      path: url.pathname,
      query: url.search.slice(1),
      headers: { host: url.host, 'content-type': req.contentType },
      body: req.body,
      appKey: app.appKey,
      appSecret: app.appSecret,
    });
  }

  async #app(appId: string): Promise<AppRecord | undefined> {
    const now = performance.now();
    const hit = this.#apps.get(appId);
    if (hit && now - hit.at < APP_CACHE_MS) return hit.app;
    const app = await this.#store.getApp(appId);
    if (this.#apps.size > 10_000) this.#apps.clear();
    this.#apps.set(appId, { app, at: now });
    return app;
  }

  #complete(rows: OutboxRecord[], at: number, result: PushResult): void {
    const delivered = result.httpStatus !== null && !isRetryableStatus(result.httpStatus);
    const error =
      result.error ?? (result.httpStatus !== null && !delivered ? `HTTP ${result.httpStatus}` : null);
    for (const row of rows) {
      const attempt: PushAttempt = {
        outboxId: row.id,
        at,
        httpStatus: result.httpStatus,
        latencyMs: result.latencyMs,
        error,
      };
      if (delivered) {
        this.#completions.push({ id: row.id, attempt, outcome: 'delivered' });
        continue;
      }
      const next = result.permanent
        ? ({ dead: true } as const)
        : nextAttempt(row.createdAt, row.attempts + 1, this.#clock(), this.#policy, this.#random);
      if (next.dead) {
        this.#log.warn({ outboxId: row.id, url: row.url, error }, 'webhook push is dead');
        this.#completions.push({ id: row.id, attempt, outcome: 'dead' });
      } else {
        this.#completions.push({ id: row.id, attempt, outcome: 'retry', nextDueAt: next.retryAt });
      }
    }
    // Group commit: completions gathered over a few ms go in one store call.
    if (this.#completions.length >= COMPLETION_FLUSH_ROWS) void this.#flushCompletions();
    else if (!this.#flushTimer)
      this.#flushTimer = setTimeout(() => void this.#flushCompletions(), COMPLETION_FLUSH_MS);
  }

  #flushCompletions(): Promise<void> {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#flushing = this.#flushing.then(async () => {
      const batch = this.#completions;
      if (batch.length === 0) return;
      this.#completions = [];
      try {
        await this.#store.completeOutbox(batch);
      } catch (err) {
        // The rows stay leased and are pushed again when the lease runs out (at-least-once).
        this.#log.error({ err, rows: batch.length }, 'webhook worker: recording push outcomes failed');
      } finally {
        this.#inFlight -= batch.length;
        if (this.#capped && this.#opts.maxInFlight - this.#inFlight >= this.#minClaim()) {
          this.#capped = false;
          this.#kick();
        }
      }
    });
    return this.#flushing;
  }

  /** Rows claimed and not yet completed, and rows waiting in batch groups (for metrics). */
  status(): { inFlight: number; batching: number } {
    return { inFlight: this.#inFlight, batching: this.#collector.size };
  }
}
