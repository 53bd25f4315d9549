import { useState } from 'preact/hooks';
import { type List, type Signature, type User, api } from '../api';
import { AppOptions, Form, Options, useForm } from '../forms';
import { ActButton, ListCard, RowActions, StatusTabs } from '../tables';
import {
  Badge,
  Empty,
  ErrorBox,
  Field,
  PageHead,
  Pager,
  type Route,
  TEMPLATE_TYPES,
  appName,
  fmtTime,
  navigate,
  useApps,
  useAsync,
  useListAction,
} from '../ui';

const STATUSES = ['', 'pending', 'approved', 'rejected'];
const LIMIT = 50;

/** Approve / reject-with-reason buttons, shared with the templates page. */
export function ReviewButtons({
  onApprove,
  onReject,
  busy,
}: {
  onApprove: () => void;
  onReject: (reason: string) => void;
  busy: boolean;
}) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  if (rejecting)
    return (
      <Form
        class="reject-form"
        onSubmit={() => {
          onReject(reason);
          setRejecting(false);
        }}
      >
        <input
          aria-label="reject reason"
          placeholder="Reason"
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          required
          autoFocus
        />
        <button type="submit" class="danger" disabled={busy}>
          Reject
        </button>
        <button type="button" onClick={() => setRejecting(false)}>
          Cancel
        </button>
      </Form>
    );
  return (
    <RowActions>
      <ActButton primary busy={busy} onClick={onApprove}>
        Approve
      </ActButton>
      <ActButton busy={busy} onClick={() => setRejecting(true)}>
        Reject…
      </ActButton>
    </RowActions>
  );
}

export function Signatures({ user, route }: { user: User; route: Route }) {
  const admin = user.role === 'admin';
  const apps = useApps();
  const app = route.query.get('app') ?? '';
  const status = route.query.get('status') ?? '';
  const offset = Number(route.query.get('offset')) || 0;
  const list = useAsync(
    () =>
      api.get<List<Signature>>('/signatures', {
        app: app || undefined,
        status: status || undefined,
        limit: LIMIT,
        offset,
      }),
    [app, status, offset],
  );
  const form = useForm({ app: '', name: '', type: 'NOTIFY_TYPE' });
  const [act, busy, err] = useListAction(list.reload);
  const formApp = form.values.app || app || apps.find((a) => a.region === 'cn')?.id || '';
  return (
    <>
      <PageHead title="Signatures" />
      {admin && (
        <Form
          class="card inline-form"
          onSubmit={() =>
            act(async () => {
              await api.post('/signatures', { ...form.values, app: formApp });
              form.set({ name: '' });
            })
          }
        >
          <Field label="Application">
            <select
              name="sigApp"
              value={formApp}
              onChange={(e) => form.set({ app: e.currentTarget.value })}
              required
            >
              <AppOptions apps={apps.filter((a) => a.region === 'cn')} none="Choose…" />
            </select>
          </Field>
          <Field label="Signature name" hint="2–32 letters, digits or Chinese characters.">
            <input name="sigName" {...form.text('name')} required />
          </Field>
          <Field label="Type">
            <select name="sigType" {...form.choice('type')}>
              <Options values={TEMPLATE_TYPES} />
            </select>
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            Apply for signature
          </button>
        </Form>
      )}
      <ErrorBox error={err ?? list.error} />
      <StatusTabs path="/signatures" statuses={STATUSES} status={status} app={app} apps={apps} />
      <ListCard
        items={list.data?.items}
        empty={
          <Empty title={status ? `No ${status} signatures.` : 'No signatures yet.'}>
            Mainland messages start with a signature such as 【Shop】. Apply for one above; once approved it
            gets a channel number, the <code>from</code> of your send requests.
          </Empty>
        }
        cols={['Name', 'Application', 'Type', 'Status', 'Channel number', 'Created', 'Review']}
        pager={
          list.data && (
            <Pager
              total={list.data.total}
              limit={LIMIT}
              offset={offset}
              onPage={(o) => navigate('/signatures', { app, status, offset: o })}
            />
          )
        }
      >
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
                <ActButton
                  busy={busy}
                  confirm={`Delete signature ${s.name}?`}
                  onClick={() => act(() => api.del(`/signatures/${s.id}`))}
                >
                  Delete
                </ActButton>
              )}
            </td>
          </tr>
        ))}
      </ListCard>
    </>
  );
}
