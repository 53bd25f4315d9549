/**
 * Opens the store named by a URL and brings its schema up to date.
 *
 * - `sqlite:<path>` or a path ending in `.db` / `.sqlite` → embedded SQLite (the default engine);
 * - `postgres://…` / `postgresql://…` → PostgreSQL (several nodes may share it).
 */
import { KyselyStore } from './kysely-store.js';
import { PostgresAdapter } from './postgres/postgres-adapter.js';
import { SecretBox } from './secret-box.js';
import { SqliteAdapter } from './sqlite/sqlite-adapter.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  url: string;
  /** 32 bytes; encrypts app secrets at rest (AES-256-GCM). */
  secretKey: Buffer;
  log?: (msg: string) => void;
}

/** @throws Error for a URL no engine understands, a bad key, or a failed migration. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const box = new SecretBox(opts.secretKey);
  const url = opts.url.trim();
  let adapter: SqliteAdapter | PostgresAdapter;
  if (/^postgres(ql)?:\/\//i.test(url)) adapter = new PostgresAdapter({ url, log: opts.log });
  else if (url.startsWith('sqlite:'))
    adapter = new SqliteAdapter({ path: url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') });
  else if (/\.(db|sqlite3?)$/i.test(url) || url === ':memory:') adapter = new SqliteAdapter({ path: url });
  else throw new Error(`unsupported store url: ${url} (use sqlite:<path>, <path>.db or postgres://…)`);
  const store = new KyselyStore(adapter, box, { log: opts.log });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
