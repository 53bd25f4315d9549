/**
 * What the management routes need, plus the small helpers every route file shares (resolving an
 * app by id or key, paging, time parameters).
 */
import { Type } from 'typebox';
import type { Config } from '../../config.js';
import type { AppRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { invalid, notFound } from './http-error.js';

/** The embedded simulator as the API sees it (see src/simulator/embedded.ts). */
export interface SimulatorHandle {
  port: number;
  injectMo(mo: { from: string; to: string; text: string }): Promise<void>;
  magicNumbers(): Array<{ suffix: string; outcome: string }>;
}

export interface ManageDeps {
  store: Store;
  config: Config;
  simulator?: SimulatorHandle;
  engine?: { status(): unknown };
}

/** Default and maximum page size of list routes. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export function pageOf(q: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: q.limit ?? DEFAULT_LIMIT, offset: q.offset ?? 0 };
}

/** `{ items, total, limit, offset }`. */
export function listBody<T, V>(
  paged: { items: T[]; total: number; totalCapped?: boolean },
  page: { limit: number; offset: number },
  view: (x: T) => V,
) {
  return {
    items: paged.items.map(view),
    total: paged.total,
    ...(paged.totalCapped ? { totalCapped: true } : {}),
    limit: page.limit,
    offset: page.offset,
  };
}

const APP_KEY_RE = /^[A-Za-z0-9]{28}$/;

/** The app named by id or app key. @throws HttpError NOT_FOUND. */
export async function findAppOrThrow(store: Store, idOrKey: string): Promise<AppRecord> {
  const app =
    (await store.getApp(idOrKey)) ??
    (APP_KEY_RE.test(idOrKey) ? await store.getAppByKey(idOrKey) : undefined);
  if (!app) throw notFound('application', idOrKey);
  return app;
}

/** The app id for an optional `app` filter (id or key); undefined when not given. */
export async function appIdFilter(store: Store, idOrKey: string | undefined): Promise<string | undefined> {
  if (idOrKey === undefined || idOrKey === '') return undefined;
  return (await findAppOrThrow(store, idOrKey)).id;
}

/** ISO 8601 or epoch ms → epoch ms. @throws HttpError VALIDATION_FAILED. */
export function parseTimeParam(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^[0-9]+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`${name} must be an ISO 8601 time or epoch milliseconds`);
  return t;
}

/** Validates an optional http(s) URL (≤ 255 chars); null/'' clear it. */
export function checkUrl(name: string, v: string | null | undefined): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  let ok = false;
  try {
    const u = new URL(v);
    ok = (u.protocol === 'http:' || u.protocol === 'https:') && v.length <= 255;
  } catch {}
  if (!ok) throw invalid(`${name} must be an http(s) URL of at most 255 characters`);
  return v;
}
