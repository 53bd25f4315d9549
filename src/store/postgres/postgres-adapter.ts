/**
 * PostgreSQL engine: a pg pool under Kysely's `PostgresDialect`. Several nodes may write at once;
 * claims lock with `FOR UPDATE SKIP LOCKED`, token buckets with `FOR UPDATE`.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { EngineAdapter, EngineCapabilities } from '../engine-adapter.js';
import type { MigrationFlavor } from '../migrations/migration-flavor.js';
import type { NewMessage, OutboxRecord } from '../records.js';
import type { Database } from '../schema.js';
import type { ClaimedMessage, FinalOutcome, ReceiptInput, ReceiptResult, SubmitOutcome } from '../store.js';
import { writeAcceptedPg } from './postgres-accept.js';
import { claimMessagesPg } from './postgres-claims.js';
import { expirePartsPg } from './postgres-expire.js';
import { finalizeMessagesPg } from './postgres-finalize.js';
import { claimOutboxPg, completeOutboxPg, type OutboxResult } from './postgres-outbox.js';
import { recordSubmitsPg } from './postgres-outcomes.js';
import { matchParkedReceiptsPg } from './postgres-pending.js';
import { createPool, withDefaultUser } from './postgres-pool.js';
import { applyReceiptsPg } from './postgres-receipts.js';

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

  /** Set-based `applyReceipts` (postgres-receipts.ts): at most 7 statements per batch. */
  applyReceipts(receipts: ReceiptInput[]): Promise<ReceiptResult> {
    return applyReceiptsPg(this.db, receipts);
  }

  /** One-statement claim (postgres-claims.ts), then two reads in parallel. */
  claimMessages(owner: string, limit: number, leaseMs: number, now: number): Promise<ClaimedMessage[]> {
    return claimMessagesPg(this.db, owner, limit, leaseMs, now);
  }

  /** Set-based `finalizeMessages` (postgres-finalize.ts). */
  finalizeMessages(outcomes: FinalOutcome[]): Promise<void> {
    return finalizeMessagesPg(this.db, outcomes);
  }

  /** Set-based `expireParts` (postgres-expire.ts). */
  expireParts(submittedBefore: number, now: number, limit: number): Promise<number> {
    return expirePartsPg(this.db, submittedBefore, now, limit);
  }

  /** Parked receipts whose part exists now (postgres-pending.ts). */
  matchParkedReceipts(since: number, limit: number): Promise<number> {
    return matchParkedReceiptsPg(this.db, since, limit);
  }

  /** One-statement outbox claim (postgres-outbox.ts). */
  claimOutbox(owner: string, limit: number, leaseMs: number, now: number): Promise<OutboxRecord[]> {
    return claimOutboxPg(this.db, owner, limit, leaseMs, now);
  }

  /** One-statement outbox completion (postgres-outbox.ts). */
  completeOutbox(results: OutboxResult[]): Promise<void> {
    return completeOutboxPg(this.db, results);
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
