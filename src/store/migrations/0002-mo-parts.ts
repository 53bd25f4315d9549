/**
 * Parts of concatenated MO messages, held in the database (not in memory) from the moment each
 * part is acknowledged: a crash between two parts must not lose the message. `units` are the
 * part's payload units before decoding, hex-encoded (text on both engines), because a UCS-2
 * surrogate pair or a GSM-7 escape may be split across parts and only decodes once joined.
 * `consumed_at` marks parts already turned into an MO; they are kept for the reassembly timeout
 * so that a redelivered part is recognised as a duplicate, then purged.
 */
import type { Kysely, Migration } from 'kysely';

export function moPartsMigration(): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('mo_parts')
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('alphabet', 'text', (c) => c.notNull())
        .addColumn('units', 'text', (c) => c.notNull())
        .addColumn('from_number', 'text', (c) => c.notNull())
        .addColumn('to_number', 'text', (c) => c.notNull())
        .addColumn('connector_id', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('consumed_at', 'bigint')
        .addPrimaryKeyConstraint('mo_parts_pk', ['group_key', 'seq'])
        .execute();
      await db.schema.createIndex('mo_parts_received').on('mo_parts').column('received_at').execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up().
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('mo_parts').execute();
    },
  };
}
