/**
 * PostgreSQL fast path of `Store.recordSubmits`: the same writes as the portable version
 * (message-outcomes.ts) but set-based — one `UPDATE … FROM unnest(…)` for the parts, one for the
 * messages, one `DELETE` for the queue rows, one `INSERT` of events, then (after the commit) one
 * probe for receipts that arrived first (postgres-pending.ts) — instead of several
 * statements per message. Over a network connection the per-row version spends most of its time
 * in round trips while holding row locks; on a cluster that slows every node's flush until claim
 * leases run out and messages are claimed (and submitted) a second time.
 *
 * Rows are written in message-id order so two transactions touching the same messages lock them
 * in the same order.
 */

import { type Kysely, sql } from 'kysely';
import { FINAL_STATES } from '../../domain/message-state.js';
import { submitEvents } from '../message-outcomes.js';
import type { MessageEvent } from '../records.js';
import type { Database } from '../schema.js';
import type { SubmitOutcome } from '../store.js';
import { drainPendingPg } from './postgres-pending.js';
import { insertEventsPg } from './postgres-rows.js';

const FINAL = [...FINAL_STATES];

/** Records acknowledged submits in one transaction (see the portable `recordSubmits`). */
export async function recordSubmitsPg(db: Kysely<Database>, outcomes: SubmitOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const sorted = [...outcomes].sort((a, b) => a.messageId - b.messageId);
  const partMid: number[] = [];
  const partSeq: number[] = [];
  const partCid: string[] = [];
  const partConn: string[] = [];
  const partAt: number[] = [];
  const msgId: number[] = [];
  const msgConn: string[] = [];
  const msgAt: number[] = [];
  const events: MessageEvent[] = [];
  for (const o of sorted) {
    let last = 0;
    events.push(...submitEvents(o));
    for (const p of o.parts) {
      partMid.push(o.messageId);
      partSeq.push(p.seq);
      partCid.push(p.carrierMsgId);
      partConn.push(o.connectorId);
      partAt.push(p.submittedAt);
      last = Math.max(last, p.submittedAt);
    }
    msgId.push(o.messageId);
    msgConn.push(o.connectorId);
    msgAt.push(last);
  }

  await db.transaction().execute(async (trx) => {
    if (partMid.length > 0) {
      await sql`
        UPDATE message_parts AS p
           SET state = 'SUBMITTED', carrier_msg_id = v.cid, connector_id = v.conn, submitted_at = v.at
          FROM unnest(${partMid}::bigint[], ${partSeq}::int[], ${partCid}::text[], ${partConn}::text[], ${partAt}::bigint[])
               AS v(mid, seq, cid, conn, at)
         WHERE p.message_id = v.mid AND p.seq = v.seq AND p.state <> ALL(${FINAL}::text[])`.execute(trx);
    }
    await sql`
      UPDATE messages AS m
         SET state = 'SUBMITTED', connector_id = v.conn, updated_at = v.at
        FROM unnest(${msgId}::bigint[], ${msgConn}::text[], ${msgAt}::bigint[]) AS v(id, conn, at)
       WHERE m.id = v.id AND m.state <> ALL(${FINAL}::text[])`.execute(trx);
    await sql`DELETE FROM queue WHERE message_id = ANY(${msgId}::bigint[])`.execute(trx);
    await insertEventsPg(trx, events);
  });

  // Receipts that beat their submit_sm_resp: matched after the commit (postgres-pending.ts explains
  // why not inside the transaction).
  await drainPendingPg(db, partConn, partCid);
}
