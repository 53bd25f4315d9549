/**
 * The SQLite hot path of `claimMessages`: prepared better-sqlite3 statements, the id lists passed
 * as one JSON array (`json_each`) so every claim size uses the same compiled statement.
 *
 * Semantics are those of `message-claims.ts` (which PostgreSQL keeps using): up to `limit` queue
 * rows due and not leased (or whose lease ran out), oldest due first, leased to `owner`;
 * ACCEPTED messages become QUEUED; the claimed messages are returned in id order with their
 * parts and the app's batch address. Must run while holding Kysely's connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { toMessage, toPart } from '../row-mappers.js';
import type { ClaimedMessage } from '../store.js';

export type MessageClaimer = (owner: string, limit: number, leaseMs: number, now: number) => ClaimedMessage[];

type MessageRow = Parameters<typeof toMessage>[0] & { batch_report_url: string | null };
type PartRow = Parameters<typeof toPart>[0];

export function createMessageClaimer(db: BetterSqlite3.Database): MessageClaimer {
  const claim = db
    .prepare(
      `UPDATE queue SET lease_owner = ?, lease_until = ?
        WHERE message_id IN (SELECT message_id FROM queue
                              WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                              ORDER BY due_at LIMIT ?)
        RETURNING message_id`,
    )
    .raw();
  const toQueued = db.prepare(
    `UPDATE messages SET state = 'QUEUED', updated_at = ?
      WHERE id IN (SELECT value FROM json_each(?)) AND state = 'ACCEPTED'`,
  );
  const readMessages = db.prepare(
    `SELECT messages.*, apps.batch_report_url FROM messages LEFT JOIN apps ON apps.id = messages.app_id
      WHERE messages.id IN (SELECT value FROM json_each(?))`,
  );
  const readParts = db.prepare(
    'SELECT * FROM message_parts WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, seq',
  );

  const claimTx = db.transaction((owner: string, limit: number, leaseMs: number, now: number) => {
    const claimed = claim.all(owner, now + leaseMs, now, now, limit) as Array<[number]>;
    if (claimed.length === 0) return null;
    // The batch is the `limit` oldest-due rows; within it, id (= accept) order, as the portable
    // and PostgreSQL versions return it (RETURNING order itself is unspecified).
    claimed.sort((a, b) => a[0] - b[0]);
    const ids = claimed.map((c) => Number(c[0]));
    const json = JSON.stringify(ids);
    toQueued.run(now, json);
    return {
      ids,
      msgs: readMessages.all(json) as MessageRow[],
      parts: readParts.all(json) as PartRow[],
    };
  });

  return (owner, limit, leaseMs, now) => {
    if (limit <= 0) return [];
    const r = claimTx.immediate(owner, limit, leaseMs, now);
    if (!r) return [];
    const partsBy = new Map<number, ReturnType<typeof toPart>[]>();
    for (const p of r.parts) {
      const id = Number(p.message_id);
      const list = partsBy.get(id);
      if (list) list.push(toPart(p));
      else partsBy.set(id, [toPart(p)]);
    }
    const byId = new Map(r.msgs.map((m) => [Number(m.id), m]));
    const out: ClaimedMessage[] = [];
    for (const id of r.ids) {
      const m = byId.get(id);
      if (!m) continue;
      out.push({
        message: toMessage(m),
        parts: partsBy.get(id) ?? [],
        appBatchReportUrl: m.batch_report_url ?? null,
      });
    }
    return out;
  };
}
