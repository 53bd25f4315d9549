import { useState } from 'preact/hooks';
import { type List, type Signature, type User, api } from '../api';
import { Badge, Empty, ErrorBox, Field, PageHead, Pager, type Route, TEMPLATE_TYPES, appName, fmtTime, href, navigate, useAction, useApps, useAsync } from '../ui';

const STATUSES = ['', 'pending', 'approved', 'rejected'];
const LIMIT = 50;

/** Approve / reject-with-reason buttons, shared with the templates page. */
export function ReviewButtons({ onApprove, onReject, busy }: { onApprove: () => void; onReject: (reason: string) => void; busy: boolean }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  if (rejecting)
    return (
      <form
        class="reject-form"
        onSubmit={(e) => {
          e.preventDefault();
          onReject(reason);
          setRejecting(false);
        }}
      >
        <input aria-label="reject reason" placeholder="Reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required autoFocus />
        <button type="submit" class="danger" disabled={busy}>
          Reject
        </button>
        <button type="button" onClick={() => setRejecting(false)}>
          Cancel
        </button>
      </form>
    );
  return (
    <span class="row-actions">
      <button type="button" class="primary small-btn" disabled={busy} onClick={onApprove}>
        Approve
      </button>
      <button type="button" class="small-btn" disabled={busy} onClick={() => setRejecting(true)}>
        Reject…
      </button>
    </span>
  );
}

export function Signatures({ user, route }: { user: User; route: Route }) {
  const admin = user.role === 'admin';
  const apps = useApps();
  const app = route.query.get('app') ?? '';
  const status = route.query.get('status') ?? '';
  const offset = Number(route.query.get('offset')) || 0;
  const list = useAsync(() => api.get<List<Signature>>('/signatures', { app: app || undefined, status: status || undefined, limit: LIMIT, offset }), [app, status, offset]);
  const [form, setForm] = useState({ app: '', name: '', type: 'NOTIFY_TYPE' });
  const [act, busy, err] = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    list.reload();
  });
  const formApp = form.app || app || apps.find((a) => a.region === 'cn')?.id || '';
  return (
    <>
      <PageHead title="Signatures" />
      {admin && (
        <form
          class="card inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            act(async () => {
              await api.post('/signatures', { ...form, app: formApp });
              setForm({ ...form, name: '' });
            });
          }}
        >
          <Field label="Application">
            <select name="sigApp" value={formApp} onChange={(e) => setForm({ ...form, app: e.currentTarget.value })} required>
              <option value="">Choose…</option>
              {apps
                .filter((a) => a.region === 'cn')
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </select>
          </Field>
          <Field label="Signature name" hint="2–32 letters, digits or Chinese characters.">
            <input name="sigName" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} required />
          </Field>
          <Field label="Type">
            <select name="sigType" value={form.type} onChange={(e) => setForm({ ...form, type: e.currentTarget.value })}>
              {TEMPLATE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            Apply for signature
          </button>
        </form>
      )}
      <ErrorBox error={err ?? list.error} />
      <div class="tabs" role="tablist" aria-label="status">
        {STATUSES.map((s) => (
          <a key={s} role="tab" aria-selected={status === s} class={status === s ? 'on' : ''} href={href('/signatures', { app, status: s })}>
            {s || 'all'}
          </a>
        ))}
        <select aria-label="application filter" value={app} onChange={(e) => navigate('/signatures', { app: e.currentTarget.value, status })}>
          <option value="">All applications</option>
          {apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <section class="card flush">
        {list.data && list.data.items.length === 0 ? (
          <Empty title={status ? `No ${status} signatures.` : 'No signatures yet.'}>
            Mainland messages start with a signature such as 【Shop】. Apply for one above; once approved it gets a channel number, the <code>from</code> of your send requests.
          </Empty>
        ) : (
          <div class="table-wrap">
            <table class="data">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Application</th>
                  <th>Type</th>
                  <th>Status</th>
                  <th>Channel number</th>
                  <th>Created</th>
                  <th>Review</th>
                </tr>
              </thead>
              <tbody>
                {list.data?.items.map((s) => (
                  <tr key={s.id} data-name={s.name}>
                    <td>{s.name}</td>
                    <td>{appName(apps, s.appId)}</td>
                    <td>{s.type}</td>
                    <td>
                      <Badge value={s.status} />
                      {s.rejectReason && <div class="small muted">{s.rejectReason}</div>}
                    </td>
                    <td class="mono">{s.channelNumber ?? '–'}</td>
                    <td class="nowrap">{fmtTime(s.createdAt)}</td>
                    <td>
                      {admin && s.status === 'pending' && (
                        <ReviewButtons
                          busy={busy}
                          onApprove={() => act(() => api.post(`/signatures/${s.id}/approve`))}
                          onReject={(reason) => act(() => api.post(`/signatures/${s.id}/reject`, { reason }))}
                        />
                      )}
                      {admin && s.status !== 'pending' && (
                        <button type="button" class="small-btn" disabled={busy} onClick={() => confirm(`Delete signature ${s.name}?`) && act(() => api.del(`/signatures/${s.id}`))}>
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.data && <Pager total={list.data.total} limit={LIMIT} offset={offset} onPage={(o) => navigate('/signatures', { app, status, offset: o })} />}
      </section>
    </>
  );
}
