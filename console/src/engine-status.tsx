// The delivery engine's status (`engine` in GET /overview) as readable tables: live binds per
// connector, and the engine's counters grouped as labelled figures instead of raw objects.
import { Badge, fmtNum } from './ui';
import { DataTable } from './tables';

interface LiveConnector {
  id: string;
  name: string;
  ready?: boolean;
  sessionsBound?: number;
  sessionsWanted?: number;
  windowUsed?: number;
  windowSize?: number;
  inFlight?: number;
  tps?: number;
}

/** The connectors the engine runs (`engine.connectors`), or undefined when it reports none. */
export function liveConnectors(engine: unknown): LiveConnector[] | undefined {
  const list = (engine as { connectors?: LiveConnector[] } | null)?.connectors;
  return Array.isArray(list) ? list : undefined;
}

/** Live bind state per connector, from the engine status (`engine.connectors`). */
export function LiveBinds({ engine }: { engine: unknown }) {
  const list = liveConnectors(engine);
  if (!list) return null;
  if (list.length === 0) return <p class="muted">The engine has no active connector.</p>;
  return (
    <DataTable
      testId="live-binds"
      cols={[
        'Connector',
        'State',
        { label: 'Binds', num: true },
        { label: 'Window use', num: true },
        { label: 'In flight', num: true },
        { label: 'TPS', num: true },
      ]}
    >
      {list.map((c) => (
        <tr key={c.id}>
          <td>{c.name}</td>
          <td>
            <Badge value={c.ready ? 'bound' : 'down'} />
          </td>
          <td class="num">
            {c.sessionsBound ?? '–'} / {c.sessionsWanted ?? '–'}
          </td>
          <td class="num">
            {c.windowUsed ?? '–'} / {c.windowSize ?? '–'}
          </td>
          <td class="num">{c.inFlight ?? '–'}</td>
          <td class="num">{c.tps ? c.tps : '∞'}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Human labels for the engine's field names; other names are split from camelCase. */
const LABELS: Record<string, string> = {
  running: 'Running',
  queueDepth: 'Queued',
  receiptsApplied: 'Receipts applied',
  mosReceived: 'Uplinks received',
  partsExpired: 'Parts expired',
  dispatcher: 'Dispatcher',
  held: 'Held (waiting for a window)',
  inFlight: 'In flight per connector',
  counters: 'Dispatched since start',
  noRoute: 'No route',
};
function label(k: string): string {
  const words = k.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
  return LABELS[k] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

type Group = { title: string; entries: Array<[string, unknown]> };

/**
 * Flattens the status into groups of scalar fields: top-level scalars first, then one group per
 * nested object (its title the path of labels). The shape belongs to the engine, so unknown
 * fields still show, just with a generated label.
 */
function groups(obj: Record<string, unknown>, title: string, out: Group[]): Group[] {
  const here: Group = { title, entries: [] };
  out.push(here);
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'connectors' && title === '') continue; // shown by LiveBinds
    if (v && typeof v === 'object' && !Array.isArray(v))
      groups(v as Record<string, unknown>, title ? `${title} · ${label(k)}` : label(k), out);
    else here.entries.push([k, v]);
  }
  return out;
}

function Value({ v }: { v: unknown }) {
  if (typeof v === 'boolean') return <Badge value={v ? 'yes' : 'no'} />;
  if (typeof v === 'number') return <>{fmtNum(v)}</>;
  if (v === null || v === undefined) return <>–</>;
  if (Array.isArray(v)) return <>{v.length ? v.map(String).join(', ') : '–'}</>;
  return <>{String(v)}</>;
}

/**
 * The rest of the engine's status as labelled figures, grouped (engine, dispatcher, its
 * counters…). `names` maps connector ids (keys of per-connector maps) to connector names.
 */
export function EngineStatus({ engine, names }: { engine: unknown; names?: ReadonlyMap<string, string> }) {
  if (!engine || typeof engine !== 'object')
    return <p class="muted">The delivery engine is not running in this process.</p>;
  const list = groups(engine as Record<string, unknown>, '', []).filter(
    (g) => g.title === '' || g.entries.length > 0 || g.title.endsWith(label('inFlight')),
  );
  return (
    <div class="engine" data-testid="engine-status">
      {list.map((g) => (
        <div key={g.title} class="engine-group">
          {g.title && <h3>{g.title}</h3>}
          {g.entries.length === 0 ? (
            <p class="muted small">none</p>
          ) : (
            <dl class="kpis compact">
              {g.entries.map(([k, v]) => (
                <div key={k}>
                  <dt>{names?.get(k) ?? label(k)}</dt>
                  <dd>
                    <Value v={v} />
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      ))}
    </div>
  );
}
