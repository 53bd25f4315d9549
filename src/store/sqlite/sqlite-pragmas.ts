/**
 * Connection settings for the embedded SQLite database.
 *
 * - `journal_mode=WAL`: readers never block the writer, and a commit is one append to the WAL.
 * - `synchronous=NORMAL` (default): in WAL mode the WAL is not fsynced on every commit, only at
 *   checkpoints. A committed transaction survives a crash of the *process* (the data is in the OS
 *   page cache and reaches the file), which is the failure the durability rule is about; only an
 *   OS crash or power loss can lose the last few transactions. `SWIFTLET_SQLITE_SYNC=FULL` fsyncs
 *   every commit for hosts where that matters, at a cost in accept throughput.
 * - `busy_timeout=5000`: another process holding the write lock (a CLI command, a backup) is
 *   waited for instead of failing at once.
 * - `foreign_keys=ON`: signatures and templates go away with their app.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type SqliteSync = 'NORMAL' | 'FULL';

/** `SWIFTLET_SQLITE_SYNC` if it names a level, else NORMAL. */
export function syncFromEnv(env: NodeJS.ProcessEnv = process.env): SqliteSync {
  return env.SWIFTLET_SQLITE_SYNC?.toUpperCase() === 'FULL' ? 'FULL' : 'NORMAL';
}

export function applyPragmas(db: BetterSqlite3.Database, sync: SqliteSync): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Keep temp b-trees (sorts, IN lists) in memory and give the page cache 64 MiB.
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
}
