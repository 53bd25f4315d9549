/**
 * Receipts that beat their submit_sm_resp (`pending_receipts`) on PostgreSQL, where a receipt
 * batch and a submit batch can commit concurrently (SQLite has one writer, so there this cannot
 * happen): the receipt transaction finds no SUBMITTED part (the submit is not committed yet) and
 * parks the receipt, while the submit transaction looks for parked receipts before the receipt's
 * insert is committed. Each misses the other and the receipt would wait forever.
 *
 * The fix needs no lock: BOTH sides drain AFTER their own commit — `recordSubmits` for its
 * carrier ids, `applyReceipts` for the receipts it parked. Whichever of the two commits last
 * sees the other's committed rows. Draining deletes the parked rows (`DELETE … RETURNING`, only
 * those whose part now exists) and applies them in the same transaction, so when both sides
 * drain at once the row lock lets one win and the other finds nothing.
 */
import { type Kysely, sql } from 'kysely';
import { type ParkedReceiptRow, parkedToReceipts } from '../receipt-apply.js';
import type { Database } from '../schema.js';
import { applyReceiptsPgTx } from './postgres-receipts.js';

/**
 * Applies (and deletes) the parked receipts for these (connector, carrier id) pairs whose part
 * exists now. One cheap probe when there are none; returns how many were applied.
 */
export async function drainPendingPg(db: Kysely<Database>, conns: string[], cids: string[]): Promise<number> {
  if (conns.length === 0) return 0;
  const probe = await sql`
    SELECT 1 FROM pending_receipts AS r
      JOIN unnest(${conns}::text[], ${cids}::text[]) AS v(conn, cid)
        ON r.connector_id = v.conn AND r.carrier_msg_id = v.cid
     WHERE EXISTS (SELECT 1 FROM message_parts AS p
                    WHERE p.connector_id = r.connector_id AND p.carrier_msg_id = r.carrier_msg_id)
     LIMIT 1`.execute(db);
  if (probe.rows.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const taken = await sql<ParkedReceiptRow>`
      DELETE FROM pending_receipts AS r
       USING unnest(${conns}::text[], ${cids}::text[]) AS v(conn, cid)
       WHERE r.connector_id = v.conn AND r.carrier_msg_id = v.cid
         AND EXISTS (SELECT 1 FROM message_parts AS p
                      WHERE p.connector_id = r.connector_id AND p.carrier_msg_id = r.carrier_msg_id)
      RETURNING r.*`.execute(trx);
    if (taken.rows.length === 0) return 0;
    await applyReceiptsPgTx(trx, parkedToReceipts(taken.rows), false);
    return taken.rows.length;
  });
}

/**
 * The safety net of the drain-after-commit rule: a node can die between committing its submits
 * and draining, after the receipt's node already drained and found nothing — the receipt would
 * stay parked. The expiry sweep (every node, every few seconds) calls this: up to `limit` parked
 * receipts whose part exists now are taken (`FOR UPDATE SKIP LOCKED`, so sweeping nodes never
 * wait on each other or on a drain) and applied in the same transaction.
 */
export function matchParkedReceiptsPg(db: Kysely<Database>, since: number, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const taken = await sql<ParkedReceiptRow>`
      DELETE FROM pending_receipts AS r
       WHERE r.id IN (SELECT q.id FROM pending_receipts AS q
                       WHERE q.received_at >= ${since}
                         AND EXISTS (SELECT 1 FROM message_parts AS p
                                      WHERE p.connector_id = q.connector_id AND p.carrier_msg_id = q.carrier_msg_id)
                       ORDER BY q.id LIMIT ${limit}
                       FOR UPDATE SKIP LOCKED)
      RETURNING r.*`.execute(trx);
    if (taken.rows.length === 0) return 0;
    await applyReceiptsPgTx(trx, parkedToReceipts(taken.rows), false);
    return taken.rows.length;
  });
}
