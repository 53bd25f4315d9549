import { useState } from 'preact/hooks';
import { type User, api } from '../api';
import { ClusterState } from '../cluster-state';
import { EngineStatus, LiveBinds } from '../engine-status';
import { Form, useForm } from '../forms';
import { ActButton, DataTable, ListCard, RowActions } from '../tables';
import {
  EnabledBadge,
  Empty,
  ErrorBox,
  Field,
  PageHead,
  useAction,
  useAsync,
  useInterval,
  useListAction,
} from '../ui';

/** Enable/disable and delete buttons of a connector or route row (`path` is its API path). */
function EnableDeleteActions(p: {
  path: string;
  what: string;
  enabled: boolean;
  busy: boolean;
  act: (fn: () => Promise<unknown>) => void;
}) {
  return (
    <RowActions>
      <ActButton busy={p.busy} onClick={() => p.act(() => api.patch(p.path, { enabled: !p.enabled }))}>
        {p.enabled ? 'Disable' : 'Enable'}
      </ActButton>
      <ActButton busy={p.busy} confirm={`Delete ${p.what}?`} onClick={() => p.act(() => api.del(p.path))}>
        Delete
      </ActButton>
    </RowActions>
  );
}

interface Connector {
  id: string;
  name: string;
  host: string;
  port: number;
  systemId: string;
  bindMode: string;
  binds: number;
  window: number;
  tps: number;
  enabled: boolean;
}
interface RouteRow {
  id: string;
  name: string;
  priority: number;
  match: { prefixes?: string[]; countries?: string[]; appIds?: string[]; templateTypes?: string[] };
  connectorIds: string[];
  strategy: string;
  enabled: boolean;
}

function ConnectorForm({ onDone }: { onDone: () => void }) {
  const f = useForm({
    name: '',
    host: '127.0.0.1',
    port: '2775',
    systemId: '',
    password: '',
    binds: '1',
    window: '10',
    tps: '0',
  });
  const v = f.values;
  const [save, busy, err] = useAction(async () => {
    await api.post('/connectors', {
      ...v,
      port: Number(v.port),
      binds: Number(v.binds),
      window: Number(v.window),
      tps: Number(v.tps),
    });
    onDone();
  });
  const input = (k: keyof typeof v, label: string, type: 'text' | 'number' | 'password' = 'text') => (
    <Field label={label}>
      <input type={type as 'text'} {...f.text(k)} required={k !== 'tps'} />
    </Field>
  );
  return (
    <Form class="form-grid" onSubmit={save}>
      {input('name', 'Name')}
      {input('host', 'Host')}
      {input('port', 'Port', 'number')}
      {input('systemId', 'system_id')}
      {input('password', 'Password', 'password')}
      {input('binds', 'Binds', 'number')}
      {input('window', 'Window', 'number')}
      {input('tps', 'TPS (0 = unlimited)', 'number')}
      <ErrorBox error={err} />
      <div>
        <button type="submit" class="primary" disabled={busy}>
          Add connector
        </button>
      </div>
    </Form>
  );
}

function RouteForm({ connectors, onDone }: { connectors: Connector[]; onDone: () => void }) {
  const f = useForm({ name: '', priority: '100', prefixes: '', strategy: 'failover' });
  const [connectorIds, setConnectorIds] = useState<string[]>([]);
  const [save, busy, err] = useAction(async () => {
    const v = f.values;
    const prefixes = v.prefixes.split(/[\s,]+/).filter(Boolean);
    await api.post('/routes', {
      name: v.name,
      priority: Number(v.priority),
      strategy: v.strategy,
      connectorIds,
      match: prefixes.length ? { prefixes } : {},
    });
    onDone();
  });
  return (
    <Form class="form-grid" onSubmit={save}>
      <Field label="Name">
        <input {...f.text('name')} required />
      </Field>
      <Field label="Priority">
        <input type="number" {...f.text('priority')} />
      </Field>
      <Field label="Number prefixes" hint="e.g. +86, +4479; empty = any">
        <input {...f.text('prefixes')} />
      </Field>
      <Field label="Connectors">
        <select
          multiple
          onChange={(e) => setConnectorIds([...e.currentTarget.selectedOptions].map((o) => o.value))}
          required
        >
          {connectors.map((c) => (
            <option key={c.id} value={c.id} selected={connectorIds.includes(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Strategy">
        <select {...f.choice('strategy')}>
          <option value="failover">failover</option>
          <option value="roundrobin">round robin</option>
        </select>
      </Field>
      <ErrorBox error={err} />
      <div>
        <button type="submit" class="primary" disabled={busy}>
          Add route
        </button>
      </div>
    </Form>
  );
}

function Simulator({ admin }: { admin: boolean }) {
  const magic = useAsync(
    () => api.get<{ items: Array<{ suffix: string; outcome: string }> }>('/simulator/magic-numbers'),
    [],
  );
  const f = useForm({ from: '+8613800000000', to: '', text: 'TD' });
  const [sent, setSent] = useState(false);
  const [inject, busy, err] = useAction(async () => {
    await api.post('/simulator/mo', f.values);
    setSent(true);
  });
  if (magic.error)
    return (
      <p class="muted">No embedded simulator runs in this process ({(magic.error as Error).message}).</p>
    );
  return (
    <div class="grid2">
      <div>
        <h3>Magic numbers</h3>
        <p class="small muted">A recipient ending in one of these suffixes gets the listed outcome.</p>
        <DataTable cols={['Number ends with', 'Outcome']}>
          {magic.data?.items.map((m) => (
            <tr key={m.suffix}>
              <td class="mono">{m.suffix}</td>
              <td>{m.outcome}</td>
            </tr>
          ))}
        </DataTable>
      </div>
      {admin && (
        <Form
          onSubmit={() => {
            setSent(false);
            inject();
          }}
        >
          <h3>Inject an uplink (MO) message</h3>
          <Field label="From (handset)">
            <input {...f.text('from')} required />
          </Field>
          <Field label="To (channel number + extension)">
            <input {...f.text('to')} required />
          </Field>
          <Field label="Text">
            <input {...f.text('text')} required />
          </Field>
          <ErrorBox error={err} />
          <button type="submit" class="primary" disabled={busy}>
            Inject MO
          </button>
          {sent && <span class="small muted"> Injected; see the Uplink inbox.</span>}
        </Form>
      )}
    </div>
  );
}

/** Human form of a route's match (`prefixes: +86; appIds: …`), 'any' when it matches everything. */
function matchText(m: RouteRow['match']): string {
  return (
    Object.entries(m ?? {})
      .filter(([, v]) => v?.length)
      .map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`)
      .join('; ') || 'any'
  );
}

export function Carriers({ user }: { user: User }) {
  const admin = user.role === 'admin';
  const conns = useAsync(() => api.get<{ items: Connector[] }>('/connectors'), []);
  const routes = useAsync(() => api.get<{ items: RouteRow[] }>('/routes'), []);
  const ov = useAsync(() => api.get<{ engine: unknown }>('/overview'), []);
  useInterval(ov.reload, 3000);
  const [adding, setAdding] = useState<'' | 'connector' | 'route'>('');
  const [act, busy, err] = useListAction(() => {
    conns.reload();
    routes.reload();
  });
  const names = new Map((conns.data?.items ?? []).map((c) => [c.id, c.name]));
  const toggle = (label: string) => () => setAdding(adding === label ? '' : (label as typeof adding));
  return (
    <>
      <PageHead title="Carriers">
        {admin && (
          <>
            <button type="button" aria-expanded={adding === 'connector'} onClick={toggle('connector')}>
              + Connector
            </button>
            <button type="button" aria-expanded={adding === 'route'} onClick={toggle('route')}>
              + Route
            </button>
          </>
        )}
      </PageHead>
      {adding && (
        <section class="card">
          {adding === 'connector' ? (
            <ConnectorForm
              onDone={() => {
                setAdding('');
                conns.reload();
              }}
            />
          ) : (
            <RouteForm
              connectors={conns.data?.items ?? []}
              onDone={() => {
                setAdding('');
                routes.reload();
              }}
            />
          )}
        </section>
      )}
      <ErrorBox error={err ?? conns.error ?? routes.error} />
      <ListCard
        title="SMPP connectors"
        items={conns.data?.items}
        empty={
          <Empty title="No carrier connectors.">
            In the demo profile the embedded simulator delivers everything. Add an SMPP connector to send
            through a real carrier.
          </Empty>
        }
        cols={[
          'Name',
          'Address',
          'system_id',
          'Mode',
          { label: 'Binds', num: true },
          { label: 'Window', num: true },
          { label: 'TPS', num: true },
          'State',
          '',
        ]}
      >
        {conns.data?.items.map((c) => (
          <tr key={c.id}>
            <td>{c.name}</td>
            <td class="mono">
              {c.host}:{c.port}
            </td>
            <td class="mono">{c.systemId}</td>
            <td>{c.bindMode}</td>
            <td class="num">{c.binds}</td>
            <td class="num">{c.window}</td>
            <td class="num">{c.tps || '∞'}</td>
            <td>
              <EnabledBadge on={c.enabled} />
            </td>
            <td>
              {admin && (
                <EnableDeleteActions
                  path={`/connectors/${c.id}`}
                  what={`connector ${c.name}`}
                  enabled={c.enabled}
                  busy={busy}
                  act={act}
                />
              )}
            </td>
          </tr>
        ))}
      </ListCard>
      <ListCard
        title="Routes"
        items={routes.data?.items}
        empty={
          <Empty title="No routes.">
            A route sends matching numbers (prefix, country, app, template type) to connectors, in priority
            order.
          </Empty>
        }
        cols={['Name', { label: 'Priority', num: true }, 'Match', 'Connectors', 'Strategy', 'State', '']}
      >
        {routes.data?.items.map((r) => (
          <tr key={r.id}>
            <td>{r.name}</td>
            <td class="num">{r.priority}</td>
            <td class="small">{matchText(r.match)}</td>
            <td>{r.connectorIds.map((id) => names.get(id) ?? id).join(', ')}</td>
            <td>{r.strategy}</td>
            <td>
              <EnabledBadge on={r.enabled} />
            </td>
            <td>
              {admin && (
                <EnableDeleteActions
                  path={`/routes/${r.id}`}
                  what={`route ${r.name}`}
                  enabled={r.enabled}
                  busy={busy}
                  act={act}
                />
              )}
            </td>
          </tr>
        ))}
      </ListCard>
      <section class="card">
        <h2>Live bind state and window use</h2>
        <p class="small muted">This node's links, refreshed every 3 s.</p>
        <LiveBinds engine={ov.data?.engine} />
      </section>
      <section class="card">
        <h2>Cluster: nodes and bind holders</h2>
        <ClusterState />
      </section>
      <section class="card">
        <h2>Engine</h2>
        <EngineStatus engine={ov.data?.engine} names={names} />
      </section>
      <section class="card">
        <h2>Simulator</h2>
        <Simulator admin={admin} />
      </section>
    </>
  );
}
