import { useState } from 'preact/hooks';
import { type List, type User, api } from '../api';
import { Badge, Empty, ErrorBox, Field, PageHead, Pager, appName, fmtTime, useAction, useApps, useAsync } from '../ui';

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
  const [search, setSearch] = useState({ number: '', app: '' });
  const [q, setQ] = useState(search);
  const [offset, setOffset] = useState(0);
  const list = useAsync(() => api.get<List<Block>>('/blocklist', { number: q.number || undefined, app: q.app || undefined, limit: LIMIT, offset }), [q, offset]);
  const [form, setForm] = useState({ number: '', app: '', scope: 'all', note: '' });
  const [act, busy, err] = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    list.reload();
  });
  return (
    <>
      <PageHead title="Blocklist" />
      {admin && (
        <form
          class="card inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            act(async () => {
              await api.post('/blocklist', { number: form.number, app: form.app || undefined, scope: form.scope, note: form.note || undefined });
              setForm({ ...form, number: '', note: '' });
            });
          }}
        >
          <Field label="Number to block">
            <input name="blockNumber" value={form.number} onInput={(e) => setForm({ ...form, number: e.currentTarget.value })} required placeholder="+8613800000000" />
          </Field>
          <Field label="Application">
            <select value={form.app} onChange={(e) => setForm({ ...form, app: e.currentTarget.value })}>
              <option value="">All applications</option>
              {apps.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Scope">
            <select value={form.scope} onChange={(e) => setForm({ ...form, scope: e.currentTarget.value })}>
              <option value="all">All messages</option>
              <option value="promotion">Promotions only</option>
            </select>
          </Field>
          <Field label="Note">
            <input value={form.note} onInput={(e) => setForm({ ...form, note: e.currentTarget.value })} placeholder="why" />
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            Block
          </button>
        </form>
      )}
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setQ(search);
        }}
      >
        <Field label="Search number">
          <input value={search.number} onInput={(e) => setSearch({ ...search, number: e.currentTarget.value })} />
        </Field>
        <Field label="Application">
          <select value={search.app} onChange={(e) => setSearch({ ...search, app: e.currentTarget.value })}>
            <option value="">Any</option>
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <div class="filter-actions">
          <button type="submit">Search</button>
        </div>
      </form>
      <ErrorBox error={err ?? list.error} />
      <section class="card flush">
        {list.data && list.data.items.length === 0 ? (
          <Empty title="The blocklist is empty.">Numbers land here when a recipient replies an opt-out word (e.g. TD, STOP) or when you add them above. Blocked numbers are intercepted before delivery.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="data">
              <thead>
                <tr>
                  <th>Number</th>
                  <th>Application</th>
                  <th>Scope</th>
                  <th>Reason</th>
                  <th>Note</th>
                  <th>Added</th>
                  <th />
                </tr>
              </thead>
              <tbody>
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
                        <button type="button" class="small-btn" disabled={busy} onClick={() => act(() => api.del(`/blocklist/${b.id}`))}>
                          Remove
                        </button>
                      )}
                    </td>
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
