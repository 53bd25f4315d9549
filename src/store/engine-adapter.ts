/**
 * What an engine folder (`sqlite/`, `postgres/`) gives the dialect-neutral store: a Kysely
 * instance, capability flags, the accept hot path, and a migration lock. Everything else in the
 * store is written once against Kysely and asks these flags, never the engine's name.
 */
import type { Kysely } from 'kysely';
import type { MigrationFlavor } from './migrations/migration-flavor.js';
import type { NewMessage, OutboxRecord } from './records.js';
import type { Database } from './schema.js';
import type {
  ClaimedMessage,
  FinalOutcome,
  ReceiptInput,
  ReceiptResult,
  Store,
  StoreCapabilities,
  SubmitOutcome,
} from './store.js';

export interface EngineCapabilities extends StoreCapabilities {
  /** `SELECT … FOR UPDATE` locks rows until commit (PostgreSQL). SQLite has one writer, so no. */
  readonly supportsRowLocks: boolean;
}

export interface EngineAdapter {
  readonly kind: 'sqlite' | 'postgres';
  readonly capabilities: EngineCapabilities;
  readonly db: Kysely<Database>;
  readonly flavor: MigrationFlavor;
  /**
   * Writes messages, parts (QUEUED), queue rows (due at `createdAt`) and `accepted` events in ONE
   * transaction. Called by the group committer with every call gathered in one window.
   */
  writeAccepted(messages: NewMessage[]): Promise<void>;
  /**
   * Optional engine-specific fast paths of `Store.recordSubmits` / `Store.applyReceipts` (same
   * semantics, one transaction each). Absent → the Kysely versions run.
   */
  recordSubmits?(outcomes: SubmitOutcome[]): Promise<void>;
  applyReceipts?(receipts: ReceiptInput[]): Promise<ReceiptResult>;
  /**
   * Optional set-based fast paths of the other hot writes and claims (same semantics as the
   * portable versions; PostgreSQL implements them to avoid one round trip per row). Absent → the
   * Kysely versions run.
   */
  claimMessages?(owner: string, limit: number, leaseMs: number, now: number): Promise<ClaimedMessage[]>;
  finalizeMessages?(outcomes: FinalOutcome[]): Promise<void>;
  expireParts?(submittedBefore: number, now: number, limit: number): Promise<number>;
  matchParkedReceipts?(since: number, limit: number): Promise<number>;
  claimOutbox?(owner: string, limit: number, leaseMs: number, now: number): Promise<OutboxRecord[]>;
  completeOutbox?(results: Parameters<Store['completeOutbox']>[0]): Promise<void>;
  /** Runs `fn` holding a lock no other process can hold at the same time (migrations). */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  /** True when `err` is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  close(): Promise<void>;
}
