/**
 * A prepared-statement cache in front of a better-sqlite3 handle, in the shape Kysely's
 * `SqliteDialect` expects (`prepare` + `close`).
 *
 * Kysely's SQLite driver calls `db.prepare(sql)` for every query it runs; compiling the SQL again
 * each time was the largest single cost of the engine's store calls (claims, submit outcomes,
 * receipts) and of the per-request lookups of the send API. Statements are keyed by their SQL
 * text and kept in least-recently-used order, at most `max` of them (default 512: queries with
 * `IN (?, ?, …)` lists make one text per list length). A statement that is still being iterated
 * (`busy`, a streamed select) is never handed out twice: a fresh one is prepared instead.
 * SQLite re-prepares a cached statement by itself when the schema changes under it.
 */
import type BetterSqlite3 from 'better-sqlite3';

export interface CachedSqliteDatabase {
  prepare(sql: string): BetterSqlite3.Statement;
  close(): void;
}

/** Default bound on cached statements. */
export const STATEMENT_CACHE_SIZE = 512;

export function cachedStatements(
  db: BetterSqlite3.Database,
  max = STATEMENT_CACHE_SIZE,
): CachedSqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): BetterSqlite3.Statement {
      const hit = cache.get(sql);
      if (hit !== undefined) {
        if (hit.busy) return db.prepare(sql);
        // Refresh recency: Map iteration order is insertion order, so the first key is the oldest.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
    close(): void {
      cache.clear();
      db.close();
    },
  };
}
