/** What every store module works with: the engine adapter, its Kysely instance and the secret box. */
import type { Kysely } from 'kysely';
import type { EngineAdapter } from './engine-adapter.js';
import type { Database } from './schema.js';
import type { SecretBox } from './secret-box.js';
import type { Page, Paged } from './store.js';

export interface StoreContext {
  readonly adapter: EngineAdapter;
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  readonly log: (msg: string) => void;
}

/** Default page when a caller gives none: first 100 rows. */
export const DEFAULT_PAGE: Page = { limit: 100, offset: 0 };

/** Runs the count and the page query together and maps the rows. */
export async function pageOf<R, T>(
  count: Promise<{ n: number | string | bigint } | undefined>,
  rows: Promise<R[]>,
  map: (r: R) => T,
): Promise<Paged<T>> {
  const [c, rs] = await Promise.all([count, rows]);
  return { items: rs.map(map), total: Number(c?.n ?? 0) };
}

/** Retries `fn` when it fails on a unique constraint (a concurrent allocation took the value). */
export async function retryOnConflict<T>(ctx: StoreContext, fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !ctx.adapter.isUniqueViolation(err)) throw err;
    }
  }
}
