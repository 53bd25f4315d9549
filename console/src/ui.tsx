// Shared bits of the console: routing, data hooks, formatting, and small components.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type App, ApiError, type List, api } from './api';

// ---- routing (hash based: works behind any static server, no server-side fallback needed) ----
export interface Route {
  path: string;
  query: URLSearchParams;
}
export function currentRoute(): Route {
  const h = location.hash.replace(/^#/, '') || '/overview';
  const [path, q = ''] = h.split('?');
  return { path, query: new URLSearchParams(q) };
}
export function useRoute(): Route {
  const [r, setR] = useState(currentRoute);
  useEffect(() => {
    const on = () => setR(currentRoute());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return r;
}
export function href(path: string, q: Record<string, string | number | undefined | null> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}
export function navigate(path: string, q: Record<string, string | number | undefined | null> = {}): void {
  location.hash = href(path, q);
}

// ---- data ----
export function useAsync<T>(
  fn: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const my = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => my === seq.current && setState({ data, loading: false }),
      (error: Error) => my === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function useInterval(fn: () => void, ms: number): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') ref.current();
    }, ms);
    return () => clearInterval(t);
  }, [ms]);
}

let appsCache: Promise<App[]> | null = null;
/** All applications (cached for selects; call `invalidateApps` after a change). */
export function loadApps(): Promise<App[]> {
  appsCache ??= api.get<List<App>>('/apps', { limit: 1000 }).then(
    (l) => l.items,
    (e) => {
      appsCache = null;
      throw e;
    },
  );
  return appsCache;
}
export function invalidateApps(): void {
  appsCache = null;
}
export function useApps(): App[] {
  const { data } = useAsync(loadApps, []);
  return data ?? [];
}

// ---- formatting ----
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
export function fmtNum(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : n.toLocaleString('en-US');
}
export function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '–';
}
/** `datetime-local` value for a time (local zone). */
export function toLocalInput(t: number): string {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

// ---- components ----
const BADGE: Record<string, string> = {
  success: 'ok',
  DELIVRD: 'ok',
  active: 'ok',
  approved: 'ok',
  delivered: 'ok',
  completed: 'ok',
  bound: 'ok',
  true: 'ok',
  enabled: 'ok',
  yes: 'ok',
  self: 'ok',
  failed: 'bad',
  down: 'bad',
  rejected: 'bad',
  frozen: 'bad',
  dead: 'bad',
  cancelled: 'muted',
  inactive: 'muted',
  interrupted: 'bad',
  FAILED: 'bad',
  false: 'muted',
  disabled: 'muted',
  no: 'muted',
  free: 'muted',
  sending: 'warn',
  pending: 'warn',
  scheduled: 'warn',
  running: 'warn',
  leased: 'warn',
  uploading: 'warn',
};
export function Badge({ value }: { value: string | boolean | null | undefined }) {
  const v = String(value ?? '–');
  return (
    <span class={`badge ${BADGE[v] ?? (/^(UNDELIV|REJECTD|EXPIRED|E\d)/.test(v) ? 'bad' : '')}`}>{v}</span>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as ApiError;
  return (
    <div class="error" role="alert">
      <strong>{e.code ?? 'Error'}</strong> {e.message}
      {e.details && e.details.length > 0 && (
        <ul>
          {e.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

export function Pager({
  total,
  limit,
  offset,
  capped,
  onPage,
}: {
  total: number;
  limit: number;
  offset: number;
  capped?: boolean;
  onPage: (offset: number) => void;
}) {
  if (total === 0 && offset === 0) return null; // the list's empty state says it
  if (total <= limit && offset === 0)
    return <div class="pager muted">{total === 1 ? '1 row' : `${fmtNum(total)} rows`}</div>;
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        ‹ Prev
      </button>
      <span>
        {fmtNum(offset + 1)}–{fmtNum(Math.min(offset + limit, total))} of {fmtNum(total)}
        {capped ? '+' : ''}
      </span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onPage(offset + limit)}>
        Next ›
      </button>
    </nav>
  );
}

export function Field({
  label,
  children,
  hint,
}: {
  label: string;
  children: ComponentChildren;
  hint?: ComponentChildren;
}) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
      {hint && <small>{hint}</small>}
    </label>
  );
}

export function PageHead({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-head">
      <h1>{title}</h1>
      <div class="actions">{children}</div>
    </header>
  );
}

/** Runs an action, showing its error; returns a [run, busy, error] triple. */
export function useAction<A extends unknown[]>(
  fn: (...a: A) => Promise<unknown>,
): [(...a: A) => Promise<boolean>, boolean, unknown] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (...a: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn(...a);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [run, busy, error];
}

/**
 * `useAction` for row and form actions on a list: runs the given call, then `reload`s the list.
 * Returns `[act, busy, error]`; `act(() => api.post(...))`.
 */
export function useListAction(
  reload: () => void,
): [(fn: () => Promise<unknown>) => Promise<boolean>, boolean, unknown] {
  return useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    reload();
  });
}

/** Badge for an on/off switch ('enabled' / 'disabled'). */
export function EnabledBadge({ on }: { on: boolean }) {
  return <Badge value={on ? 'enabled' : 'disabled'} />;
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export const TEMPLATE_TYPES = ['VERIFY_CODE_TYPE', 'NOTIFY_TYPE', 'PROMOTION_TYPE'];
export function appName(apps: App[], id: string): string {
  return apps.find((a) => a.id === id)?.name ?? id.slice(0, 8);
}
