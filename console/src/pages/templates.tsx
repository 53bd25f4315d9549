import { useEffect, useState } from 'preact/hooks';
import { ApiError, type List, type Preview, type Signature, type Template, type User, api } from '../api';
import { AppOptions, Form, Options, useForm } from '../forms';
import { ActButton, ListCard, StatusTabs } from '../tables';
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
  href,
  navigate,
  useAction,
  useApps,
  useAsync,
  useListAction,
} from '../ui';
import { ReviewButtons } from './signatures';

const STATUSES = ['', 'pending', 'active', 'inactive', 'rejected'];
const ATTRIBUTES = ['CHARDIGIT', 'TEXT', 'PHONE', 'DATETIME', 'MONEY'];
const LIMIT = 50;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Live validation + encoding preview through POST /templates/preview. */
function PreviewPanel({
  content,
  attributes,
  signature,
  params,
}: {
  content: string;
  attributes: Record<string, string>;
  signature: string;
  params: string[];
}) {
  const key = useDebounced(JSON.stringify({ content, attributes, signature, params }), 250);
  const [state, setState] = useState<{ p?: Preview; err?: unknown }>({});
  useEffect(() => {
    const b = JSON.parse(key) as {
      content: string;
      attributes: Record<string, string>;
      signature: string;
      params: string[];
    };
    if (!b.content.trim()) {
      setState({});
      return;
    }
    let live = true;
    api
      .post<Preview>('/templates/preview', {
        content: b.content,
        variableAttributes: b.attributes,
        signature: b.signature || undefined,
        params: b.params.some((x) => x !== '') ? b.params : undefined,
      })
      .then(
        (p) => live && setState({ p }),
        (err) => live && setState({ err }),
      );
    return () => {
      live = false;
    };
  }, [key]);
  if (!content.trim())
    return (
      <p class="muted small">
        Type the content to see the validation and encoding preview. Variables: <code>{'${1}'}</code>,{' '}
        <code>{'${TXT_8}'}</code>, <code>{'${NUM_6}'}</code>.
      </p>
    );
  if (state.err)
    return (
      <div class="preview bad" data-testid="preview">
        <ErrorBox error={state.err} />
      </div>
    );
  const p = state.p;
  if (!p) return <p class="muted small">Checking…</p>;
  return (
    <div class="preview" data-testid="preview">
      <div class="preview-text">{p.text}</div>
      <dl class="facts">
        <div>
          <dt>Encoding</dt>
          <dd data-testid="preview-encoding">
            <Badge value={p.encoding === 'GSM7' ? 'GSM-7' : 'UCS-2'} />
          </dd>
        </div>
        <div>
          <dt>Length</dt>
          <dd>{p.length} chars</dd>
        </div>
        <div>
          <dt>Segments</dt>
          <dd data-testid="preview-segments">{p.total}</dd>
        </div>
        <div>
          <dt>Forced UCS-2 by</dt>
          <dd>{p.forcedUcs2.length ? p.forcedUcs2.map((c) => <code key={c}>{c}</code>) : '–'}</dd>
        </div>
      </dl>
    </div>
  );
}

function CreateTemplate({ onCreated, appFilter }: { onCreated: () => void; appFilter: string }) {
  const apps = useApps();
  const f = useForm({
    app: '',
    signatureId: '',
    universal: false,
    name: '',
    type: 'NOTIFY_TYPE',
    content: '',
  });
  const form = f.values;
  const [attrs, setAttrs] = useState<Record<string, string>>({});
  const [params, setParams] = useState<string[]>([]);
  const appId = form.app || appFilter || apps[0]?.id || '';
  const app = apps.find((a) => a.id === appId);
  const sigs = useAsync(
    () =>
      appId ? api.get<List<Signature>>('/signatures', { app: appId, limit: 1000 }) : Promise.resolve(null),
    [appId],
  );
  const approved = (sigs.data?.items ?? []).filter((s) => s.status !== 'rejected');
  const sig = approved.find((s) => s.id === form.signatureId) ?? (form.universal ? undefined : approved[0]);
  const indexVars = [...form.content.matchAll(/\$\{(\d{1,2})\}/g)].map((m) => m[1]);
  const varCount = (form.content.match(/\$\{[^}]*\}/g) ?? []).length;
  const attributes: Record<string, string> = {};
  for (const n of indexVars) attributes[n] = attrs[n] ?? 'CHARDIGIT';
  const [create, busy, err] = useAction(async () => {
    await api.post('/templates', {
      app: appId,
      name: form.name,
      type: form.type,
      content: form.content,
      variableAttributes: indexVars.length ? attributes : undefined,
      ...(app?.region === 'cn' ? (form.universal ? { universal: true } : { signatureId: sig?.id }) : {}),
    });
    f.set({ name: '', content: '' });
    onCreated();
  });
  return (
    <Form class="card" onSubmit={create}>
      <h2>New template</h2>
      <div class="form-grid">
        <Field label="Application">
          <select
            name="tplApp"
            value={appId}
            onChange={(e) => f.set({ app: e.currentTarget.value, signatureId: '' })}
            required
          >
            <AppOptions apps={apps} />
          </select>
        </Field>
        {app?.region === 'cn' && (
          <Field
            label="Signature"
            hint={
              <label class="check">
                <input type="checkbox" {...f.check('universal')} /> universal (any signature of the app)
              </label>
            }
          >
            <select
              name="tplSig"
              value={sig?.id ?? ''}
              disabled={form.universal}
              onChange={(e) => f.set({ signatureId: e.currentTarget.value })}
            >
              {approved.length === 0 && <option value="">No signature yet</option>}
              {approved.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.type}, {s.status})
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Name">
          <input name="tplName" {...f.text('name')} required maxLength={64} />
        </Field>
        <Field label="Type">
          <select name="tplType" {...f.choice('type')}>
            <Options values={TEMPLATE_TYPES} />
          </select>
        </Field>
      </div>
      <Field label="Content">
        <textarea
          name="tplContent"
          rows={3}
          {...f.text('content')}
          required
          placeholder={'Your code is ${NUM_6}, valid for ${1} minutes.'}
        />
      </Field>
      {(indexVars.length > 0 || varCount > 0) && (
        <div class="form-grid">
          {indexVars.map((n) => (
            <Field key={`a${n}`} label={`Attribute of \${${n}}`}>
              <select
                value={attributes[n]}
                onChange={(e) => setAttrs({ ...attrs, [n]: e.currentTarget.value })}
              >
                <Options values={ATTRIBUTES} />
              </select>
            </Field>
          ))}
          {Array.from({ length: varCount }, (_, i) => (
            <Field key={`p${i}`} label={`Sample param ${i + 1}`}>
              <input
                value={params[i] ?? ''}
                onInput={(e) => {
                  const next = [...params];
                  next[i] = e.currentTarget.value;
                  setParams(next);
                }}
              />
            </Field>
          ))}
        </div>
      )}
      <PreviewPanel
        content={form.content}
        attributes={attributes}
        signature={app?.region === 'cn' && sig ? sig.name : ''}
        params={params.slice(0, varCount)}
      />
      <ErrorBox error={err} />
      <button type="submit" class="primary" disabled={busy || !appId}>
        Submit template
      </button>
      {err instanceof ApiError && err.status === 409 && (
        <span class="small muted"> A template with this name may exist already.</span>
      )}
    </Form>
  );
}

export function Templates({ user, route }: { user: User; route: Route }) {
  const admin = user.role === 'admin';
  const apps = useApps();
  const app = route.query.get('app') ?? '';
  const status = route.query.get('status') ?? '';
  const offset = Number(route.query.get('offset')) || 0;
  const list = useAsync(
    () =>
      api.get<List<Template>>('/templates', {
        app: app || undefined,
        status: status || undefined,
        limit: LIMIT,
        offset,
      }),
    [app, status, offset],
  );
  const [act, busy, err] = useListAction(list.reload);
  return (
    <>
      <PageHead title="Templates" />
      {admin && apps.length > 0 && <CreateTemplate onCreated={list.reload} appFilter={app} />}
      {admin && apps.length === 0 && (
        <div class="notice">
          Templates belong to an application: <a href={href('/apps')}>create one first</a>.
        </div>
      )}
      <ErrorBox error={err ?? list.error} />
      <StatusTabs path="/templates" statuses={STATUSES} status={status} app={app} apps={apps} />
      <ListCard
        items={list.data?.items}
        empty={
          <Empty title={status ? `No ${status} templates.` : 'No templates yet.'}>
            Every message is sent from an approved template. Write one above; the preview shows encoding and
            segments as you type.
          </Empty>
        }
        cols={['Template ID', 'Name', 'Application', 'Type', 'Content', 'Status', 'Created', 'Actions']}
        pager={
          list.data && (
            <Pager
              total={list.data.total}
              limit={LIMIT}
              offset={offset}
              onPage={(o) => navigate('/templates', { app, status, offset: o })}
            />
          )
        }
      >
        {list.data?.items.map((t) => (
          <tr key={t.id} data-name={t.name}>
            <td class="mono small" data-testid="template-id">
              {t.id}
            </td>
            <td>{t.name}</td>
            <td>{appName(apps, t.appId)}</td>
            <td>{t.type}</td>
            <td class="ellipsis" title={t.content}>
              {t.content}
            </td>
            <td>
              <Badge value={t.status} />
              {t.rejectReason && <div class="small muted">{t.rejectReason}</div>}
            </td>
            <td class="nowrap">{fmtTime(t.createdAt)}</td>
            <td>
              {admin && t.status === 'pending' && (
                <ReviewButtons
                  busy={busy}
                  onApprove={() => act(() => api.post(`/templates/${t.id}/approve`))}
                  onReject={(reason) => act(() => api.post(`/templates/${t.id}/reject`, { reason }))}
                />
              )}
              {admin && t.status === 'active' && (
                <ActButton busy={busy} onClick={() => act(() => api.post(`/templates/${t.id}/deactivate`))}>
                  Deactivate
                </ActButton>
              )}
              {admin && t.status === 'inactive' && (
                <ActButton busy={busy} onClick={() => act(() => api.post(`/templates/${t.id}/activate`))}>
                  Activate
                </ActButton>
              )}
            </td>
          </tr>
        ))}
      </ListCard>
    </>
  );
}
