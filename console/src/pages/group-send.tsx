import { useState } from 'preact/hooks';
import { type GroupTask, type List, type Signature, type Template, type User, api } from '../api';
import { AppOptions, Form, useForm } from '../forms';
import { ActButton, ListCard, RowActions } from '../tables';
import {
  Badge,
  Empty,
  ErrorBox,
  Field,
  PageHead,
  appName,
  fmtNum,
  fmtTime,
  href,
  toLocalInput,
  useAction,
  useApps,
  useAsync,
  useInterval,
  useListAction,
} from '../ui';

function Progress({ t }: { t: GroupTask }) {
  const p = Math.round(t.progress * 100);
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={p}
      aria-label={`progress of ${t.name}`}
    >
      <div class="bar" style={{ width: `${p}%` }} />
      <span>{p} %</span>
    </div>
  );
}

export function GroupSend({ user }: { user: User }) {
  const admin = user.role === 'admin';
  const apps = useApps();
  const tasks = useAsync(() => api.get<List<GroupTask>>('/group-sends', { limit: 100 }), []);
  const f = useForm(() => ({
    app: '',
    templateId: '',
    signature: '',
    name: '',
    when: 'now',
    at: toLocalInput(Date.now() + 3600_000),
  }));
  const form = f.values;
  const [file, setFile] = useState<File | null>(null);
  const appId = form.app || apps[0]?.id || '';
  const app = apps.find((a) => a.id === appId);
  const tpls = useAsync(
    () =>
      appId
        ? api.get<List<Template>>('/templates', { app: appId, status: 'active', limit: 1000 })
        : Promise.resolve(null),
    [appId],
  );
  const sigs = useAsync(
    () =>
      appId
        ? api.get<List<Signature>>('/signatures', { app: appId, status: 'approved', limit: 1000 })
        : Promise.resolve(null),
    [appId],
  );
  const tpl = tpls.data?.items.find((t) => t.id === form.templateId) ?? tpls.data?.items[0];
  const running = tasks.data?.items.some(
    (t) => t.status === 'running' || t.status === 'scheduled' || t.status === 'uploading',
  );
  useInterval(() => {
    if (running) tasks.reload();
  }, 1000);

  const [start, busy, err] = useAction(async () => {
    if (!file || !tpl) return;
    await api.upload(
      '/group-sends',
      {
        app: appId,
        templateId: tpl.id,
        signature:
          app?.region === 'cn'
            ? tpl.universal
              ? form.signature || sigs.data?.items[0]?.id
              : tpl.signatureId
            : undefined,
        name: form.name || file.name,
        fileName: file.name,
        scheduleAt: form.when === 'later' ? new Date(form.at).getTime() : undefined,
      },
      file,
    );
    setFile(null);
    const input = document.getElementById('group-file') as HTMLInputElement | null;
    if (input) input.value = '';
    tasks.reload();
  });
  const [act, acting, actErr] = useListAction(tasks.reload);

  return (
    <>
      <PageHead title="Group sending" />
      {admin && (
        <Form class="card" onSubmit={start}>
          <h2>New group send</h2>
          <div class="form-grid">
            <Field label="Application">
              <select
                name="groupApp"
                value={appId}
                onChange={(e) => f.set({ app: e.currentTarget.value, templateId: '' })}
              >
                <AppOptions apps={apps} />
              </select>
            </Field>
            <Field label="Template (active)">
              <select
                name="groupTemplate"
                value={tpl?.id ?? ''}
                onChange={(e) => f.set({ templateId: e.currentTarget.value })}
                required
              >
                {(tpls.data?.items.length ?? 0) === 0 && <option value="">No active template</option>}
                {tpls.data?.items.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} — {t.content.slice(0, 40)}
                  </option>
                ))}
              </select>
            </Field>
            {app?.region === 'cn' && tpl?.universal && (
              <Field label="Signature">
                <select {...f.choice('signature')}>
                  {sigs.data?.items.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            <Field label="Task name">
              <input {...f.text('name')} placeholder="(file name)" />
            </Field>
            <Field
              label="Numbers file (CSV)"
              hint={`One number per line; then one column per template variable${tpl && tpl.variables.length ? ` (${tpl.variables.length} here)` : ''}. A header row is skipped. Up to 1,000,000 rows. CSV or XLSX (first sheet; store numbers as text cells).`}
            >
              <input
                id="group-file"
                name="groupFile"
                type="file"
                accept=".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
                required
              />
            </Field>
            <Field label="When">
              <span class="row-actions">
                <select aria-label="when" {...f.choice('when')}>
                  <option value="now">Send now</option>
                  <option value="later">Schedule</option>
                </select>
                {form.when === 'later' && (
                  <input type="datetime-local" aria-label="send at" {...f.text('at')} />
                )}
              </span>
            </Field>
          </div>
          <ErrorBox error={err} />
          <button type="submit" class="primary" disabled={busy || !file || !tpl}>
            {busy ? 'Uploading…' : form.when === 'later' ? 'Schedule' : 'Start sending'}
          </button>
        </Form>
      )}
      <ErrorBox error={actErr ?? tasks.error} />
      <ListCard
        items={tasks.data?.items}
        empty={
          <Empty title="No group sends yet.">
            Upload a CSV of numbers above. You need an application with an active{' '}
            <a href={href('/templates')}>template</a>.
          </Empty>
        }
        cols={[
          'Task',
          'Application',
          'Status',
          { label: 'Progress', minWidth: '160px' },
          { label: 'Rows', num: true },
          { label: 'Accepted', num: true },
          { label: 'Refused', num: true },
          'Scheduled / created',
          'Actions',
        ]}
      >
        {tasks.data?.items.map((t) => (
          <tr key={t.id} data-task={t.id}>
            <td>
              {t.name}
              <div class="small muted">runs on {t.nodeId}</div>
              {t.cancelRequested && t.status === 'running' && (
                <div class="small">stopping after this batch…</div>
              )}
              {t.error && <div class="small bad-text">{t.error}</div>}
            </td>
            <td>{appName(apps, t.appId)}</td>
            <td>
              <Badge value={t.status} />
            </td>
            <td>
              <Progress t={t} />
            </td>
            <td class="num">{fmtNum(t.total)}</td>
            <td class="num">{fmtNum(t.accepted)}</td>
            <td class="num">{fmtNum(t.failed)}</td>
            <td class="nowrap small">{t.scheduleAt ? `⏱ ${fmtTime(t.scheduleAt)}` : fmtTime(t.createdAt)}</td>
            <td>
              <RowActions>
                {admin && (t.status === 'scheduled' || (t.status === 'running' && !t.cancelRequested)) && (
                  <ActButton busy={acting} onClick={() => act(() => api.post(`/group-sends/${t.id}/cancel`))}>
                    Cancel
                  </ActButton>
                )}
                {t.failed > 0 && (
                  <a class="button small-btn" href={`/api/v1/group-sends/${t.id}/failed.csv`} download>
                    Failed numbers
                  </a>
                )}
                <a class="button small-btn" href={href('/messages', { range: '7d' })}>
                  Details
                </a>
                {admin && !['running', 'uploading', 'scheduled'].includes(t.status) && (
                  <ActButton
                    busy={acting}
                    confirm="Delete this task?"
                    onClick={() => act(() => api.del(`/group-sends/${t.id}`))}
                  >
                    Delete
                  </ActButton>
                )}
              </RowActions>
            </td>
          </tr>
        ))}
      </ListCard>
    </>
  );
}
