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
import type { Database } from '../schema.js';
import type { ReceiptInput } from '../store.js';
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
    const taken = await sql<{
      id: number;
      connector_id: string;
      carrier_msg_id: string;
      stat: string;
      err: string | null;
      received_at: number;
      raw: string;
    }>`
      DELETE FROM pending_receipts AS r
       USING unnest(${conns}::text[], ${cids}::text[]) AS v(conn, cid)
       WHERE r.connector_id = v.conn AND r.carrier_msg_id = v.cid
         AND EXISTS (SELECT 1 FROM message_parts AS p
                      WHERE p.connector_id = r.connector_id AND p.carrier_msg_id = r.carrier_msg_id)
      RETURNING r.*`.execute(trx);
    if (taken.rows.length === 0) return 0;
    const receipts: ReceiptInput[] = taken.rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((e) => ({
        connectorId: e.connector_id,
        carrierMsgId: e.carrier_msg_id,
        stat: e.stat,
        err: e.err,
        receivedAt: Number(e.received_at),
        raw: e.raw,
      }));
    await applyReceiptsPgTx(trx, receipts, false);
    return receipts.length;
  });
}
