import { useState } from 'preact/hooks';
import { type List, api } from '../api';
import { Empty, ErrorBox, Field, PageHead, Pager, appName, fmtTime, href, useApps, useAsync } from '../ui';

interface Mo {
  id: number;
  smsMsgId: string;
  appId: string | null;
  from: string;
  to: string;
  body: string;
  receivedAt: string;
}
const LIMIT = 50;
const DAY = 86400_000;

export function Uplink() {
  const apps = useApps();
  const [f, setF] = useState({ app: '', from: '', days: '7' });
  const [q, setQ] = useState(f);
  const [offset, setOffset] = useState(0);
  const list = useAsync(
    () => api.get<List<Mo>>('/mo', { app: q.app || undefined, from: q.from || undefined, since: q.days ? Date.now() - Number(q.days) * DAY : undefined, limit: LIMIT, offset }),
    [q, offset],
  );
  return (
    <>
      <PageHead title="Uplink inbox" />
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setQ(f);
        }}
      >
        <Field label="Application">
          <select value={f.app} onChange={(e) => setF({ ...f, app: e.currentTarget.value })}>
            <option value="">All</option>
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From number">
          <input value={f.from} onInput={(e) => setF({ ...f, from: e.currentTarget.value })} />
        </Field>
        <Field label="Received">
          <select value={f.days} onChange={(e) => setF({ ...f, days: e.currentTarget.value })}>
            <option value="1">Last 24 h</option>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="">Any time</option>
          </select>
        </Field>
        <div class="filter-actions">
          <button type="submit">Search</button>
        </div>
      </form>
      <ErrorBox error={list.error} />
      <section class="card flush">
        {list.data && list.data.items.length === 0 ? (
          <Empty title="No uplink messages.">
            Replies to your channel numbers show up here and are pushed to the app's uplink address. With the simulator, inject one from <a href={href('/carriers')}>Carriers</a>.
          </Empty>
        ) : (
          <div class="table-wrap">
            <table class="data">
              <thead>
                <tr>
                  <th>Received</th>
                  <th>From</th>
                  <th>To (channel)</th>
                  <th>Application</th>
                  <th>Text</th>
                </tr>
              </thead>
              <tbody>
                {list.data?.items.map((m) => (
                  <tr key={m.id}>
                    <td class="nowrap">{fmtTime(m.receivedAt)}</td>
                    <td class="mono">{m.from}</td>
                    <td class="mono">{m.to}</td>
                    <td>{m.appId ? appName(apps, m.appId) : <span class="muted">unmatched</span>}</td>
                    <td>{m.body}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onPage={setOffset} />}
      </section>
    </>
  );
}
