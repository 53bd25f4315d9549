/**
 * The pg pool for PostgreSQL stores. BIGINT (int8) columns come back as JS numbers instead of
 * strings: every BIGINT here is an epoch-millisecond time, an id or a count, all far below 2^53.
 */
import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Fills in a user (`PGUSER`, else `postgres`) when the URL has none, as on a trust-auth local server. */
export function withDefaultUser(url: string): string {
  const u = new URL(url);
  if (!u.username) u.username = process.env.PGUSER || 'postgres';
  return u.toString();
}

/**
 * An idle pooled connection that the server closes (restart, `pg_terminate_backend`, a dropped
 * database) emits `error` on the pool; without a listener that would crash the process. The pool
 * discards the connection and opens a new one on demand, so logging is enough.
 */
export function createPool(url: string, max = 10, log: (msg: string) => void = () => {}): pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's CustomTypesConfig typing is narrower than its runtime contract.
  const pool = new pg.Pool({ connectionString: withDefaultUser(url), max, types: types as any });
  pool.on('error', (err) => log(`postgres idle connection closed: ${err.message}`));
  return pool;
}
