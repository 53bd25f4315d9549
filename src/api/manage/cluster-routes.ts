/**
 * `GET /cluster`: the nodes sharing this database and which node holds which carrier bind, read
 * from the store's leases (`node:<nodeId>` heartbeats and `bind:<connectorId>:<n>` slots, see
 * src/engine/connector-manager.ts). Every node answers the same (it is database state); `self`
 * marks the node that answered, so a load balancer's choice is visible.
 */
import type { FastifyInstance } from 'fastify';
import type { ManageDeps } from './manage-deps.js';

const NODE_PREFIX = 'node:';
const BIND_PREFIX = 'bind:';

/** One live node: its heartbeat lease runs until `expiresAt` (epoch ms). */
export interface ClusterNodeView {
  nodeId: string;
  self: boolean;
  expiresAt: string;
  /** Bind slots it holds, over all connectors. */
  binds: number;
}

/** One connector's bind slots and their holders (`nodeId` null = free slot). */
export interface ClusterConnectorView {
  connectorId: string;
  name: string;
  enabled: boolean;
  binds: number;
  slots: Array<{ slot: number; nodeId: string | null; expiresAt: string | null }>;
}

export async function clusterRoutes(app: FastifyInstance, deps: ManageDeps): Promise<void> {
  const { store, config } = deps;
  app.get(
    '/cluster',
    {
      schema: {
        tags: ['ops'],
        summary: 'Live nodes (heartbeat leases) and which node holds which carrier bind',
      },
    },
    async () => {
      const now = Date.now();
      const [nodes, binds, connectors] = await Promise.all([
        store.listLeases(NODE_PREFIX, now),
        store.listLeases(BIND_PREFIX, now),
        store.listConnectors(),
      ]);
      const holder = new Map(binds.map((l) => [l.name, l]));
      const held = new Map<string, number>();
      for (const l of binds) held.set(l.owner, (held.get(l.owner) ?? 0) + 1);
      const iso = (ms: number) => new Date(ms).toISOString();
      return {
        node: config.nodeId,
        store: store.kind,
        nodes: nodes.map((l): ClusterNodeView => {
          const nodeId = l.name.slice(NODE_PREFIX.length);
          return {
            nodeId,
            self: nodeId === config.nodeId,
            expiresAt: iso(l.expiresAt),
            binds: held.get(nodeId) ?? 0,
          };
        }),
        connectors: connectors.map(
          (c): ClusterConnectorView => ({
            connectorId: c.id,
            name: c.name,
            enabled: c.enabled,
            binds: c.binds,
            slots: Array.from({ length: Math.max(0, c.binds) }, (_, slot) => {
              const l = holder.get(`${BIND_PREFIX}${c.id}:${slot}`);
              return { slot, nodeId: l?.owner ?? null, expiresAt: l ? iso(l.expiresAt) : null };
            }),
          }),
        ),
      };
    },
  );
}
