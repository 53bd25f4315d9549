import { type Message, type User, api } from '../api';
import { Badge, ErrorBox, PageHead, fmtTime, href, useAction, useAsync, useInterval } from '../ui';

interface Part {
  seq: number;
  state: string;
  carrierMsgId: string | null;
  connectorId: string | null;
  statusCode: string | null;
  errorCode: string | null;
  submittedAt: string | null;
  receiptAt: string | null;
}
interface Event {
  at: string;
  kind: string;
  seq: number | null;
  detail: Record<string, unknown>;
}
interface Attempt {
  at: string;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
}
interface Push {
  id: number;
  kind: string;
  url: string;
  state: string;
  attempts: Attempt[] | number;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: string;
}
interface Detail {
  message: Message & {
    connectorId: string | null;
    statusCallback: string | null;
    extend: string | null;
    countryId: string;
  };
  parts: Part[];
  events: Event[];
  pushes: Push[];
}

function describe(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function MessagePage({ id, user }: { id: string; user: User }) {
  const d = useAsync(() => api.get<Detail>(`/messages/${encodeURIComponent(id)}`), [id]);
  const [redeliver, busy, err] = useAction(async (pushId: number) => {
    await api.post(`/pushes/${pushId}/redeliver`);
    d.reload();
  });
  // Follow a message in flight until it is final.
  useInterval(() => {
    if (d.data && d.data.message.result === 'sending') d.reload();
  }, 2000);
  const m = d.data?.message;
  return (
    <>
      <PageHead title={`Message ${id}`}>
        <a class="button" href={href('/messages')}>
          ← Send Details
        </a>
      </PageHead>
      <ErrorBox error={d.error} />
      {m && (
        <>
          <section class="card">
            <dl class="facts">
              <div>
                <dt>Result</dt>
                <dd>
                  <Badge value={m.result} /> <span data-testid="message-state">{m.state}</span>
                </dd>
              </div>
              <div>
                <dt>Status code</dt>
                <dd>{m.statusCode ? <Badge value={m.statusCode} /> : '–'}</dd>
              </div>
              <div>
                <dt>Recipient</dt>
                <dd class="mono">{m.to}</dd>
              </div>
              <div>
                <dt>From (channel)</dt>
                <dd class="mono">{m.channelNumber}</dd>
              </div>
              <div>
                <dt>Template</dt>
                <dd class="mono">
                  {m.templateId} ({m.templateType})
                </dd>
              </div>
              <div>
                <dt>Encoding / parts</dt>
                <dd>
                  {m.encoding} / {m.total}
                </dd>
              </div>
              <div>
                <dt>Accepted</dt>
                <dd>{fmtTime(m.createdAt)}</dd>
              </div>
              <div>
                <dt>Final</dt>
                <dd>{fmtTime(m.finalAt)}</dd>
              </div>
              <div>
                <dt>Status callback</dt>
                <dd class="ellipsis">{m.statusCallback ?? '–'}</dd>
              </div>
              {m.taskId && (
                <div>
                  <dt>Group send</dt>
                  <dd class="mono">{m.taskId}</dd>
                </div>
              )}
            </dl>
            <p class="content-box">{m.content}</p>
          </section>
          <div class="grid2">
            <section class="card">
              <h2>Timeline</h2>
              <ol class="timeline" data-testid="timeline">
                {d.data?.events.map((e, i) => (
                  <li key={i} class={`ev-${e.kind}`}>
                    <time>{fmtTime(e.at)}</time>
                    <strong>
                      {e.kind}
                      {e.seq !== null ? ` (part ${e.seq})` : ''}
                    </strong>
                    <span class="small muted">{describe(e.detail)}</span>
                  </li>
                ))}
              </ol>
            </section>
            <section class="card">
              <h2>Parts</h2>
              <div class="table-wrap">
                <table class="data">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>State</th>
                      <th>Carrier id</th>
                      <th>Submitted</th>
                      <th>Receipt</th>
                      <th>Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.data?.parts.map((p) => (
                      <tr key={p.seq}>
                        <td>{p.seq}</td>
                        <td>
                          <Badge value={p.state} />
                        </td>
                        <td class="mono small">{p.carrierMsgId ?? '–'}</td>
                        <td class="nowrap">{fmtTime(p.submittedAt)}</td>
                        <td class="nowrap">{fmtTime(p.receiptAt)}</td>
                        <td>{p.statusCode ?? p.errorCode ?? '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </div>
          <section class="card">
            <h2>Status-report pushes</h2>
            <ErrorBox error={err} />
            {d.data && d.data.pushes.length === 0 ? (
              <p class="muted">
                No pushes: this message has no statusCallback and its app has no batch report address.
              </p>
            ) : (
              d.data?.pushes.map((p) => (
                <div class="push" key={p.id}>
                  <div class="push-head">
                    <Badge value={p.state} /> <span class="mono small">{p.url}</span>{' '}
                    <span class="muted small">({p.kind})</span>
                    {user.role === 'admin' && (
                      <button type="button" disabled={busy} onClick={() => redeliver(p.id)}>
                        Redeliver
                      </button>
                    )}
                  </div>
                  {Array.isArray(p.attempts) && p.attempts.length > 0 ? (
                    <table class="data">
                      <thead>
                        <tr>
                          <th>Attempt at</th>
                          <th>HTTP</th>
                          <th class="num">Latency</th>
                          <th>Error</th>
                        </tr>
                      </thead>
                      <tbody>
                        {p.attempts.map((a, i) => (
                          <tr key={i}>
                            <td>{fmtTime(a.at)}</td>
                            <td>{a.httpStatus ?? '–'}</td>
                            <td class="num">{a.latencyMs} ms</td>
                            <td>{a.error ?? ''}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    <p class="muted small">No attempt yet.</p>
                  )}
                </div>
              ))
            )}
          </section>
        </>
      )}
    </>
  );
}
