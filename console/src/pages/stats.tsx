import { useState } from 'preact/hooks';
import { api } from '../api';
import { Chart } from '../chart';
import { AppOptions, Options } from '../forms';
import { type Column, DataTable } from '../tables';
import {
  Empty,
  ErrorBox,
  Field,
  PageHead,
  TEMPLATE_TYPES,
  appName,
  fmtNum,
  pct,
  useApps,
  useAsync,
} from '../ui';

interface DayRow {
  day: string;
  appId: string;
  templateType: string;
  sent: number;
  delivered: number;
  failed: number;
  pending: number;
  segments: number;
}
interface Failure {
  statusCode: string;
  count: number;
  description: string;
  suggestion: string;
  source: string;
}
type Sum = Omit<DayRow, 'day' | 'appId' | 'templateType'>;
const DAY = 86400_000;

function add(into: Sum, r: Sum): void {
  into.sent += r.sent;
  into.delivered += r.delivered;
  into.failed += r.failed;
  into.pending += r.pending;
  into.segments += r.segments;
}
const zero = (): Sum => ({ sent: 0, delivered: 0, failed: 0, pending: 0, segments: 0 });

function Cells({ s }: { s: Sum }) {
  return (
    <>
      <td class="num">{fmtNum(s.sent)}</td>
      <td class="num">{fmtNum(s.delivered)}</td>
      <td class="num">{fmtNum(s.failed)}</td>
      <td class="num">{fmtNum(s.pending)}</td>
      <td class="num">{pct(s.delivered, s.delivered + s.failed)}</td>
      <td class="num">{fmtNum(s.segments)}</td>
    </>
  );
}
const HEAD: Column[] = ['Sent', 'Delivered', 'Failed', 'Pending', 'Success rate', 'Billed segments'].map(
  (label) => ({ label, num: true }),
);

export function Stats() {
  const apps = useApps();
  const [days, setDays] = useState(7);
  const [app, setApp] = useState('');
  const [type, setType] = useState('');
  const since = new Date(Date.now() - (days - 1) * DAY);
  since.setHours(0, 0, 0, 0);
  const q = { since: since.getTime(), app: app || undefined };
  const daily = useAsync(
    () => api.get<{ items: DayRow[] }>('/stats/daily', { ...q, templateType: type || undefined }),
    [days, app, type],
  );
  const failures = useAsync(() => api.get<{ items: Failure[] }>('/stats/failures', q), [days, app]);

  const rows = daily.data?.items ?? [];
  const byDay = new Map<string, Sum>();
  const byAppType = new Map<string, Sum & { appId: string; templateType: string }>();
  const total = zero();
  for (const r of rows) {
    if (!byDay.has(r.day)) byDay.set(r.day, zero());
    add(byDay.get(r.day) as Sum, r);
    const k = `${r.appId}|${r.templateType}`;
    if (!byAppType.has(k)) byAppType.set(k, { ...zero(), appId: r.appId, templateType: r.templateType });
    add(byAppType.get(k) as Sum, r);
    add(total, r);
  }
  const dayKeys = [...byDay.keys()].sort();
  const x = dayKeys.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);

  return (
    <>
      <PageHead title="Statistics" />
      <div class="filters card">
        <Field label="Period">
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            <option value={1}>Today</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </Field>
        <Field label="Application">
          <select value={app} onChange={(e) => setApp(e.currentTarget.value)}>
            <AppOptions apps={apps} none="All" />
          </select>
        </Field>
        <Field label="Template type">
          <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <Options values={TEMPLATE_TYPES} none="All" />
          </select>
        </Field>
      </div>
      <ErrorBox error={daily.error ?? failures.error} />
      {daily.data && rows.length === 0 ? (
        <section class="card">
          <Empty title="Nothing sent in this period.">
            Statistics fill in as messages are accepted; try a longer period.
          </Empty>
        </section>
      ) : (
        <>
          {dayKeys.length > 0 && (
            <section class="card">
              <h2>Per day</h2>
              <Chart
                timeAxis
                x={x}
                ys={[
                  dayKeys.map((d) => byDay.get(d)?.delivered ?? 0),
                  dayKeys.map((d) => byDay.get(d)?.failed ?? 0),
                  dayKeys.map((d) => byDay.get(d)?.pending ?? 0),
                ]}
                series={[
                  { label: 'delivered', color: '#16a34a', bars: true },
                  { label: 'failed', color: '#dc2626', bars: true },
                  { label: 'pending', color: '#d97706', bars: true },
                ]}
                height={200}
              />
              <DataTable
                cols={['Day (UTC)', ...HEAD]}
                foot={
                  <tr>
                    <th>Total</th>
                    <Cells s={total} />
                  </tr>
                }
              >
                {dayKeys.map((d) => (
                  <tr key={d}>
                    <td>{d}</td>
                    <Cells s={byDay.get(d) as Sum} />
                  </tr>
                ))}
              </DataTable>
            </section>
          )}
          <section class="card">
            <h2>Per application and template type</h2>
            <DataTable cols={['Application', 'Type', ...HEAD]}>
              {[...byAppType.values()].map((r) => (
                <tr key={`${r.appId}${r.templateType}`}>
                  <td>{appName(apps, r.appId)}</td>
                  <td>{r.templateType}</td>
                  <Cells s={r} />
                </tr>
              ))}
            </DataTable>
          </section>
        </>
      )}
      <section class="card">
        <h2>Failures by status code</h2>
        {failures.data && failures.data.items.length === 0 ? (
          <p class="muted">No failures in this period.</p>
        ) : (
          <DataTable cols={['Code', { label: 'Count', num: true }, 'Source', 'Description', 'What to do']}>
            {failures.data?.items.map((f) => (
              <tr key={f.statusCode}>
                <td class="mono">{f.statusCode}</td>
                <td class="num">{fmtNum(f.count)}</td>
                <td>{f.source}</td>
                <td>{f.description}</td>
                <td>{f.suggestion}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
