// Cluster state for the Carriers page: the live nodes sharing this database and which node holds
// which bind slot of each connector (GET /api/v1/cluster, docs/management-api.md "Cluster").
import { api } from './api';
import { DataTable } from './tables';
import { Badge, ErrorBox, fmtNum, useAsync, useInterval } from './ui';

interface ClusterBody {
  node: string;
  store: string;
  nodes: Array<{ nodeId: string; self: boolean; expiresAt: string; binds: number }>;
  connectors: Array<{
    connectorId: string;
    name: string;
    enabled: boolean;
    binds: number;
    slots: Array<{ slot: number; nodeId: string | null; expiresAt: string | null }>;
  }>;
}

/** Seconds until a lease runs out (a node whose heartbeat stops drops off when it reaches 0). */
function secondsLeft(iso: string, now: number): string {
  return `${Math.max(0, Math.round((Date.parse(iso) - now) / 1000))} s`;
}

/** Live nodes and bind holders, refreshed every `refreshMs` (default 3 s, like the Overview). */
export function ClusterState({ refreshMs = 3000 }: { refreshMs?: number }) {
  const c = useAsync(() => api.get<ClusterBody>('/cluster'), []);
  useInterval(c.reload, refreshMs);
  const d = c.data;
  if (!d) return <ErrorBox error={c.error} />;
  const now = Date.now();
  return (
    <div data-testid="cluster">
      <p class="small muted">
        Store <strong>{d.store}</strong> · answered by node <span class="mono">{d.node}</span> ·{' '}
        {d.nodes.length} live {d.nodes.length === 1 ? 'node' : 'nodes'}
      </p>
      <ErrorBox error={c.error} />
      <div class="grid2">
        <div>
          <h3>Nodes</h3>
          {d.nodes.length === 0 ? (
            <p class="muted">No node has a live heartbeat: the engine is not running on any node.</p>
          ) : (
            <DataTable
              cols={['Node', { label: 'Binds held', num: true }, { label: 'Heartbeat valid for', num: true }]}
            >
              {d.nodes.map((n) => (
                <tr key={n.nodeId}>
                  <td>
                    <span class="mono">{n.nodeId}</span> {n.self && <Badge value="self" />}
                  </td>
                  <td class="num">{fmtNum(n.binds)}</td>
                  <td class="num">{secondsLeft(n.expiresAt, now)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </div>
        <div>
          <h3>Bind holders</h3>
          {d.connectors.length === 0 ? (
            <p class="muted">No connectors.</p>
          ) : (
            <DataTable cols={['Connector', 'Slots (slot → node)']} testId="bind-holders">
              {d.connectors.map((k) => (
                <tr key={k.connectorId} data-connector={k.name}>
                  <td>
                    {k.name} {!k.enabled && <Badge value="disabled" />}
                  </td>
                  <td>
                    <ul class="slots">
                      {k.slots.map((s) => (
                        <li key={s.slot} class={s.nodeId ? 'held' : 'free'}>
                          <span class="muted">#{s.slot}</span>{' '}
                          {s.nodeId ? <span class="mono">{s.nodeId}</span> : <Badge value="free" />}
                        </li>
                      ))}
                      {k.slots.length === 0 && <li class="muted">no bind slots</li>}
                    </ul>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </div>
      </div>
    </div>
  );
}
