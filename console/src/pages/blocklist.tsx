import { useState } from 'preact/hooks';
import { type List, type User, api } from '../api';
import { AppOptions, Form, useForm } from '../forms';
import { ActButton, ListCard } from '../tables';
import {
  Badge,
  Empty,
  ErrorBox,
  Field,
  PageHead,
  Pager,
  appName,
  fmtTime,
  useApps,
  useAsync,
  useListAction,
} from '../ui';

interface Block {
  id: number;
  appId: string | null;
  number: string;
  scope: string;
  reason: string;
  note: string | null;
  createdAt: string;
}
const LIMIT = 50;

export function Blocklist({ user }: { user: User }) {
  const admin = user.role === 'admin';
  const apps = useApps();
  const search = useForm({ number: '', app: '' });
  const [q, setQ] = useState(search.values);
  const [offset, setOffset] = useState(0);
  const list = useAsync(
    () =>
      api.get<List<Block>>('/blocklist', {
        number: q.number || undefined,
        app: q.app || undefined,
        limit: LIMIT,
        offset,
      }),
    [q, offset],
  );
  const form = useForm({ number: '', app: '', scope: 'all', note: '' });
  const [act, busy, err] = useListAction(list.reload);
  return (
    <>
      <PageHead title="Blocklist" />
      {admin && (
        <Form
          class="card inline-form"
          onSubmit={() =>
            act(async () => {
              const f = form.values;
              await api.post('/blocklist', {
                number: f.number,
                app: f.app || undefined,
                scope: f.scope,
                note: f.note || undefined,
              });
              form.set({ number: '', note: '' });
            })
          }
        >
          <Field label="Number to block">
            <input name="blockNumber" {...form.text('number')} required placeholder="+8613800000000" />
          </Field>
          <Field label="Application">
            <select {...form.choice('app')}>
              <AppOptions apps={apps} none="All applications" />
            </select>
          </Field>
          <Field label="Scope">
            <select {...form.choice('scope')}>
              <option value="all">All messages</option>
              <option value="promotion">Promotions only</option>
            </select>
          </Field>
          <Field label="Note">
            <input {...form.text('note')} placeholder="why" />
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            Block
          </button>
        </Form>
      )}
      <Form
        class="filters card"
        onSubmit={() => {
          setOffset(0);
          setQ(search.values);
        }}
      >
        <Field label="Search number">
          <input {...search.text('number')} />
        </Field>
        <Field label="Application">
          <select {...search.choice('app')}>
            <AppOptions apps={apps} none="Any" />
          </select>
        </Field>
        <div class="filter-actions">
          <button type="submit">Search</button>
        </div>
      </Form>
      <ErrorBox error={err ?? list.error} />
      <ListCard
        items={list.data?.items}
        empty={
          <Empty title="The blocklist is empty.">
            Numbers land here when a recipient replies an opt-out word (e.g. TD, STOP) or when you add them
            above. Blocked numbers are intercepted before delivery.
          </Empty>
        }
        cols={['Number', 'Application', 'Scope', 'Reason', 'Note', 'Added', '']}
        pager={
          list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onPage={setOffset} />
        }
      >
        {list.data?.items.map((b) => (
          <tr key={b.id}>
            <td class="mono">{b.number}</td>
            <td>{b.appId ? appName(apps, b.appId) : 'all'}</td>
            <td>{b.scope}</td>
            <td>
              <Badge value={b.reason} />
            </td>
            <td>{b.note ?? ''}</td>
            <td class="nowrap">{fmtTime(b.createdAt)}</td>
            <td>
              {admin && (
                <ActButton busy={busy} onClick={() => act(() => api.del(`/blocklist/${b.id}`))}>
                  Remove
                </ActButton>
              )}
            </td>
          </tr>
        ))}
      </ListCard>
    </>
  );
}
