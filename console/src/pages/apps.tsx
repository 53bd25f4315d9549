import { useState } from 'preact/hooks';
import { type App, type List, type User, api } from '../api';
import { Form, useForm } from '../forms';
import { ListCard, RowActions } from '../tables';
import {
  Badge,
  Empty,
  ErrorBox,
  Field,
  PageHead,
  fmtTime,
  href,
  invalidateApps,
  useAction,
  useAsync,
} from '../ui';

function AppEditor({ app, admin, onChanged }: { app: App; admin: boolean; onChanged: () => void }) {
  const [secret, setSecret] = useState<string | null>(null);
  const f = useForm({
    uplinkUrl: app.uplinkUrl ?? '',
    batchReportUrl: app.batchReportUrl ?? '',
    ipAllowList: app.ipAllowList.join(', '),
    pushSigning: app.pushSigning,
    uplinkCreateTime: app.uplinkCreateTime,
  });
  const form = f.values;
  const [saved, setSaved] = useState(false);
  const [reveal, revealing, revealErr] = useAction(async () => {
    const r = await api.get<{ appSecret: string }>(`/apps/${app.id}/secret`);
    setSecret(r.appSecret);
  });
  const [save, saving, saveErr] = useAction(async () => {
    await api.patch(`/apps/${app.id}`, {
      ...form,
      uplinkUrl: form.uplinkUrl || null,
      batchReportUrl: form.batchReportUrl || null,
    });
    setSaved(true);
    onChanged();
  });
  const [freeze, freezing, freezeErr] = useAction(async () => {
    await api.post(`/apps/${app.id}/${app.status === 'frozen' ? 'unfreeze' : 'freeze'}`);
    onChanged();
  });
  const access = `${location.origin}/sms/batchSendSms/v1`;
  return (
    <div class="editor">
      <dl class="facts">
        <div>
          <dt>App key</dt>
          <dd class="mono" data-testid="app-key">
            {app.appKey}
          </dd>
        </div>
        <div>
          <dt>App secret</dt>
          <dd class="mono">
            {secret ?? '••••••••••••'}{' '}
            {!secret && (
              <button type="button" class="small-btn" disabled={revealing} onClick={() => reveal()}>
                Reveal
              </button>
            )}
          </dd>
        </div>
        <div>
          <dt>Access address</dt>
          <dd class="mono small">
            {access}
            <br />
            {access.replace('batchSendSms', 'batchSendDiffSms')}
          </dd>
        </div>
        <div>
          <dt>Channel number</dt>
          <dd class="mono">{app.channelNumber ?? (app.region === 'cn' ? 'per signature' : '–')}</dd>
        </div>
      </dl>
      <ErrorBox error={revealErr} />
      <Form class="form-grid" onSubmit={save}>
        <Field label="Uplink address (MO pushes)">
          <input type="url" {...f.text('uplinkUrl')} disabled={!admin} placeholder="https://example.com/mo" />
        </Field>
        <Field label="Batch status report address">
          <input
            type="url"
            {...f.text('batchReportUrl')}
            disabled={!admin}
            placeholder="https://example.com/reports"
          />
        </Field>
        <Field label="IP allowlist" hint="Addresses or CIDRs, comma separated; empty = any caller.">
          <input {...f.text('ipAllowList')} disabled={!admin} placeholder="10.0.0.0/8, 192.0.2.7" />
        </Field>
        <label class="check">
          <input type="checkbox" {...f.check('pushSigning')} disabled={!admin} /> Sign pushes with the app's
          key pair
        </label>
        <label class="check">
          <input type="checkbox" {...f.check('uplinkCreateTime')} disabled={!admin} /> Send the receive time
          in uplink pushes
        </label>
        {admin && (
          <RowActions>
            <button type="submit" class="primary" disabled={saving}>
              Save
            </button>
            <button
              type="button"
              class={app.status === 'frozen' ? '' : 'danger'}
              disabled={freezing}
              onClick={() => freeze()}
            >
              {app.status === 'frozen' ? 'Unfreeze' : 'Freeze'}
            </button>
            {saved && <span class="muted small">Saved.</span>}
          </RowActions>
        )}
      </Form>
      <ErrorBox error={saveErr ?? freezeErr} />
    </div>
  );
}

export function Apps({ user }: { user: User }) {
  const admin = user.role === 'admin';
  const list = useAsync(() => api.get<List<App>>('/apps', { limit: 1000 }), []);
  const [open, setOpen] = useState<string | null>(null);
  const form = useForm({ name: '', region: 'cn' });
  const [created, setCreated] = useState<(App & { appSecret: string }) | null>(null);
  const [create, creating, createErr] = useAction(async () => {
    const a = await api.post<App & { appSecret: string }>('/apps', form.values);
    setCreated(a);
    form.reset({ name: '', region: 'cn' });
    invalidateApps();
    list.reload();
  });
  const changed = () => {
    invalidateApps();
    list.reload();
  };
  return (
    <>
      <PageHead title="Applications" />
      {admin && (
        <Form class="card inline-form" onSubmit={create}>
          <Field label="New application name">
            <input name="appName" {...form.text('name')} required maxLength={64} />
          </Field>
          <Field label="Region">
            <select name="region" {...form.choice('region')}>
              <option value="cn">Mainland (signatures + channel numbers)</option>
              <option value="intl">International</option>
            </select>
          </Field>
          <button type="submit" class="primary" disabled={creating}>
            Create application
          </button>
        </Form>
      )}
      <ErrorBox error={createErr ?? list.error} />
      {created && (
        <div class="notice" role="status">
          Created <strong>{created.name}</strong>. App key <code>{created.appKey}</code>, app secret{' '}
          <code data-testid="new-secret">{created.appSecret}</code> — store the secret now (you can reveal it
          again later). Next: <a href={href('/signatures', { app: created.id })}>apply for a signature</a>.
        </div>
      )}
      <ListCard
        items={list.data?.items}
        empty={
          <Empty title="No applications yet.">
            Create one above: it gives you the app key and secret your code uses to call the send API.
          </Empty>
        }
        cols={['Name', 'Region', 'App key', 'Channel', 'Status', 'Created', '']}
      >
        {list.data?.items.map((a) => [
          <tr key={a.id}>
            <td>{a.name}</td>
            <td>{a.region}</td>
            <td class="mono small">{a.appKey}</td>
            <td class="mono">{a.channelNumber ?? '–'}</td>
            <td>
              <Badge value={a.status} />
            </td>
            <td class="nowrap">{fmtTime(a.createdAt)}</td>
            <td>
              <button
                type="button"
                class="small-btn"
                aria-expanded={open === a.id}
                onClick={() => setOpen(open === a.id ? null : a.id)}
              >
                {open === a.id ? 'Close' : 'Details'}
              </button>
            </td>
          </tr>,
          open === a.id && (
            <tr key={`${a.id}-ed`} class="expanded">
              <td colSpan={7}>
                <AppEditor app={a} admin={admin} onChanged={changed} />
              </td>
            </tr>
          ),
        ])}
      </ListCard>
    </>
  );
}
