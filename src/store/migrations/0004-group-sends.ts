/**
 * Group-send tasks in the database (they were a per-node file), so that every node of a cluster
 * lists them, shows their progress, cancels and deletes them. The uploaded numbers stay a file on
 * the node that received the upload (`node_id`), which is the node that runs the task; refused
 * numbers go to `group_send_failures` so any node can serve the download.
 */
import type { Kysely, Migration } from 'kysely';

export function groupSendsMigration(): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('group_send_tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('node_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('template_id', 'text', (c) => c.notNull())
        .addColumn('signature_id', 'text')
        .addColumn('signature_name', 'text')
        .addColumn('from_number', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('schedule_at', 'bigint')
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('processed', 'integer', (c) => c.notNull())
        .addColumn('accepted', 'integer', (c) => c.notNull())
        .addColumn('failed', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('cancel_requested', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('group_send_tasks_created')
        .on('group_send_tasks')
        .column('created_at')
        .execute();
      await db.schema
        .createIndex('group_send_tasks_node_status')
        .on('group_send_tasks')
        .columns(['node_id', 'status'])
        .execute();
      await db.schema
        .createTable('group_send_failures')
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('group_send_failures_pk', ['task_id', 'seq'])
        .execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up().
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('group_send_failures').execute();
      await db.schema.dropTable('group_send_tasks').execute();
    },
  };
}
