/**
 * Small write helpers shared by the message flow, all meant to run inside the caller's
 * transaction: events, status-report outbox rows, and re-aggregating a message from its parts.
 */
import type { Kysely, Selectable } from 'kysely';
import { aggregateMessageState, isFinalState, type MessageState } from '../domain/message-state.js';
import type { MessageEvent } from './records.js';
import { reportDestination, statusReportPayload } from './report-rows.js';
import type { Database, MessagesTable } from './schema.js';

/** Rows per multi-row INSERT; keeps parameter counts far below PostgreSQL's 65,535. */
export const INSERT_CHUNK = 500;

export async function insertEvents(db: Kysely<Database>, events: MessageEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const chunk = events.slice(i, i + INSERT_CHUNK);
    await db
      .insertInto('events')
      .values(
        chunk.map((e) => ({
          message_id: e.messageId,
          at: e.at,
          kind: e.kind,
          seq: e.seq,
          detail: JSON.stringify(e.detail ?? {}),
        })),
      )
      .execute();
  }
}

export interface ReportPart {
  seq: number;
  status: string;
  source: '1' | '2' | '3';
  /** Carrier receipt time; null when the platform made the report. */
  receivedAt: number | null;
  err: string | null;
}

/** Caches each app's batch address for the length of one transaction. */
export type BatchUrlCache = Map<string, string | null>;

async function batchUrlOf(db: Kysely<Database>, appId: string, cache: BatchUrlCache): Promise<string | null> {
  if (cache.has(appId)) return cache.get(appId) ?? null;
  const r = await db.selectFrom('apps').select('batch_report_url').where('id', '=', appId).executeTakeFirst();
  const url = r?.batch_report_url ?? null;
  cache.set(appId, url);
  return url;
}

/** Writes one status-report outbox row per part, to the destination spec §7 picks (or none). */
export async function insertReports(
  db: Kysely<Database>,
  msg: Selectable<MessagesTable>,
  parts: ReportPart[],
  now: number,
  cache: BatchUrlCache,
): Promise<number> {
  const dest = reportDestination(msg.status_callback, await batchUrlOf(db, msg.app_id, cache));
  if (!dest || parts.length === 0) return 0;
  await db
    .insertInto('outbox')
    .values(
      parts.map((p) => ({
        kind: dest.kind,
        app_id: msg.app_id,
        message_id: msg.id,
        mo_id: null,
        url: dest.url,
        payload: JSON.stringify(
          statusReportPayload({
            smsMsgId: msg.sms_msg_id,
            total: msg.total,
            seq: p.seq,
            to: msg.to_number,
            extend: msg.extend,
            status: p.status,
            source: p.source,
            receivedAt: p.receivedAt,
            err: p.err,
          }),
        ),
        ...newOutboxState(now),
      })),
    )
    .execute();
  return parts.length;
}

/** The columns of an outbox row not yet tried: pending, due at `now`, no attempts, no lease. */
export function newOutboxState(now: number) {
  return {
    state: 'pending',
    attempts: 0,
    due_at: now,
    created_at: now,
    last_attempt_at: null,
    last_http_status: null,
    last_error: null,
    lease_owner: null,
    lease_until: null,
  } as const;
}

/**
 * Recomputes a message's state from its parts (`aggregateMessageState`). When it becomes final,
 * the message takes the status code of the part that decided it (the worst part; DELIVRD when all
 * delivered) and `final_at`. A final message never changes again.
 */
export async function refreshMessageState(
  db: Kysely<Database>,
  messageId: number,
  now: number,
): Promise<{ state: MessageState; becameFinal: boolean } | undefined> {
  const msg = await db
    .selectFrom('messages')
    .select(['state'])
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!msg) return undefined;
  const current = msg.state as MessageState;
  if (isFinalState(current)) return { state: current, becameFinal: false };
  const parts = await db
    .selectFrom('message_parts')
    .select(['seq', 'state', 'status_code'])
    .where('message_id', '=', messageId)
    .orderBy('seq')
    .execute();
  const next = aggregateMessageState(parts.map((p) => p.state as MessageState));
  if (next === current) return { state: current, becameFinal: false };
  const final = isFinalState(next);
  const decider = parts.find((p) => p.state === next);
  await db
    .updateTable('messages')
    .set({
      state: next,
      updated_at: now,
      ...(final ? { status_code: decider?.status_code ?? null, final_at: now } : {}),
    })
    .where('id', '=', messageId)
    .execute();
  return { state: next, becameFinal: final };
}
