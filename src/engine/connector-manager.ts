import type { ConnectorRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { CarrierLink, CarrierLinkFactory, DeliverHandler } from './carrier-link.js';
import type { LinkDirectory } from './dispatcher.js';
import type { Logger } from './logger.js';
import { Router } from './router.js';

/** Options of {@link ConnectorManager}. */
export interface ConnectorManagerOptions {
  /**
   * How often connectors and routes are re-read and the node heartbeat and bind leases renewed.
   * Default 1 000 ms: short enough that a dead node's binds move within seconds.
   */
  refreshMs?: number;
  /**
   * TTL of the node heartbeat (`node:<nodeId>`) and of bind-slot leases; a dead node counts as
   * gone and its slots are free after this. Default 5 000 ms (at least 2 × refreshMs); keep it
   * above 2 × refreshMs so a live node never loses a lease between two renewals.
   */
  bindLeaseMs?: number;
}

/** Lease name of a node's heartbeat; the live nodes are the unexpired `node:` leases. */
export const NODE_LEASE_PREFIX = 'node:';
/** Lease name prefix of bind slots: `bind:<connectorId>:<n>`. */
export const BIND_LEASE_PREFIX = 'bind:';

/** Bind slots one node should hold: an even share, rounded up so every slot can be held. */
export function bindShare(binds: number, liveNodes: number): number {
  return Math.ceil(Math.max(0, binds) / Math.max(1, liveNodes));
}

interface Entry {
  connector: ConnectorRecord;
  link: CarrierLink;
  slots: number[];
  /** Slots given up whose sessions are still unbinding: renewed until then, released after. */
  draining: Set<number>;
}

/**
 * Keeps one {@link CarrierLink} per enabled connector and the current routes.
 *
 * Binds are a cluster resource: a connector's `binds` sessions are slots `bind:<id>:<n>`
 * (n = 0..binds-1), each held through `store.acquireLease(name, nodeId, ttl)` and renewed on
 * every refresh, so all nodes together never open more sessions than the carrier allows, and
 * a dead node's slots are taken over once its leases run out. Binds are spread: every node
 * renews a heartbeat lease `node:<nodeId>`, counts the live nodes, and holds at most
 * {@link bindShare}(binds, liveNodes) slots — it takes free slots up to that share and releases
 * the extra ones (highest first) when nodes join, so the others can take them. A single node
 * (SQLite or a one-node cluster) always gets every slot.
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
  #liveNodes = 1;

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
    this.#refreshMs = deps.options?.refreshMs ?? 1_000;
    this.#leaseMs = deps.options?.bindLeaseMs ?? Math.max(5_000, 2 * this.#refreshMs);
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
    await this.#store
      .releaseLease(`${NODE_LEASE_PREFIX}${this.#nodeId}`, this.#nodeId)
      .catch(() => undefined);
  }

  /** Live nodes seen at the last refresh (1 until then). */
  liveNodes(): number {
    return this.#liveNodes;
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
      // Heartbeat first, so this node counts itself among the live ones.
      const now = this.#clock();
      await this.#store.acquireLease(`${NODE_LEASE_PREFIX}${this.#nodeId}`, this.#nodeId, this.#leaseMs, now);
      const [nodes, binds] = await Promise.all([
        this.#store.listLeases(NODE_LEASE_PREFIX, now),
        this.#store.listLeases(BIND_LEASE_PREFIX, now),
      ]);
      this.#liveNodes = Math.max(1, nodes.length);
      const holders = new Map(binds.map((l) => [l.name, l.owner]));
      this.#connectors = new Map(connectors.map((c) => [c.id, c]));
      this.#router = new Router(routes);
      for (const id of [...this.#entries.keys()]) {
        const c = this.#connectors.get(id);
        const e = this.#entries.get(id) as Entry;
        if (!c?.enabled || c.updatedAt !== e.connector.updatedAt) await this.#drop(id);
      }
      if (!this.#running) return;
      for (const c of connectors) if (c.enabled) await this.#hold(c, holders, now);
    } catch (err) {
      this.#log.error({ err }, 'connector manager: refresh failed');
    }
  }

  /**
   * Renews the slots this node holds (up to its share), releases the ones above its share, takes
   * free ones until the share is reached, and resizes (or creates) the link. `holders` maps
   * unexpired bind leases to their owners, read once per refresh.
   */
  async #hold(c: ConnectorRecord, holders: ReadonlyMap<string, string>, now: number): Promise<void> {
    const name = (n: number) => `${BIND_LEASE_PREFIX}${c.id}:${n}`;
    const share = bindShare(c.binds, this.#liveNodes);
    const e = this.#entries.get(c.id);
    const held = e?.slots ?? [];
    const keep = held.filter((n) => n < c.binds && holders.get(name(n)) === this.#nodeId).slice(0, share);
    const slots: number[] = [];
    for (const n of keep)
      if (await this.#store.acquireLease(name(n), this.#nodeId, this.#leaseMs, now)) slots.push(n);
    for (const n of e?.draining ?? [])
      await this.#store.acquireLease(name(n), this.#nodeId, this.#leaseMs, now);
    for (let n = 0; n < Math.max(0, c.binds) && slots.length < share; n++) {
      if (slots.includes(n) || holders.has(name(n)) || e?.draining.has(n)) continue;
      if (await this.#store.acquireLease(name(n), this.#nodeId, this.#leaseMs, now)) slots.push(n);
    }
    slots.sort((a, b) => a - b);
    if (!e) {
      const link = this.#factory(c, { sessions: slots.length, onDeliver: this.#onDeliver });
      this.#entries.set(c.id, { connector: c, link, slots, draining: new Set() });
      this.#log.info({ connectorId: c.id, sessions: slots.length }, 'connector link opened');
      return;
    }
    // Slots above the share (nodes joined), beyond `binds` (the connector was reduced) or lost.
    const given = held.filter((n) => !slots.includes(n));
    if (e.slots.length !== slots.length) {
      this.#log.info(
        { connectorId: c.id, from: e.slots.length, to: slots.length, liveNodes: this.#liveNodes },
        'connector bind slots changed',
      );
      const closed = e.link.setSessions?.(slots.length);
      // A slot goes back to the cluster only once its session is unbound, so another node's
      // bind never overlaps ours; meanwhile its lease is renewed as draining.
      for (const n of given) e.draining.add(n);
      void Promise.resolve(closed).finally(async () => {
        for (const n of given) {
          if (!e.draining.delete(n)) continue;
          if (!slots.includes(n))
            await this.#store.releaseLease(name(n), this.#nodeId).catch(() => undefined);
        }
      });
    }
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
    for (const n of [...e.slots, ...e.draining])
      await this.#store.releaseLease(`${BIND_LEASE_PREFIX}${id}:${n}`, this.#nodeId).catch(() => undefined);
    e.draining.clear();
    this.#log.info({ connectorId: id }, 'connector link closed');
  }
}
