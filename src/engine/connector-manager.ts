import type { ConnectorRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { CarrierLink, CarrierLinkFactory, DeliverHandler } from './carrier-link.js';
import type { LinkDirectory } from './dispatcher.js';
import type { Logger } from './logger.js';
import { Router } from './router.js';

/** Options of {@link ConnectorManager}. */
export interface ConnectorManagerOptions {
  /** How often connectors and routes are re-read and bind leases renewed. Default 5 000 ms. */
  refreshMs?: number;
  /** Bind-slot lease; a dead node's slots are free after this. Default 3 × refreshMs. */
  bindLeaseMs?: number;
}

interface Entry {
  connector: ConnectorRecord;
  link: CarrierLink;
  slots: number[];
}

/**
 * Keeps one {@link CarrierLink} per enabled connector and the current routes.
 *
 * Binds are a cluster resource: a connector's `binds` sessions are slots `bind:<id>:<n>`
 * (n = 0..binds-1), each held through `store.acquireLease(name, nodeId, ttl)` and renewed on
 * every refresh, so all nodes together never open more sessions than the carrier allows, and
 * a dead node's slots are taken over once its leases run out. A node takes every free slot it
 * can (greedy): the first node up holds all binds until it dies, which is what a carrier
 * contract with few binds needs. A single SQLite node always gets every slot.
 *
 * A connector whose settings changed (updatedAt) gets a new link; a removed or disabled one is
 * closed (its window drained) and its slots released.
 */
export class ConnectorManager implements LinkDirectory {
  readonly #store: Store;
  readonly #factory: CarrierLinkFactory;
  readonly #onDeliver: DeliverHandler;
  readonly #log: Logger;
  readonly #nodeId: string;
  readonly #clock: () => number;
  readonly #refreshMs: number;
  readonly #leaseMs: number;
  readonly #entries = new Map<string, Entry>();
  #connectors = new Map<string, ConnectorRecord>();
  #router = new Router([]);
  #timer: NodeJS.Timeout | null = null;
  #refreshing: Promise<void> | null = null;
  #running = false;

  constructor(deps: {
    store: Store;
    factory: CarrierLinkFactory;
    onDeliver: DeliverHandler;
    log: Logger;
    nodeId: string;
    options?: ConnectorManagerOptions;
    clock?: () => number;
  }) {
    this.#store = deps.store;
    this.#factory = deps.factory;
    this.#onDeliver = deps.onDeliver;
    this.#log = deps.log;
    this.#nodeId = deps.nodeId;
    this.#clock = deps.clock ?? Date.now;
    this.#refreshMs = deps.options?.refreshMs ?? 5_000;
    this.#leaseMs = deps.options?.bindLeaseMs ?? 3 * this.#refreshMs;
  }

  /** Reads connectors and routes, takes bind slots and opens links; then refreshes periodically. */
  async start(): Promise<void> {
    this.#running = true;
    await this.refresh();
    this.#arm();
  }

  #arm(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      void this.refresh().finally(() => this.#arm());
    }, this.#refreshMs);
    this.#timer.unref?.();
  }

  /** Closes every link (draining windows) and releases this node's bind slots. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#refreshing;
    await Promise.all([...this.#entries.keys()].map((id) => this.#drop(id)));
  }

  router(): Router {
    return this.#router;
  }

  connector(id: string): ConnectorRecord | undefined {
    return this.#connectors.get(id);
  }

  link(id: string): CarrierLink | undefined {
    return this.#entries.get(id)?.link;
  }

  /** Links by connector id, for status. */
  links(): ReadonlyMap<string, CarrierLink> {
    return new Map([...this.#entries].map(([id, e]) => [id, e.link]));
  }

  /** One refresh now (also run by the timer). Concurrent calls share one run. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    try {
      const [connectors, routes] = await Promise.all([
        this.#store.listConnectors(),
        this.#store.listRoutes(),
      ]);
      this.#connectors = new Map(connectors.map((c) => [c.id, c]));
      this.#router = new Router(routes);
      for (const id of [...this.#entries.keys()]) {
        const c = this.#connectors.get(id);
        const e = this.#entries.get(id) as Entry;
        if (!c?.enabled || c.updatedAt !== e.connector.updatedAt) await this.#drop(id);
      }
      if (!this.#running) return;
      for (const c of connectors) if (c.enabled) await this.#hold(c);
    } catch (err) {
      this.#log.error({ err }, 'connector manager: refresh failed');
    }
  }

  /** Renews held slots, tries the free ones, and resizes (or creates) the link. */
  async #hold(c: ConnectorRecord): Promise<void> {
    const now = this.#clock();
    const slots: number[] = [];
    for (let n = 0; n < Math.max(0, c.binds); n++) {
      if (await this.#store.acquireLease(`bind:${c.id}:${n}`, this.#nodeId, this.#leaseMs, now))
        slots.push(n);
    }
    const e = this.#entries.get(c.id);
    if (!e) {
      const link = this.#factory(c, { sessions: slots.length, onDeliver: this.#onDeliver });
      this.#entries.set(c.id, { connector: c, link, slots });
      this.#log.info({ connectorId: c.id, sessions: slots.length }, 'connector link opened');
      return;
    }
    if (e.slots.length !== slots.length) {
      this.#log.info(
        { connectorId: c.id, from: e.slots.length, to: slots.length },
        'connector bind slots changed',
      );
      e.link.setSessions?.(slots.length);
    }
    // Slots beyond `binds` (the connector was reduced) are released.
    for (const n of e.slots)
      if (n >= c.binds) await this.#store.releaseLease(`bind:${c.id}:${n}`, this.#nodeId);
    e.slots = slots;
  }

  async #drop(id: string): Promise<void> {
    const e = this.#entries.get(id);
    if (!e) return;
    this.#entries.delete(id);
    try {
      await e.link.close();
    } catch (err) {
      this.#log.warn({ err, connectorId: id }, 'closing connector link failed');
    }
    for (const n of e.slots)
      await this.#store.releaseLease(`bind:${id}:${n}`, this.#nodeId).catch(() => undefined);
    this.#log.info({ connectorId: id }, 'connector link closed');
  }
}
