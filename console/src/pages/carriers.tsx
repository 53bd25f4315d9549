import { useState } from 'preact/hooks';
import { type User, api } from '../api';
import { Badge, Empty, ErrorBox, Field, PageHead, useAction, useAsync, useInterval } from '../ui';
import { EngineStatus, LiveBinds } from './overview';

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
  const [f, setF] = useState({ name: '', host: '127.0.0.1', port: '2775', systemId: '', password: '', binds: '1', window: '10', tps: '0' });
  const [save, busy, err] = useAction(async () => {
    await api.post('/connectors', { ...f, port: Number(f.port), binds: Number(f.binds), window: Number(f.window), tps: Number(f.tps) });
    onDone();
  });
  const input = (k: keyof typeof f, label: string, type: 'text' | 'number' | 'password' = 'text') => (
    <Field label={label}>
      <input type={type as 'text'} value={f[k]} onInput={(e) => setF({ ...f, [k]: e.currentTarget.value })} required={k !== 'tps'} />
    </Field>
  );
  return (
    <form
      class="form-grid"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
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
    </form>
  );
}

function RouteForm({ connectors, onDone }: { connectors: Connector[]; onDone: () => void }) {
  const [f, setF] = useState({ name: '', priority: '100', prefixes: '', connectorIds: [] as string[], strategy: 'failover' });
  const [save, busy, err] = useAction(async () => {
    const prefixes = f.prefixes.split(/[\s,]+/).filter(Boolean);
    await api.post('/routes', { name: f.name, priority: Number(f.priority), strategy: f.strategy, connectorIds: f.connectorIds, match: prefixes.length ? { prefixes } : {} });
    onDone();
  });
  return (
    <form
      class="form-grid"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <Field label="Name">
        <input value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} required />
      </Field>
      <Field label="Priority">
        <input type="number" value={f.priority} onInput={(e) => setF({ ...f, priority: e.currentTarget.value })} />
      </Field>
      <Field label="Number prefixes" hint="e.g. +86, +4479; empty = any">
        <input value={f.prefixes} onInput={(e) => setF({ ...f, prefixes: e.currentTarget.value })} />
      </Field>
      <Field label="Connectors">
        <select multiple onChange={(e) => setF({ ...f, connectorIds: [...e.currentTarget.selectedOptions].map((o) => o.value) })} required>
          {connectors.map((c) => (
            <option key={c.id} value={c.id} selected={f.connectorIds.includes(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Strategy">
        <select value={f.strategy} onChange={(e) => setF({ ...f, strategy: e.currentTarget.value })}>
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
    </form>
  );
}

function Simulator({ admin }: { admin: boolean }) {
  const magic = useAsync(() => api.get<{ items: Array<{ suffix: string; outcome: string }> }>('/simulator/magic-numbers'), []);
  const [f, setF] = useState({ from: '+8613800000000', to: '', text: 'TD' });
  const [sent, setSent] = useState(false);
  const [inject, busy, err] = useAction(async () => {
    await api.post('/simulator/mo', f);
    setSent(true);
  });
  if (magic.error) return <p class="muted">No embedded simulator runs in this process ({(magic.error as Error).message}).</p>;
  return (
    <div class="grid2">
      <div>
        <h3>Magic numbers</h3>
        <p class="small muted">A recipient ending in one of these suffixes gets the listed outcome.</p>
        <table class="data">
          <thead>
            <tr>
              <th>Number ends with</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {magic.data?.items.map((m) => (
              <tr key={m.suffix}>
                <td class="mono">{m.suffix}</td>
                <td>{m.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setSent(false);
            inject();
          }}
        >
          <h3>Inject an uplink (MO) message</h3>
          <Field label="From (handset)">
            <input value={f.from} onInput={(e) => setF({ ...f, from: e.currentTarget.value })} required />
          </Field>
          <Field label="To (channel number + extension)">
            <input value={f.to} onInput={(e) => setF({ ...f, to: e.currentTarget.value })} required />
          </Field>
          <Field label="Text">
            <input value={f.text} onInput={(e) => setF({ ...f, text: e.currentTarget.value })} required />
          </Field>
          <ErrorBox error={err} />
          <button type="submit" class="primary" disabled={busy}>
            Inject MO
          </button>
          {sent && <span class="small muted"> Injected; see the Uplink inbox.</span>}
        </form>
      )}
    </div>
  );
}

export function Carriers({ user }: { user: User }) {
  const admin = user.role === 'admin';
  const conns = useAsync(() => api.get<{ items: Connector[] }>('/connectors'), []);
  const routes = useAsync(() => api.get<{ items: RouteRow[] }>('/routes'), []);
  const ov = useAsync(() => api.get<{ engine: unknown }>('/overview'), []);
  useInterval(ov.reload, 3000);
  const [adding, setAdding] = useState<'' | 'connector' | 'route'>('');
  const [act, busy, err] = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    conns.reload();
    routes.reload();
  });
  const names = new Map((conns.data?.items ?? []).map((c) => [c.id, c.name]));
  return (
    <>
      <PageHead title="Carriers">
        {admin && (
          <>
            <button type="button" onClick={() => setAdding(adding === 'connector' ? '' : 'connector')}>
              + Connector
            </button>
            <button type="button" onClick={() => setAdding(adding === 'route' ? '' : 'route')}>
              + Route
            </button>
          </>
        )}
      </PageHead>
      {adding && (
        <section class="card">
          {adding === 'connector' ? (
            <ConnectorForm onDone={() => (setAdding(''), conns.reload())} />
          ) : (
            <RouteForm connectors={conns.data?.items ?? []} onDone={() => (setAdding(''), routes.reload())} />
          )}
        </section>
      )}
      <ErrorBox error={err ?? conns.error ?? routes.error} />
      <section class="card flush">
        <h2 class="pad">SMPP connectors</h2>
        {conns.data && conns.data.items.length === 0 ? (
          <Empty title="No carrier connectors.">In the demo profile the embedded simulator delivers everything. Add an SMPP connector to send through a real carrier.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="data">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Address</th>
                  <th>system_id</th>
                  <th>Mode</th>
                  <th class="num">Binds</th>
                  <th class="num">Window</th>
                  <th class="num">TPS</th>
                  <th>State</th>
                  <th />
                </tr>
              </thead>
              <tbody>
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
                      <Badge value={c.enabled ? 'enabled' : 'disabled'} />
                    </td>
                    <td class="row-actions">
                      {admin && (
                        <>
                          <button type="button" class="small-btn" disabled={busy} onClick={() => act(() => api.patch(`/connectors/${c.id}`, { enabled: !c.enabled }))}>
                            {c.enabled ? 'Disable' : 'Enable'}
                          </button>
                          <button type="button" class="small-btn" disabled={busy} onClick={() => confirm(`Delete connector ${c.name}?`) && act(() => api.del(`/connectors/${c.id}`))}>
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card flush">
        <h2 class="pad">Routes</h2>
        {routes.data && routes.data.items.length === 0 ? (
          <Empty title="No routes.">A route sends matching numbers (prefix, country, app, template type) to connectors, in priority order.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="data">
              <thead>
                <tr>
                  <th>Name</th>
                  <th class="num">Priority</th>
                  <th>Match</th>
                  <th>Connectors</th>
                  <th>Strategy</th>
                  <th>State</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {routes.data?.items.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td class="num">{r.priority}</td>
                    <td class="small">
                      {Object.entries(r.match ?? {})
                        .filter(([, v]) => v && v.length)
                        .map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`)
                        .join('; ') || 'any'}
                    </td>
                    <td>{r.connectorIds.map((id) => names.get(id) ?? id).join(', ')}</td>
                    <td>{r.strategy}</td>
                    <td>
                      <Badge value={r.enabled ? 'enabled' : 'disabled'} />
                    </td>
                    <td class="row-actions">
                      {admin && (
                        <>
                          <button type="button" class="small-btn" disabled={busy} onClick={() => act(() => api.patch(`/routes/${r.id}`, { enabled: !r.enabled }))}>
                            {r.enabled ? 'Disable' : 'Enable'}
                          </button>
                          <button type="button" class="small-btn" disabled={busy} onClick={() => confirm(`Delete route ${r.name}?`) && act(() => api.del(`/routes/${r.id}`))}>
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card">
        <h2>Live bind state and window use</h2>
        <LiveBinds engine={ov.data?.engine} />
        <h3 class="pad-top">Engine</h3>
        <EngineStatus engine={ov.data?.engine} />
      </section>
      <section class="card">
        <h2>Simulator</h2>
        <Simulator admin={admin} />
      </section>
    </>
  );
}
