/**
 * Test helpers shared by every suite that needs a real store.
 *
 * - `ENGINES`: the engines store suites loop over; `SWIFTLET_TEST_DB=sqlite|postgres` narrows it
 *   (default: both).
 * - `createTestStore(engine?)`: a migrated store on a temp SQLite file, or on a FRESH PostgreSQL
 *   database (`swiftlet_test_<random>` on postgres://127.0.0.1:5432/postgres, dropped by
 *   `cleanup`). The default engine is `SWIFTLET_TEST_DB`, else sqlite.
 * - `withStore(engine, fn)`: the same, cleaned up after `fn`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

export type Engine = 'sqlite' | 'postgres';

/** Admin connection used to create and drop per-test databases. */
export const PG_ADMIN_URL = process.env.SWIFTLET_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const envDb = process.env.SWIFTLET_TEST_DB;
export const ENGINES: readonly Engine[] =
  envDb === 'sqlite' || envDb === 'postgres' ? [envDb] : (['sqlite', 'postgres'] as const);

/** A fixed 32-byte key so tests can open the same database twice. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7);

export interface TestStore {
  store: Store;
  url: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty database URL for the engine, and how to remove it. */
export async function createTestDatabase(engine: Engine): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'swiftlet-store-'));
    return {
      url: `sqlite:${join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `swiftlet_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestStore(engine?: Engine): Promise<TestStore> {
  const e: Engine = engine ?? (envDb === 'postgres' ? 'postgres' : 'sqlite');
  const db = await createTestDatabase(e);
  const store = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
  return {
    store,
    url: db.url,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
}

export async function withStore<T>(
  engine: Engine,
  fn: (store: Store, url: string) => Promise<T>,
): Promise<T> {
  const t = await createTestStore(engine);
  try {
    return await fn(t.store, t.url);
  } finally {
    await t.cleanup();
  }
}
