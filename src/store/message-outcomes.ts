/**
 * What happens to a claimed message: the SMSC acknowledged it (`recordSubmits`), the platform
 * decided a final outcome (`finalizeMessages`), or no receipt came in time (`expireParts`). Each
 * call is one transaction holding the state change, its events and its outbox rows.
 */
import { FINAL_STATES, type MessageState } from '../domain/message-state.js';
import { type BatchUrlCache, insertEvents, insertReports, refreshMessageState } from './message-writes.js';
import { applyReceiptsTx, PENDING_RECEIPT_TTL_MS, parkedToReceipts } from './receipt-apply.js';
import type { MessageEvent } from './records.js';
import type { FinalOutcome, ReceiptInput, SubmitOutcome } from './store.js';
import type { StoreContext } from './store-context.js';

const FINAL = [...FINAL_STATES];

export async function recordSubmits(ctx: StoreContext, outcomes: SubmitOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    const events: MessageEvent[] = [];
    for (const o of outcomes) {
      let last = 0;
      events.push(...submitEvents(o));
      for (const p of o.parts) {
        await trx
          .updateTable('message_parts')
          .set({
            state: 'SUBMITTED',
            carrier_msg_id: p.carrierMsgId,
            connector_id: o.connectorId,
            submitted_at: p.submittedAt,
          })
          .where('message_id', '=', o.messageId)
          .where('seq', '=', p.seq)
          .where('state', 'not in', FINAL)
          .execute();
        last = Math.max(last, p.submittedAt);
      }
      await trx
        .updateTable('messages')
        .set({ state: 'SUBMITTED', connector_id: o.connectorId, updated_at: last })
        .where('id', '=', o.messageId)
        .where('state', 'not in', FINAL)
        .execute();
      await trx.deleteFrom('queue').where('message_id', '=', o.messageId).execute();
    }
    await insertEvents(trx, events);

    // Receipts that beat their submit_sm_resp: match them now, as applyReceipts would have.
    const cache: BatchUrlCache = new Map();
    for (const o of outcomes) {
      const ids = o.parts.map((p) => p.carrierMsgId);
      if (ids.length === 0) continue;
      const early = await trx
        .selectFrom('pending_receipts')
        .selectAll()
        .where('connector_id', '=', o.connectorId)
        .where('carrier_msg_id', 'in', ids)
        .orderBy('id')
        .execute();
      if (early.length === 0) continue;
      await applyReceiptsTx(trx, parkedToReceipts(early), false, cache);
      await trx
        .deleteFrom('pending_receipts')
        .where(
          'id',
          'in',
          early.map((e) => e.id),
        )
        .execute();
    }
  });
}

export async function finalizeMessages(ctx: StoreContext, outcomes: FinalOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const now = Date.now();
  await ctx.db.transaction().execute(async (trx) => {
    const cache: BatchUrlCache = new Map();
    for (const o of outcomes) {
      const msg = await trx
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', o.messageId)
        .executeTakeFirst();
      if (!msg || FINAL_STATES.has(msg.state as MessageState)) continue;
      await trx
        .updateTable('message_parts')
        .set({ state: o.state, status_code: o.statusCode })
        .where('message_id', '=', o.messageId)
        .where('state', 'not in', FINAL)
        .execute();
      const updated = await trx
        .updateTable('messages')
        .set({ state: o.state, status_code: o.statusCode, updated_at: now, final_at: now })
        .where('id', '=', o.messageId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.deleteFrom('queue').where('message_id', '=', o.messageId).execute();
      await insertEvents(trx, [
        { messageId: o.messageId, at: now, kind: o.eventKind, seq: null, detail: o.detail },
        {
          messageId: o.messageId,
          at: now,
          kind: 'final',
          seq: null,
          detail: { state: o.state, statusCode: o.statusCode },
        },
      ]);
      const parts = Array.from({ length: updated.total }, (_, i) => ({
        seq: i + 1,
        status: o.statusCode,
        source: o.source,
        receivedAt: null,
        err: null,
      }));
      await insertReports(trx, updated, parts, now, cache);
    }
  });
}

export async function expireParts(
  ctx: StoreContext,
  submittedBefore: number,
  now: number,
  limit: number,
): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('message_parts')
      .select(['message_id', 'seq'])
      .where('state', '=', 'SUBMITTED')
      .where('submitted_at', '<', submittedBefore)
      .orderBy('submitted_at')
      .limit(limit)
      .$if(ctx.adapter.capabilities.supportsSkipLocked, (q) => q.forUpdate().skipLocked())
      .execute();
    const cache: BatchUrlCache = new Map();
    const touched = new Set<number>();
    for (const p of due) {
      const messageId = Number(p.message_id);
      await trx
        .updateTable('message_parts')
        .set({ state: 'EXPIRED', status_code: 'EXPIRED' })
        .where('message_id', '=', p.message_id)
        .where('seq', '=', p.seq)
        .execute();
      await insertEvents(trx, [
        { messageId, at: now, kind: 'expired', seq: p.seq, detail: { submittedBefore } },
      ]);
      const msg = await trx
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', messageId)
        .executeTakeFirstOrThrow();
      await insertReports(
        trx,
        msg,
        [{ seq: p.seq, status: 'EXPIRED', source: '1', receivedAt: null, err: null }],
        now,
        cache,
      );
      touched.add(messageId);
    }
    for (const id of touched) {
      const agg = await refreshMessageState(trx, id, now);
      if (agg?.becameFinal) {
        await insertEvents(trx, [
          { messageId: id, at: now, kind: 'final', seq: null, detail: { state: agg.state } },
        ]);
      }
    }
    // Receipts that never found their submit are kept one day, then dropped.
    await trx
      .deleteFrom('pending_receipts')
      .where('received_at', '<', now - PENDING_RECEIPT_TTL_MS)
      .execute();
    return due.length;
  });
}

export async function appendEvents(ctx: StoreContext, events: MessageEvent[]): Promise<void> {
  if (events.length > 0) await insertEvents(ctx.db, events);
}

/**
 * The timeline events of one acknowledged submit, the same on every engine: `routed` (route and
 * connector, when the dispatcher said which route) and one `submitted` per part with its carrier id.
 */
export function submitEvents(o: SubmitOutcome): MessageEvent[] {
  const events: MessageEvent[] = [];
  if (o.routed)
    events.push({
      messageId: o.messageId,
      at: o.routed.at,
      kind: 'routed',
      seq: null,
      detail: { route: o.routed.route, connectorId: o.connectorId },
    });
  for (const p of o.parts)
    events.push({
      messageId: o.messageId,
      at: p.submittedAt,
      kind: 'submitted',
      seq: p.seq,
      detail: { carrierMsgId: p.carrierMsgId, connectorId: o.connectorId },
    });
  return events;
}
