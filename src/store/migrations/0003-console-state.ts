/**
 * The console's own state in the database, so every node of a cluster sees the same users,
 * sign-outs and lock-outs (before this, users lived in `<dataDir>/console-users.json` and the
 * lock-out counter in memory — per node). `console_users` is imported from that file once, when
 * the table is empty (`ConsoleUsers.init`).
 */
import type { Kysely, Migration } from 'kysely';

export function consoleStateMigration(): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('console_users')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('ver', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // Sign-in failures per (user, client address): the lock-out counter.
      await db.schema
        .createTable('console_login_failures')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull())
        .execute();
      // Signed-out sessions (by nonce) until the moment their cookie would have expired anyway.
      await db.schema
        .createTable('console_revoked_sessions')
        .addColumn('nonce', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('console_revoked_sessions_expires')
        .on('console_revoked_sessions')
        .column('expires_at')
        .execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up().
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('console_revoked_sessions').execute();
      await db.schema.dropTable('console_login_failures').execute();
      await db.schema.dropTable('console_users').execute();
    },
  };
}
