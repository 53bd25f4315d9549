/**
 * SQLite engine: one better-sqlite3 handle shared by Kysely (`SqliteDialect`) and the prepared
 * accept path. One process writes; claims need no row locks.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { EngineAdapter, EngineCapabilities } from '../engine-adapter.js';
import type { MigrationFlavor } from '../migrations/migration-flavor.js';
import type { NewMessage, OutboxRecord } from '../records.js';
import type { Database as Schema } from '../schema.js';
import type { ClaimedMessage, ReceiptInput, ReceiptResult, SubmitOutcome } from '../store.js';
import { type AcceptWriter, createAcceptWriter } from './sqlite-accept.js';
import { createMessageClaimer, type MessageClaimer } from './sqlite-claims.js';
import { createOutboxWriter, type OutboxCompletion, type OutboxWriter } from './sqlite-outbox.js';
import { createOutcomeWriter, type OutcomeWriter } from './sqlite-outcomes.js';
import { applyPragmas, type SqliteSync, syncFromEnv } from './sqlite-pragmas.js';
import { cachedStatements } from './statement-cache.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface SqliteAdapterOptions {
  /** File path; `:memory:` works for throwaway use. Parent folders are created. */
  path: string;
  /** Default from `SWIFTLET_SQLITE_SYNC`, else NORMAL (see sqlite-pragmas.ts). */
  sync?: SqliteSync;
}

const CAPABILITIES: EngineCapabilities = Object.freeze({
  supportsSkipLocked: false,
  supportsMultipleWriters: false,
  supportsRowLocks: false,
});

/** Submit outcomes written per transaction (≈ 5 rows each, a few ms). */
const SUBMIT_CHUNK = 200;
/** Push outcomes written per transaction (≈ 2 rows each, well under a millisecond). */
const COMPLETE_CHUNK = 250;

export class SqliteAdapter implements EngineAdapter {
  readonly kind = 'sqlite' as const;
  readonly capabilities = CAPABILITIES;
  readonly flavor: MigrationFlavor = Object.freeze({ autoId: 'rowid' as const });
  readonly db: Kysely<Schema>;
  readonly #raw: Database.Database;
  #acceptWriter: AcceptWriter | null = null;
  /** Started with the first accepted batch (file databases only); see wal-checkpointer.ts. */
  #checkpointer: WalCheckpointer | null = null;
  readonly #path: string;
  readonly #sync: SqliteSync;
  #outcomeWriter: OutcomeWriter | null = null;
  #claimer: MessageClaimer | null = null;
  #outbox: OutboxWriter | null = null;

  constructor(opts: SqliteAdapterOptions) {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    this.#raw = new Database(opts.path);
    this.#path = opts.path;
    this.#sync = opts.sync ?? syncFromEnv();
    applyPragmas(this.#raw, this.#sync);
    this.db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachedStatements(this.#raw) }) });
  }

  /** The underlying handle, for tests that inspect raw columns. */
  get raw(): Database.Database {
    return this.#raw;
  }

  async writeAccepted(messages: NewMessage[]): Promise<void> {
    // Holding Kysely's single connection keeps this transaction from landing inside one that a
    // Kysely call has open on the same handle.
    await this.db.connection().execute(async () => {
      this.#acceptWriter ??= createAcceptWriter(this.#raw);
      this.#acceptWriter(messages);
      if (this.#checkpointer === null && this.#path !== ':memory:' && this.#path !== '')
        this.#checkpointer = new WalCheckpointer(this.#raw, this.#path, {
          sync: this.#sync,
          exclusive: (fn) => this.db.connection().execute(async () => fn()),
        });
    });
  }

  /**
   * Prepared-statement `recordSubmits` (see sqlite-outcomes.ts), holding Kysely's connection.
   * Written SUBMIT_CHUNK messages a transaction with a turn of the event loop between (the
   * dispatcher may hand over several hundred at once under load): each message's outcome is
   * still atomic, and if a later chunk fails its messages keep their lease and are claimed again.
   */
  async recordSubmits(outcomes: SubmitOutcome[]): Promise<void> {
    for (let i = 0; i < outcomes.length; i += SUBMIT_CHUNK) {
      if (i > 0) await new Promise<void>((r) => setImmediate(r));
      const chunk = outcomes.length <= SUBMIT_CHUNK ? outcomes : outcomes.slice(i, i + SUBMIT_CHUNK);
      await this.db.connection().execute(async () => {
        this.#outcomeWriter ??= createOutcomeWriter(this.#raw);
        this.#outcomeWriter.recordSubmits(chunk);
      });
    }
  }

  /** Prepared-statement `applyReceipts` (see sqlite-outcomes.ts), holding Kysely's connection. */
  async applyReceipts(receipts: ReceiptInput[]): Promise<ReceiptResult> {
    return this.db.connection().execute(async () => {
      this.#outcomeWriter ??= createOutcomeWriter(this.#raw);
      return this.#outcomeWriter.applyReceipts(receipts);
    });
  }

  /** Prepared-statement `claimMessages` (see sqlite-claims.ts), holding Kysely's connection. */
  async claimMessages(owner: string, limit: number, leaseMs: number, now: number): Promise<ClaimedMessage[]> {
    return this.db.connection().execute(async () => {
      this.#claimer ??= createMessageClaimer(this.#raw);
      return this.#claimer(owner, limit, leaseMs, now);
    });
  }

  /** Prepared-statement `claimOutbox` (see sqlite-outbox.ts), holding Kysely's connection. */
  async claimOutbox(owner: string, limit: number, leaseMs: number, now: number): Promise<OutboxRecord[]> {
    return this.db.connection().execute(async () => {
      this.#outbox ??= createOutboxWriter(this.#raw);
      return this.#outbox.claim(owner, limit, leaseMs, now);
    });
  }

  /**
   * Prepared-statement `completeOutbox` (see sqlite-outbox.ts). Large lists (a shutdown flush)
   * are written COMPLETE_CHUNK rows a transaction with a turn of the event loop between, so no
   * single synchronous stretch keeps API requests waiting long.
   */
  async completeOutbox(results: OutboxCompletion[]): Promise<void> {
    for (let i = 0; i < results.length; i += COMPLETE_CHUNK) {
      if (i > 0) await new Promise<void>((r) => setImmediate(r));
      const chunk = results.slice(i, i + COMPLETE_CHUNK);
      await this.db.connection().execute(async () => {
        this.#outbox ??= createOutboxWriter(this.#raw);
        this.#outbox.complete(chunk);
      });
    }
  }

  /**
   * `BEGIN IMMEDIATE` takes SQLite's write lock, so another process migrating the same file waits
   * (busy_timeout) and then sees the migrations applied. Kysely's SQLite migrator runs without a
   * transaction of its own, so this one also makes the migration atomic.
   */
  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    this.#raw.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn();
      this.#raw.exec('COMMIT');
      return out;
    } catch (err) {
      if (this.#raw.inTransaction) this.#raw.exec('ROLLBACK');
      throw err;
    }
  }

  isUniqueViolation(err: unknown): boolean {
    const code = (err as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  async close(): Promise<void> {
    await this.#checkpointer?.close();
    await this.db.destroy();
  }
}
