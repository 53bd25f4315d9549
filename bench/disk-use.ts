/**
 * Disk use per message: MESSAGES single-part messages go through the whole life in a fresh
 * SQLite store (accept with a statusCallback → claim → submit recorded → DELIVRD receipt →
 * status report pushed), then the database file (after a WAL checkpoint) is divided by the count.
 * Then everything is purged by retention and the same number again is written, to show the file
 * reuses freed pages instead of growing. Prints the figures and writes bench/results/disk-use.json.
 *
 * Env: MESSAGES (default 50000).
 */
import { statSync, writeFileSync } from 'node:fs';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { createTestDatabase, TEST_SECRET_KEY } from '../test/store/engines.js';
import { newMessage, newTestApp } from '../test/store/fixtures.js';

const MESSAGES = Number(process.env.MESSAGES ?? 50_000);
const BATCH = 500;
const CONTENT = '【Demo】Your verification code is 123456. It expires in 5 minutes.';

async function lifecycle(store: Store, appId: string, createdAt: number, from: number): Promise<void> {
  for (let i = 0; i < MESSAGES; i += BATCH) {
    const msgs = Array.from({ length: BATCH }, (_, k) =>
      newMessage(
        { id: appId },
        {
          to: `+86138${String(from + i + k).padStart(8, '0')}`,
          content: CONTENT,
          statusCallback: 'http://127.0.0.1:9/report',
          createdAt,
        },
      ),
    );
    await store.acceptMessages(msgs);
    const claimed = await store.claimMessages('bench', BATCH, 60_000, Date.now() + 1);
    const now = Date.now();
    await store.recordSubmits(
      claimed.map((c) => ({
        messageId: c.message.id,
        connectorId: 'sim',
        parts: [{ seq: 1, carrierMsgId: `c${c.message.id}`, submittedAt: now }],
      })),
    );
    await store.applyReceipts(
      claimed.map((c) => ({
        connectorId: 'sim',
        carrierMsgId: `c${c.message.id}`,
        stat: 'DELIVRD',
        err: '000',
        receivedAt: now,
        raw: `id:c${c.message.id} sub:001 dlvrd:001 submit date:2611241200 done date:2611241200 stat:DELIVRD err:000 text:`,
      })),
    );
    const pushes = await store.claimOutbox('bench', BATCH, 60_000, now + 1);
    await store.completeOutbox(
      pushes.map((p) => ({
        id: p.id,
        attempt: { outboxId: p.id, at: now, httpStatus: 200, latencyMs: 2, error: null },
        outcome: 'delivered' as const,
      })),
    );
  }
}

const db = await createTestDatabase('sqlite');
const file = db.url.slice('sqlite:'.length);
const open = () => openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
// Closing the last connection checkpoints the WAL into the main file, so its size is the data's.
const sizeAfterClose = async (store: Store) => {
  await store.close();
  return statSync(file).size;
};
try {
  let store = await open();
  const app = await newTestApp(store, { name: 'bench' });
  const empty = await sizeAfterClose(store);
  store = await open();
  await lifecycle(store, app.id, Date.now() - 400 * 24 * 3_600_000, 0);
  const full = await sizeAfterClose(store);
  store = await open();
  let purged = 0;
  for (;;) {
    const r = await store.purgeHistory(Date.now() - 90 * 24 * 3_600_000, 2_000);
    purged += r.messages;
    if (r.messages + r.pushes + r.mos === 0) break;
  }
  await lifecycle(store, app.id, Date.now(), MESSAGES);
  const again = await sizeAfterClose(store);
  const result = {
    messages: MESSAGES,
    bytesPerMessage: Math.round((full - empty) / MESSAGES),
    fileAfterFirstRunMiB: +(full / 2 ** 20).toFixed(1),
    purged,
    fileAfterPurgeAndSecondRunMiB: +(again / 2 ** 20).toFixed(1),
    growthAfterPurgePercent: +(((again - full) / full) * 100).toFixed(1),
    node: process.version,
    at: new Date().toISOString(),
  };
  console.log(
    `disk use (SQLite): ${result.bytesPerMessage} bytes per message with its part, timeline and delivered report; ` +
      `${result.fileAfterFirstRunMiB} MiB for ${MESSAGES}; after retention removed ${purged} and ${MESSAGES} new ones were written: ` +
      `${result.fileAfterPurgeAndSecondRunMiB} MiB (${result.growthAfterPurgePercent} %)`,
  );
  writeFileSync(new URL('./results/disk-use.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await db.drop();
}
