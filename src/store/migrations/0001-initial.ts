/**
 * The initial schema. Times are epoch milliseconds in BIGINT (INTEGER affinity on SQLite);
 * JSON is text on both engines (nothing queries inside it). Index choices follow the queries in
 * `kysely-store.ts`: claim by due time, receipts by (connector, carrier id), send details by
 * recipient / app / template / channel / time, outbox by state and due time.
 */
import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { MigrationFlavor } from './migration-flavor.js';

export function initialMigration(flavor: MigrationFlavor): Migration {
  // biome-ignore lint/suspicious/noExplicitAny: the schema builder is untyped during migrations.
  const withId = (t: CreateTableBuilder<any, any>) =>
    flavor.autoId === 'rowid'
      ? t.addColumn('id', 'integer', (c) => c.primaryKey())
      : t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());

  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type.
    async up(db: Kysely<any>): Promise<void> {
      const s = db.schema;
      await s
        .createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('app_key', 'text', (c) => c.notNull().unique())
        .addColumn('app_secret_enc', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('channel_number', 'text', (c) => c.unique())
        .addColumn('uplink_url', 'text')
        .addColumn('batch_report_url', 'text')
        .addColumn('ip_allow_list', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('push_signing', 'integer', (c) => c.notNull())
        .addColumn('uplink_create_time', 'integer', (c) => c.notNull())
        .addColumn('tps_limit', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await s
        .createTable('signatures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reject_reason', 'text')
        .addColumn('channel_number', 'text', (c) => c.unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('signatures_app_name').on('signatures').columns(['app_id', 'name']).execute();

      await s
        .createTable('templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('signature_id', 'text')
        .addColumn('universal', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('variable_attributes', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reject_reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('templates_app').on('templates').columns(['app_id', 'created_at']).execute();

      // Messages keep no foreign key to apps: history outlives a deleted app, and the check
      // would cost on the accept hot path.
      await withId(s.createTable('messages'))
        .addColumn('sms_msg_id', 'text', (c) => c.notNull().unique())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('template_id', 'text', (c) => c.notNull())
        .addColumn('template_type', 'text', (c) => c.notNull())
        .addColumn('signature_id', 'text')
        .addColumn('signature_name', 'text')
        .addColumn('channel_number', 'text', (c) => c.notNull())
        .addColumn('to_number', 'text', (c) => c.notNull())
        .addColumn('country_id', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('status_callback', 'text')
        .addColumn('extend', 'text')
        .addColumn('task_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status_code', 'text')
        .addColumn('connector_id', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('final_at', 'bigint')
        .execute();
      await s
        .createIndex('messages_to_created')
        .on('messages')
        .columns(['to_number', 'created_at'])
        .execute();
      await s.createIndex('messages_app_created').on('messages').columns(['app_id', 'created_at']).execute();
      await s
        .createIndex('messages_template_created')
        .on('messages')
        .columns(['template_id', 'created_at'])
        .execute();
      await s
        .createIndex('messages_channel_created')
        .on('messages')
        .columns(['channel_number', 'created_at'])
        .execute();
      await s.createIndex('messages_created').on('messages').column('created_at').execute();

      await s
        .createTable('message_parts')
        .addColumn('message_id', 'bigint', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('carrier_msg_id', 'text')
        .addColumn('connector_id', 'text')
        .addColumn('status_code', 'text')
        .addColumn('error_code', 'text')
        .addColumn('submitted_at', 'bigint')
        .addColumn('receipt_at', 'bigint')
        .addPrimaryKeyConstraint('message_parts_pk', ['message_id', 'seq'])
        .execute();
      await s
        .createIndex('message_parts_carrier')
        .on('message_parts')
        .columns(['connector_id', 'carrier_msg_id'])
        .execute();
      // Only parts waiting for a receipt are in this index, so the expiry sweep stays cheap.
      await s
        .createIndex('message_parts_submitted')
        .on('message_parts')
        .column('submitted_at')
        .where(sql.ref('state'), '=', 'SUBMITTED')
        .execute();

      await s
        .createTable('queue')
        .addColumn('message_id', 'bigint', (c) => c.primaryKey())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .execute();
      await s.createIndex('queue_due').on('queue').column('due_at').execute();

      await withId(s.createTable('events'))
        .addColumn('message_id', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('events_message').on('events').column('message_id').execute();

      await withId(s.createTable('outbox'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'bigint')
        .addColumn('mo_id', 'bigint')
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_attempt_at', 'bigint')
        .addColumn('last_http_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .execute();
      await s.createIndex('outbox_state_due').on('outbox').columns(['state', 'due_at']).execute();
      await s.createIndex('outbox_message').on('outbox').column('message_id').execute();

      await withId(s.createTable('push_attempts'))
        .addColumn('outbox_id', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
      await s.createIndex('push_attempts_outbox').on('push_attempts').column('outbox_id').execute();

      await withId(s.createTable('pending_receipts'))
        .addColumn('connector_id', 'text', (c) => c.notNull())
        .addColumn('carrier_msg_id', 'text', (c) => c.notNull())
        .addColumn('stat', 'text', (c) => c.notNull())
        .addColumn('err', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .execute();
      await s
        .createIndex('pending_receipts_carrier')
        .on('pending_receipts')
        .columns(['connector_id', 'carrier_msg_id'])
        .execute();
      await s.createIndex('pending_receipts_received').on('pending_receipts').column('received_at').execute();

      await withId(s.createTable('mo'))
        .addColumn('sms_msg_id', 'text', (c) => c.notNull().unique())
        .addColumn('app_id', 'text')
        .addColumn('from_number', 'text', (c) => c.notNull())
        .addColumn('to_number', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('connector_id', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('mo_app_received').on('mo').columns(['app_id', 'received_at']).execute();
      await s.createIndex('mo_received').on('mo').column('received_at').execute();

      await withId(s.createTable('blocks'))
        .addColumn('app_id', 'text')
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('blocks_number').on('blocks').columns(['number', 'app_id']).execute();

      for (const table of ['connectors', 'routes'] as const) {
        let t = s
          .createTable(table)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull());
        if (table === 'routes') t = t.addColumn('priority', 'integer', (c) => c.notNull());
        await t
          .addColumn('config', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      }

      await s
        .createTable('leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();

      await s
        .createTable('token_buckets')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('tokens', 'double precision', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
