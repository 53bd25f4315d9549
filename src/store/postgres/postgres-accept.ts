/**
 * The PostgreSQL accept path: one transaction of multi-row INSERTs (messages with RETURNING id,
 * then parts, queue rows and `accepted` events), chunked to stay under the parameter limit.
 */
import type { Kysely } from 'kysely';
import { INSERT_CHUNK } from '../message-writes.js';
import type { NewMessage } from '../records.js';
import type { Database } from '../schema.js';

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

export async function writeAcceptedPg(db: Kysely<Database>, messages: NewMessage[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>();
    await insertChunked(messages, async (chunk) => {
      const rows = await trx
        .insertInto('messages')
        .values(
          chunk.map((m) => ({
            sms_msg_id: m.smsMsgId,
            app_id: m.appId,
            template_id: m.templateId,
            template_type: m.templateType,
            signature_id: m.signatureId,
            signature_name: m.signatureName,
            channel_number: m.channelNumber,
            to_number: m.to,
            country_id: m.countryId,
            content: m.content,
            content_hash: m.contentHash,
            encoding: m.encoding,
            total: m.total,
            status_callback: m.statusCallback,
            extend: m.extend,
            task_id: m.taskId,
            created_at: m.createdAt,
            state: 'ACCEPTED',
            status_code: null,
            connector_id: null,
            attempts: 0,
            updated_at: m.createdAt,
            final_at: null,
          })),
        )
        .returning(['id', 'sms_msg_id'])
        .execute();
      for (const r of rows) ids.set(r.sms_msg_id, Number(r.id));
    });
    const parts: Array<{ message_id: number; seq: number; state: string }> = [];
    const queue: Array<{ message_id: number; due_at: number }> = [];
    const events: Array<{ message_id: number; at: number; kind: string; seq: null; detail: string }> = [];
    for (const m of messages) {
      const id = ids.get(m.smsMsgId) as number;
      for (let seq = 1; seq <= m.total; seq++) parts.push({ message_id: id, seq, state: 'QUEUED' });
      queue.push({ message_id: id, due_at: m.createdAt });
      events.push({
        message_id: id,
        at: m.createdAt,
        kind: 'accepted',
        seq: null,
        detail: `{"total":${m.total}}`,
      });
    }
    await insertChunked(parts, (c) => trx.insertInto('message_parts').values(c).execute());
    await insertChunked(queue, (c) => trx.insertInto('queue').values(c).execute());
    await insertChunked(events, (c) => trx.insertInto('events').values(c).execute());
  });
}
