import { useState } from 'preact/hooks';
import { type List, api } from '../api';
import { AppOptions, Form, useForm } from '../forms';
import { ListCard } from '../tables';
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
  const f = useForm({ app: '', from: '', days: '7' });
  const [q, setQ] = useState(f.values);
  const [offset, setOffset] = useState(0);
  const list = useAsync(
    () =>
      api.get<List<Mo>>('/mo', {
        app: q.app || undefined,
        from: q.from || undefined,
        since: q.days ? Date.now() - Number(q.days) * DAY : undefined,
        limit: LIMIT,
        offset,
      }),
    [q, offset],
  );
  return (
    <>
      <PageHead title="Uplink inbox" />
      <Form
        class="filters card"
        onSubmit={() => {
          setOffset(0);
          setQ(f.values);
        }}
      >
        <Field label="Application">
          <select {...f.choice('app')}>
            <AppOptions apps={apps} none="All" />
          </select>
        </Field>
        <Field label="From number">
          <input {...f.text('from')} />
        </Field>
        <Field label="Received">
          <select {...f.choice('days')}>
            <option value="1">Last 24 h</option>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="">Any time</option>
          </select>
        </Field>
        <div class="filter-actions">
          <button type="submit">Search</button>
        </div>
      </Form>
      <ErrorBox error={list.error} />
      <ListCard
        items={list.data?.items}
        empty={
          <Empty title="No uplink messages.">
            Replies to your channel numbers show up here and are pushed to the app's uplink address. With the
            simulator, inject one from <a href={href('/carriers')}>Carriers</a>.
          </Empty>
        }
        cols={['Received', 'From', 'To (channel)', 'Application', 'Text']}
        pager={
          list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onPage={setOffset} />
        }
      >
        {list.data?.items.map((m) => (
          <tr key={m.id}>
            <td class="nowrap">{fmtTime(m.receivedAt)}</td>
            <td class="mono">{m.from}</td>
            <td class="mono">{m.to}</td>
            <td>{m.appId ? appName(apps, m.appId) : <span class="muted">unmatched</span>}</td>
            <td>{m.body}</td>
          </tr>
        ))}
      </ListCard>
    </>
  );
}
