import { useState } from 'preact/hooks';
import { type List, type Message, api, qs } from '../api';
import { AppOptions, Form } from '../forms';
import { ListCard } from '../tables';
import {
  Badge,
  Empty,
  ErrorBox,
  Field,
  PageHead,
  Pager,
  type Route,
  appName,
  fmtTime,
  href,
  navigate,
  toLocalInput,
  useApps,
  useAsync,
} from '../ui';

const HOUR = 3600_000;
const QUICK: Array<[string, number]> = [
  ['1h', HOUR],
  ['24h', 24 * HOUR],
  ['7d', 7 * 24 * HOUR],
];
/** Longest span the console queries (MSGSMS's console limit; the API itself has none). */
const MAX_SPAN = 7 * 24 * HOUR;
const LIMIT = 50;
const FILTERS = ['templateId', 'to', 'app', 'channelNumber', 'signature', 'result'] as const;

/** Since/until of the route: `range=1h|24h|7d` (relative to now) or `since`/`until` (epoch ms). */
function rangeOf(q: URLSearchParams): { since: number; until: number; quick: string | null } {
  const quick = QUICK.find(([k]) => k === (q.get('range') ?? (q.get('since') ? '' : '24h')));
  if (quick) {
    const until = Date.now();
    return { since: until - quick[1], until, quick: quick[0] };
  }
  const until = Number(q.get('until')) || Date.now();
  const since = Math.max(Number(q.get('since')) || until - 24 * HOUR, until - MAX_SPAN);
  return { since, until, quick: null };
}

export function Messages({ route }: { route: Route }) {
  const q = route.query;
  const apps = useApps();
  const offset = Number(q.get('offset')) || 0;
  const { since, until, quick } = rangeOf(q);
  const filter: Record<string, string | number | undefined> = { since, until };
  for (const k of FILTERS) filter[k] = q.get(k) ?? undefined;
  const key = q.toString();
  const list = useAsync(
    () => api.get<List<Message>>('/messages', { ...filter, limit: LIMIT, offset }),
    [key],
  );
  const [form, setForm] = useState<Record<string, string>>({});
  const val = (k: string) => form[k] ?? q.get(k) ?? '';
  const set = (k: string) => (e: Event) =>
    setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });

  const go = (over: Record<string, string | number | undefined>) => {
    const next: Record<string, string | number | undefined> = {};
    for (const k of FILTERS) next[k] = val(k) || undefined;
    if (quick) next.range = quick;
    else {
      next.since = since;
      next.until = until;
    }
    navigate('/messages', { ...next, ...over });
  };
  const custom = (which: 'since' | 'until') => (e: Event) => {
    const t = new Date((e.currentTarget as HTMLInputElement).value).getTime();
    if (Number.isNaN(t)) return;
    let s = which === 'since' ? t : since;
    let u = which === 'until' ? t : until;
    // Keep the span within 7 days by moving the other end.
    if (u - s > MAX_SPAN) which === 'since' ? (u = s + MAX_SPAN) : (s = u - MAX_SPAN);
    if (s > u) which === 'since' ? (u = s) : (s = u);
    go({ range: undefined, since: s, until: u, offset: undefined });
  };
  const csv = `/api/v1/messages.csv${qs({ ...filter, limit: 100000 })}`;
  const data = list.data;

  return (
    <>
      <PageHead title="Send Details">
        <a class="button" href={csv} download>
          Export CSV
        </a>
      </PageHead>
      <Form class="filters card" onSubmit={() => go({ offset: undefined })}>
        <Field label="Recipient">
          <input name="to" value={val('to')} onInput={set('to')} placeholder="+8613800000000" />
        </Field>
        <Field label="Template ID">
          <input name="templateId" value={val('templateId')} onInput={set('templateId')} />
        </Field>
        <Field label="Application">
          <select name="app" value={val('app')} onChange={set('app')}>
            <AppOptions apps={apps} none="All" />
          </select>
        </Field>
        <Field label="Channel number">
          <input name="channelNumber" value={val('channelNumber')} onInput={set('channelNumber')} />
        </Field>
        <Field label="Signature">
          <input name="signature" value={val('signature')} onInput={set('signature')} />
        </Field>
        <Field label="Result">
          <select name="result" value={val('result')} onChange={set('result')}>
            <option value="">All</option>
            <option value="success">Success</option>
            <option value="failed">Failed</option>
            <option value="sending">Sending</option>
          </select>
        </Field>
        <Field label="From">
          <input type="datetime-local" value={toLocalInput(since)} onChange={custom('since')} />
        </Field>
        <Field label="To">
          <input type="datetime-local" value={toLocalInput(until)} onChange={custom('until')} />
        </Field>
        <div class="quick" role="group" aria-label="time range">
          {QUICK.map(([k]) => (
            <button
              type="button"
              key={k}
              class={quick === k ? 'on' : ''}
              aria-pressed={quick === k}
              onClick={() => go({ range: k, since: undefined, until: undefined, offset: undefined })}
            >
              Last {k}
            </button>
          ))}
        </div>
        <div class="filter-actions">
          <button type="submit" class="primary">
            Search
          </button>
          <a class="button" href={href('/messages')}>
            Reset
          </a>
        </div>
      </Form>
      <ErrorBox error={list.error} />
      <ListCard
        items={data?.items}
        busy={list.loading}
        empty={
          <Empty title="No messages match these filters.">
            Widen the time range, or send a first message through <code>/sms/batchSendSms/v1</code> with an
            app key and a template. Messages appear here as soon as they are accepted.
          </Empty>
        }
        cols={[
          'Sent at',
          'Recipient',
          'Result',
          'Status',
          'App',
          'Template',
          'Signature',
          'Channel',
          { label: 'Parts', num: true },
          'Content',
        ]}
        pager={
          data && (
            <Pager
              total={data.total}
              capped={data.totalCapped}
              limit={LIMIT}
              offset={offset}
              onPage={(o) => go({ offset: o || undefined })}
            />
          )
        }
      >
        {data?.items.map((m) => (
          <tr
            key={m.smsMsgId}
            class="clickable"
            onClick={() => navigate(`/messages/${encodeURIComponent(m.smsMsgId)}`)}
          >
            <td class="nowrap">
              <a href={href(`/messages/${encodeURIComponent(m.smsMsgId)}`)}>{fmtTime(m.createdAt)}</a>
            </td>
            <td class="mono">{m.to}</td>
            <td>
              <Badge value={m.result} />
            </td>
            <td>{m.statusCode ? <Badge value={m.statusCode} /> : <span class="muted">{m.state}</span>}</td>
            <td>{appName(apps, m.appId)}</td>
            <td class="mono small">{m.templateId}</td>
            <td>{m.signatureName ?? '–'}</td>
            <td class="mono">{m.channelNumber}</td>
            <td class="num">{m.total}</td>
            <td class="ellipsis" title={m.content}>
              {m.content}
            </td>
          </tr>
        ))}
      </ListCard>
    </>
  );
}
