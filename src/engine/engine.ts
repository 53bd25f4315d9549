import type { FrequencyRule } from '../domain/frequency.js';
import { parseDeliveryReceipt } from '../smpp/receipt.js';
import type { Store } from '../store/store.js';
import type { CarrierLinkFactory, InboundDeliver } from './carrier-link.js';
import { ConnectorManager } from './connector-manager.js';
import { Dispatcher, type DispatcherStatus } from './dispatcher.js';
import { ExpirySweeper } from './expiry-sweeper.js';
import { Interceptor, type KeywordRule } from './interceptor.js';
import type { Logger } from './logger.js';
import { describeReceipt, ReceiptHandler } from './receipt-handler.js';
import { createSmppLinkFactory } from './smpp-carrier-link.js';
import { UplinkHandler } from './uplink-handler.js';

/**
 * The parts of the project `Config` the engine reads (structurally compatible, so main.ts can
 * pass its `Config`). Optional fields have defaults here.
 */
export interface EngineConfig {
  engine: {
    /** Messages claimed per store call. */
    claimBatch: number;
    /** Lease on claimed messages. */
    leaseMs: number;
    /** Idle poll interval of the dispatcher. */
    pollMs: number;
    /** No receipt this long after submit → EXPIRED (spec: 72 h; short in tests). */
    receiptWindowMs: number;
    /** First back-off step after a failed submit. */
    retryBaseMs: number;
    /** Submit attempts before `E200034`. */
    maxAttempts: number;
    /** Expiry sweep interval. Default 5 000 ms. */
    sweepIntervalMs?: number;
    /** Connector/route refresh, node heartbeat and bind-lease renewal interval. Default 1 000 ms. */
    connectorRefreshMs?: number;
    /** TTL of the node heartbeat and bind-slot leases (dead node → binds move). Default 5 000 ms. */
    bindLeaseMs?: number;
    /** Shared (cluster) throughput tokens; default when the store has several writers. */
    sharedThrottle?: boolean;
    /** Wait for a submit_sm_resp before the submit counts as failed (retry). Default 30 000 ms. */
    submitTimeoutMs?: number;
  };
  frequency: { enabled: boolean; rules: readonly FrequencyRule[] };
  /** Content keyword rules (→ `KEYWORD`). Default none. */
  interception?: { keywords?: readonly KeywordRule[] };
}

/** One connector as the console and /metrics show it. */
export interface ConnectorStatus {
  id: string;
  name: string;
  ready: boolean;
  sessionsBound: number;
  sessionsWanted: number;
  windowUsed: number;
  windowSize: number;
  /** Messages this node has in submit on the connector. */
  inFlight: number;
  /** Configured cap, messages per second (0 = none). */
  tps: number;
}

/** What {@link Engine.status} reports. */
export interface EngineStatus {
  running: boolean;
  connectors: ConnectorStatus[];
  dispatcher: DispatcherStatus;
  receiptsApplied: number;
  mosReceived: number;
  partsExpired: number;
  /** Queued messages, sampled on every expiry sweep (null until the first sample). */
  queueDepth: number | null;
}

/** Dependencies of {@link Engine}; `linkFactory` and `clock` are for tests. */
export interface EngineDeps {
  store: Store;
  config: EngineConfig;
  log: Logger;
  nodeId: string;
  /** Builds carrier links; default SMPP (`smpp-carrier-link.ts`). */
  linkFactory?: CarrierLinkFactory;
  clock?: () => number;
}

/**
 * The delivery engine of one node: connectors and routes ({@link ConnectorManager}), the send
 * loop ({@link Dispatcher}), receipts ({@link ReceiptHandler}), MO ({@link UplinkHandler}) and
 * expiry ({@link ExpirySweeper}). Every node of a cluster runs one; they share work through
 * the store's leases.
 */
export class Engine {
  readonly #log: Logger;
  readonly #store: Store;
  readonly #manager: ConnectorManager;
  readonly #dispatcher: Dispatcher;
  readonly #receipts: ReceiptHandler;
  readonly #uplink: UplinkHandler;
  readonly #sweeper: ExpirySweeper;
  #starting: Promise<void> | null = null;
  #running = false;
  #queueDepth: number | null = null;
  #sampler: NodeJS.Timeout | null = null;

  constructor(deps: EngineDeps) {
    const { store, config, log, nodeId } = deps;
    const e = config.engine;
    this.#log = log;
    this.#store = store;
    this.#receipts = new ReceiptHandler({ store, log, clock: deps.clock });
    this.#uplink = new UplinkHandler({ store, log, clock: deps.clock });
    this.#manager = new ConnectorManager({
      store,
      factory: deps.linkFactory ?? createSmppLinkFactory({ log, submitTimeoutMs: e.submitTimeoutMs }),
      onDeliver: (d) => this.#onDeliver(d),
      log,
      nodeId,
      clock: deps.clock,
      options: { refreshMs: e.connectorRefreshMs, bindLeaseMs: e.bindLeaseMs },
    });
    this.#dispatcher = new Dispatcher({
      store,
      directory: this.#manager,
      interceptor: new Interceptor(store, {
        frequency: config.frequency,
        keywords: config.interception?.keywords,
      }),
      log,
      nodeId,
      clock: deps.clock,
      options: {
        claimBatch: e.claimBatch,
        leaseMs: e.leaseMs,
        pollMs: e.pollMs,
        retryBaseMs: e.retryBaseMs,
        maxAttempts: e.maxAttempts,
        sharedThrottle: e.sharedThrottle,
      },
    });
    this.#sweeper = new ExpirySweeper({
      store,
      log,
      clock: deps.clock,
      options: { receiptWindowMs: e.receiptWindowMs, intervalMs: e.sweepIntervalMs },
    });
  }

  /** Opens connector links, then starts the send loop and the sweeper. Returns at once. */
  start(): void {
    if (this.#starting) return;
    this.#running = true;
    this.#starting = this.#manager
      .start()
      .then(() => {
        if (!this.#running) return;
        this.#dispatcher.start();
        this.#sweeper.start();
        this.#sample();
      })
      .catch((err) => this.#log.error({ err }, 'engine start failed'));
  }

  /** Resolves once links are opened and the loops run (tests and /readyz). */
  async ready(): Promise<void> {
    await this.#starting;
  }

  /**
   * Stops claiming, waits for submits in flight and writes their results, commits pending
   * receipts, then unbinds every link (windows drain) and releases bind slots.
   */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#sampler) clearTimeout(this.#sampler);
    this.#sampler = null;
    await this.#starting;
    await this.#dispatcher.stop();
    await this.#sweeper.stop();
    await this.#receipts.drain();
    await this.#manager.stop();
    await this.#receipts.drain();
    this.#starting = null;
  }

  status(): EngineStatus {
    const d = this.#dispatcher.status();
    const connectors: ConnectorStatus[] = [];
    for (const [id, link] of this.#manager.links()) {
      const c = this.#manager.connector(id);
      const s = link.stats?.();
      connectors.push({
        id,
        name: c?.name ?? id,
        ready: link.isReady(),
        sessionsBound: s?.sessionsBound ?? (link.isReady() ? 1 : 0),
        sessionsWanted: s?.sessionsWanted ?? c?.binds ?? 0,
        windowUsed: s?.windowUsed ?? d.inFlight[id] ?? 0,
        windowSize: s?.windowSize ?? c?.window ?? 0,
        inFlight: d.inFlight[id] ?? 0,
        tps: c?.tps ?? 0,
      });
    }
    return {
      running: this.#running,
      connectors,
      dispatcher: d,
      receiptsApplied: this.#receipts.applied,
      mosReceived: this.#uplink.received,
      partsExpired: this.#sweeper.expired,
      queueDepth: this.#queueDepth,
    };
  }

  /** Runs one expiry sweep now (CLI, tests). */
  sweepExpired(): Promise<number> {
    return this.#sweeper.sweep();
  }

  /** Re-reads connectors and routes now (after the management API changed them). */
  refreshConnectors(): Promise<void> {
    return this.#manager.refresh();
  }

  #sample(): void {
    if (!this.#running) return;
    void this.#store
      .queueDepth()
      .then((n) => {
        this.#queueDepth = n;
      })
      .catch(() => undefined)
      .finally(() => {
        if (!this.#running) return;
        this.#sampler = setTimeout(() => {
          void this.#uplink
            .sweep()
            .catch((err) => this.#log.error({ err }, 'storing waiting MO parts failed; retried next sweep'));
          this.#sample();
        }, 5_000);
        this.#sampler.unref?.();
      });
  }

  /** deliver_sm from any link: a receipt or an MO. Resolves after commit (then the session acks). */
  #onDeliver(d: InboundDeliver): Promise<void> {
    const receipt = parseDeliveryReceipt(d.pdu);
    if (!receipt) return this.#uplink.handle(d);
    const mode = this.#manager.connector(d.connectorId)?.msgIdType ?? 'auto';
    return this.#receipts.handle(d.connectorId, mode, receipt, describeReceipt(receipt, receipt.text));
  }
}
