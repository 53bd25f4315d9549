/**
 * PostgreSQL engine: a pg pool under Kysely's `PostgresDialect`. Several nodes may write at once;
 * claims lock with `FOR UPDATE SKIP LOCKED`, token buckets with `FOR UPDATE`.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { EngineAdapter, EngineCapabilities } from '../engine-adapter.js';
import type { MigrationFlavor } from '../migrations/migration-flavor.js';
import type { NewMessage } from '../records.js';
import type { Database } from '../schema.js';
import type { SubmitOutcome } from '../store.js';
import { writeAcceptedPg } from './postgres-accept.js';
import { recordSubmitsPg } from './postgres-outcomes.js';
import { createPool, withDefaultUser } from './postgres-pool.js';

export interface PostgresAdapterOptions {
  url: string;
  /** Pool size (default 10). */
  poolSize?: number;
  log?: (msg: string) => void;
}

const CAPABILITIES: EngineCapabilities = Object.freeze({
  supportsSkipLocked: true,
  supportsMultipleWriters: true,
  supportsRowLocks: true,
});

/** Advisory-lock key held around migrations (any constant; this one spells "swiftlet"). */
const MIGRATION_LOCK_KEY = 0x7377_6966_746c_6574n & 0x7fff_ffff_ffff_ffffn;

export class PostgresAdapter implements EngineAdapter {
  readonly kind = 'postgres' as const;
  readonly capabilities = CAPABILITIES;
  readonly flavor: MigrationFlavor = Object.freeze({ autoId: 'identity' as const });
  readonly db: Kysely<Database>;
  readonly #url: string;

  constructor(opts: PostgresAdapterOptions) {
    this.#url = opts.url;
    this.db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: createPool(opts.url, opts.poolSize, opts.log) }),
    });
  }

  writeAccepted(messages: NewMessage[]): Promise<void> {
    return writeAcceptedPg(this.db, messages);
  }

  /** Set-based `recordSubmits` (postgres-outcomes.ts): a few statements per batch, not per row. */
  recordSubmits(outcomes: SubmitOutcome[]): Promise<void> {
    return recordSubmitsPg(this.db, outcomes);
  }

  /**
   * Holds a session advisory lock on a dedicated connection while `fn` runs. Kysely's migrator
   * also takes an advisory lock, but only after creating its bookkeeping tables with
   * `CREATE TABLE IF NOT EXISTS`, which two nodes starting together can race on; this lock covers
   * that step too.
   */
  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: withDefaultUser(this.#url) });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
      }
    } finally {
      await client.end();
    }
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: unknown } | null)?.code === '23505';
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
