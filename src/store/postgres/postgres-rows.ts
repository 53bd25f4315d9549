/**
 * Set-based write helpers of the PostgreSQL fast paths (postgres-receipts.ts, postgres-finalize.ts,
 * postgres-expire.ts): lock a batch of messages, insert many events or status-report outbox rows
 * with one `INSERT … SELECT FROM unnest(…)`, update many messages with one `UPDATE … FROM
 * unnest(…)`, and re-aggregate a message's state in memory.
 *
 * Why set-based: over a network connection each statement is a round trip, and a transaction
 * that writes row by row holds its row locks for all of them. One statement per table per batch
 * keeps transactions short whatever the batch size.
 *
 * Lock order: every fast path that changes a message's state locks the message rows first
 * (`lockMessages`, ascending id) and only then writes parts, so two nodes working on the same
 * messages wait for each other instead of deadlocking, and the parts they read after the lock
 * include everything committed before it (READ COMMITTED takes a new snapshot per statement).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { aggregateMessageState, isFinalState, type MessageState } from '../../domain/message-state.js';
import type { MessageEvent } from '../records.js';
import { reportDestination, statusReportPayload } from '../report-rows.js';
import type { Database } from '../schema.js';

/** The message columns a state change and its status reports need, plus the app's batch address. */
export interface LockedMessage {
  id: number;
  app_id: string;
  sms_msg_id: string;
  total: number;
  to_number: string;
  extend: string | null;
  status_callback: string | null;
  state: string;
  batch_report_url: string | null;
}

/** A part as the aggregation needs it. */
export interface PartRow {
  message_id: number;
  seq: number;
  state: string;
  status_code: string | null;
  connector_id: string | null;
  carrier_msg_id: string | null;
}

const LOCKED_COLUMNS = sql`m.id, m.app_id, m.sms_msg_id, m.total, m.to_number, m.extend, m.status_callback,
  m.state, a.batch_report_url`;

/** Locks (`FOR UPDATE`) the messages with these ids, ascending, and returns them by id. */
export function lockMessages(db: Kysely<Database>, ids: number[]): Promise<Map<number, LockedMessage>> {
  if (ids.length === 0) return Promise.resolve(new Map());
  return lockMessagesWhere(db, sql`m.id = ANY(${ids}::bigint[])`);
}

/**
 * Locks the messages matching `where` (over alias `m`), ascending id, and returns them by id.
 * `skipLocked`: leave out messages another transaction holds instead of waiting for them.
 */
export async function lockMessagesWhere(
  db: Kysely<Database>,
  where: RawBuilder<unknown>,
  skipLocked = false,
): Promise<Map<number, LockedMessage>> {
  const r = await sql<LockedMessage>`
    SELECT ${LOCKED_COLUMNS}
      FROM messages AS m LEFT JOIN apps AS a ON a.id = m.app_id
     WHERE ${where}
     ORDER BY m.id
       FOR UPDATE OF m ${skipLocked ? sql`SKIP LOCKED` : sql``}`.execute(db);
  return new Map(r.rows.map((m) => [Number(m.id), m]));
}

/** Every part of these messages, by message id, in `seq` order. */
export async function partsOf(db: Kysely<Database>, ids: number[]): Promise<Map<number, PartRow[]>> {
  const out = new Map<number, PartRow[]>();
  if (ids.length === 0) return out;
  const r = await sql<PartRow>`
    SELECT message_id, seq, state, status_code, connector_id, carrier_msg_id
      FROM message_parts WHERE message_id = ANY(${ids}::bigint[])
     ORDER BY message_id, seq`.execute(db);
  for (const p of r.rows) {
    const id = Number(p.message_id);
    const list = out.get(id) ?? [];
    list.push(p);
    out.set(id, list);
  }
  return out;
}

/** A message state change gathered in memory; written by `updateMessages`. */
export interface MessageChange {
  id: number;
  state: string;
  updatedAt: number;
  /** Final: also sets `status_code` and `final_at` (= `updatedAt`). */
  final: boolean;
  statusCode: string | null;
}

/**
 * `refreshMessageState` (message-writes.ts) on rows already in memory: the message takes the
 * aggregate of its parts; when that is final, the status code of the deciding part and
 * `final_at`. Mutates `msg.state` and records the change in `changes` (last one per message wins,
 * and a final one is always the last).
 */
export function refreshInMemory(
  msg: LockedMessage,
  parts: PartRow[],
  now: number,
  changes: Map<number, MessageChange>,
): { state: MessageState; becameFinal: boolean } {
  const current = msg.state as MessageState;
  if (isFinalState(current)) return { state: current, becameFinal: false };
  const next = aggregateMessageState(parts.map((p) => p.state as MessageState));
  if (next === current) return { state: current, becameFinal: false };
  const final = isFinalState(next);
  const decider = final ? parts.find((p) => p.state === next) : undefined;
  msg.state = next;
  changes.set(Number(msg.id), {
    id: Number(msg.id),
    state: next,
    updatedAt: now,
    final,
    statusCode: decider?.status_code ?? null,
  });
  return { state: next, becameFinal: final };
}

/** Writes gathered message changes with one `UPDATE … FROM unnest(…)`. */
export async function updateMessages(db: Kysely<Database>, changes: Iterable<MessageChange>): Promise<void> {
  const list = [...changes].sort((a, b) => a.id - b.id);
  if (list.length === 0) return;
  await sql`
    UPDATE messages AS m
       SET state = v.state, updated_at = v.at,
           status_code = CASE WHEN v.fin THEN v.sc ELSE m.status_code END,
           final_at = CASE WHEN v.fin THEN v.at ELSE m.final_at END
      FROM unnest(${list.map((c) => c.id)}::bigint[], ${list.map((c) => c.state)}::text[],
                  ${list.map((c) => c.updatedAt)}::bigint[], ${list.map((c) => c.final)}::boolean[],
                  ${list.map((c) => c.statusCode)}::text[]) AS v(id, state, at, fin, sc)
     WHERE m.id = v.id`.execute(db);
}

/** Inserts events in order with one statement (ids follow the array order). */
export async function insertEventsPg(db: Kysely<Database>, events: MessageEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    INSERT INTO events (message_id, at, kind, seq, detail)
    SELECT * FROM unnest(${events.map((e) => e.messageId)}::bigint[], ${events.map((e) => e.at)}::bigint[],
                         ${events.map((e) => e.kind)}::text[], ${events.map((e) => e.seq)}::int[],
                         ${events.map((e) => JSON.stringify(e.detail ?? {}))}::text[])`.execute(db);
}

/** One status report to write (a part of `msg`), see `insertReports` in message-writes.ts. */
export interface ReportToWrite {
  msg: LockedMessage;
  seq: number;
  status: string;
  source: '1' | '2' | '3';
  receivedAt: number | null;
  err: string | null;
  /** `due_at` and `created_at` of the outbox row. */
  at: number;
}

/**
 * Inserts the status-report outbox rows of `reports` (spec §7 destination per message; a message
 * with none gets no row) with one statement, in array order.
 */
export async function insertReportsPg(db: Kysely<Database>, reports: ReportToWrite[]): Promise<number> {
  const kind: string[] = [];
  const app: string[] = [];
  const mid: number[] = [];
  const url: string[] = [];
  const payload: string[] = [];
  const at: number[] = [];
  for (const r of reports) {
    const dest = reportDestination(r.msg.status_callback, r.msg.batch_report_url);
    if (!dest) continue;
    kind.push(dest.kind);
    app.push(r.msg.app_id);
    mid.push(Number(r.msg.id));
    url.push(dest.url);
    payload.push(
      JSON.stringify(
        statusReportPayload({
          smsMsgId: r.msg.sms_msg_id,
          total: r.msg.total,
          seq: r.seq,
          to: r.msg.to_number,
          extend: r.msg.extend,
          status: r.status,
          source: r.source,
          receivedAt: r.receivedAt,
          err: r.err,
        }),
      ),
    );
    at.push(r.at);
  }
  if (kind.length === 0) return 0;
  await sql`
    INSERT INTO outbox (kind, app_id, message_id, url, payload, state, attempts, due_at, created_at)
    SELECT v.kind, v.app, v.mid, v.url, v.payload, 'pending', 0, v.at, v.at
      FROM unnest(${kind}::text[], ${app}::text[], ${mid}::bigint[], ${url}::text[], ${payload}::text[],
                  ${at}::bigint[]) AS v(kind, app, mid, url, payload, at)`.execute(db);
  return kind.length;
}
