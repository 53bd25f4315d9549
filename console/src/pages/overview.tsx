import { useRef, useState } from 'preact/hooks';
import { type List, type Message, api } from '../api';
import { Chart } from '../chart';
import { EngineStatus, LiveBinds, liveConnectors } from '../engine-status';
import { DataTable } from '../tables';
import { Badge, EnabledBadge, ErrorBox, PageHead, fmtNum, href, pct, useAsync, useInterval } from '../ui';

interface OverviewBody {
  apps: number;
  pendingSignatures: number;
  pendingTemplates: number;
  queueDepth: number;
  outboxBacklog: number;
  last24h: { sent: number; delivered: number; failed: number; pending: number };
  demo: boolean;
  engine: unknown;
  simulator: { running: boolean; port: number } | null;
}
interface Counts {
  sent: number;
  delivered: number;
  failed: number;
  pending: number;
}
interface DayRow {
  sent: number;
  delivered: number;
  failed: number;
  pending: number;
}

const REFRESH_MS = 3000;
const POINTS = 100;

async function lastHour(): Promise<Counts> {
  const since = Date.now() - 3600_000;
  const [all, ok, bad] = await Promise.all(
    [undefined, 'success', 'failed'].map((result) =>
      api.get<List<Message>>('/messages', { since, result, limit: 1 }),
    ),
  );
  return {
    sent: all.total,
    delivered: ok.total,
    failed: bad.total,
    pending: all.total - ok.total - bad.total,
  };
}

async function today(): Promise<Counts> {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const r = await api.get<{ items: DayRow[] }>('/stats/daily', { since: start.getTime() });
  const c = { sent: 0, delivered: 0, failed: 0, pending: 0 };
  for (const d of r.items) {
    c.sent += d.sent;
    c.delivered += d.delivered;
    c.failed += d.failed;
    c.pending += d.pending;
  }
  return c;
}

function CountCard({ title, c }: { title: string; c: Counts | undefined }) {
  return (
    <section class="card stat-card">
      <h2>{title}</h2>
      <dl class="kpis">
        <div>
          <dt>Sent</dt>
          <dd>{fmtNum(c?.sent)}</dd>
        </div>
        <div>
          <dt>Delivered</dt>
          <dd class="ok-text">{fmtNum(c?.delivered)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd class="bad-text">{fmtNum(c?.failed)}</dd>
        </div>
        <div>
          <dt>In flight</dt>
          <dd>{fmtNum(c?.pending)}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{c ? pct(c.delivered, c.delivered + c.failed) : '–'}</dd>
        </div>
      </dl>
    </section>
  );
}

export function Overview() {
  const ov = useAsync(() => api.get<OverviewBody>('/overview'), []);
  const hour = useAsync(lastHour, []);
  const day = useAsync(today, []);
  const conns = useAsync(
    () =>
      api.get<{
        items: Array<{
          id: string;
          name: string;
          host: string;
          port: number;
          enabled: boolean;
          binds: number;
        }>;
      }>('/connectors'),
    [],
  );
  const start = useRef(Date.now());
  const prev = useRef<{ t: number; sent: number; done: number } | null>(null);
  const [series, setSeries] = useState<{ x: number[]; sent: number[]; done: number[] }>({
    x: [],
    sent: [],
    done: [],
  });

  const sample = async () => {
    const since = start.current;
    const [all, ok, bad] = await Promise.all(
      [undefined, 'success', 'failed'].map((result) =>
        api.get<List<Message>>('/messages', { since, result, limit: 1 }),
      ),
    );
    const t = Date.now();
    const done = ok.total + bad.total;
    const p = prev.current;
    prev.current = { t, sent: all.total, done };
    if (!p) return;
    const dt = (t - p.t) / 1000;
    setSeries((s) => ({
      x: [...s.x, t / 1000].slice(-POINTS),
      sent: [...s.sent, Math.max(0, (all.total - p.sent) / dt)].slice(-POINTS),
      done: [...s.done, Math.max(0, (done - p.done) / dt)].slice(-POINTS),
    }));
  };
  useInterval(() => {
    sample().catch(() => {});
    ov.reload();
    hour.reload();
    day.reload();
  }, REFRESH_MS);

  const o = ov.data;
  return (
    <>
      <PageHead title="Overview">
        {o?.demo && <Badge value="demo profile" />}
        <span class="muted small">refreshes every {REFRESH_MS / 1000} s</span>
      </PageHead>
      <ErrorBox error={ov.error} />
      {o && o.apps === 0 && (
        <div class="notice">
          Welcome. Start by <a href={href('/apps')}>creating an application</a>, then a{' '}
          <a href={href('/signatures')}>signature</a> and a <a href={href('/templates')}>template</a>; send
          through the MSGSMS API with the app key and secret.
        </div>
      )}
      <div class="grid3">
        <CountCard title="Today" c={day.data} />
        <CountCard title="Last hour" c={hour.data} />
        <section class="card">
          <h2>Queues</h2>
          <dl class="kpis">
            <div>
              <dt>Queued for carriers</dt>
              <dd>{fmtNum(o?.queueDepth)}</dd>
            </div>
            <div>
              <dt>Webhook backlog</dt>
              <dd>{fmtNum(o?.outboxBacklog)}</dd>
            </div>
            <div>
              <dt>Pending review</dt>
              <dd>
                <a href={href('/signatures', { status: 'pending' })}>{fmtNum(o?.pendingSignatures)} sig.</a> ·{' '}
                <a href={href('/templates', { status: 'pending' })}>{fmtNum(o?.pendingTemplates)} tpl.</a>
              </dd>
            </div>
          </dl>
        </section>
      </div>
      <section class="card">
        <h2>Throughput (messages / s since this page opened)</h2>
        {series.x.length < 2 ? (
          <p class="muted">Collecting samples…</p>
        ) : (
          <Chart
            x={series.x}
            ys={[series.sent, series.done]}
            series={[
              { label: 'accepted/s', color: '#2563eb' },
              { label: 'final/s', color: '#16a34a' },
            ]}
          />
        )}
      </section>
      <div class="grid2">
        <section class="card">
          <h2>Carrier binds</h2>
          {liveConnectors(o?.engine) ? (
            <LiveBinds engine={o?.engine} />
          ) : conns.data && conns.data.items.length === 0 ? (
            <p class="muted">
              No connectors. <a href={href('/carriers')}>Add a carrier</a>.
            </p>
          ) : (
            <DataTable cols={['Connector', 'Address', 'Binds', 'Enabled']}>
              {conns.data?.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    {c.host}:{c.port}
                  </td>
                  <td>{c.binds}</td>
                  <td>
                    <EnabledBadge on={c.enabled} />
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          {o?.simulator && (
            <p class="small">
              Simulator: <Badge value={o.simulator.running ? 'running' : 'stopped'} />{' '}
              {o.simulator.running ? `port ${o.simulator.port}` : ''}
            </p>
          )}
        </section>
        <section class="card">
          <h2>Engine</h2>
          <EngineStatus
            engine={o?.engine}
            names={new Map((conns.data?.items ?? []).map((c) => [c.id, c.name]))}
          />
        </section>
      </div>
    </>
  );
}
