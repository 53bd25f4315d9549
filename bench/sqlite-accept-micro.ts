/**
 * Micro benchmark of the raw SQLite accept writer (no group committer, no event loop): writes
 * MESSAGES messages in transactions of BATCH and prints messages/s. Used to compare id shapes
 * (ID=uuid|ordered) and checkpoint settings (CKPT=auto|off) on the accept hot path.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/open-store.js';
import type { NewMessage } from '../src/store/records.js';
import { createAcceptWriter } from '../src/store/sqlite/sqlite-accept.js';
import { newMessage } from '../test/store/fixtures.js';

const MESSAGES = Number(process.env.MESSAGES ?? 200_000);
const BATCH = Number(process.env.BATCH ?? 1000);
const ID = process.env.ID ?? 'uuid';
const CKPT = process.env.CKPT ?? 'auto';

const dir = mkdtempSync(join(tmpdir(), 'swiftlet-sqlite-micro-'));
const path = join(dir, 'x.db');
const store = await openStore({ url: path, secretKey: Buffer.alloc(32, 1) });
await store.close();
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -65536');
if (CKPT === 'off') db.pragma('wal_autocheckpoint = 0');
const write = createAcceptWriter(db);
const content = '【Demo】Your verification code is 123456. It expires in 5 minutes.';
const hash = createHash('sha256').update(content).digest('hex');
let seq = 0;
const id = (): string => {
  seq++;
  if (ID === 'uuid') return `${randomUUID()}_${seq}`;
  const t = Date.now().toString(16).padStart(12, '0');
  const u = randomUUID();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}${u.slice(13)}_${seq}`;
};
const t0 = performance.now();
let commitMs = 0;
for (let i = 0; i < MESSAGES; i += BATCH) {
  const batch: NewMessage[] = [];
  for (let j = 0; j < BATCH; j++)
    batch.push(
      newMessage(
        { id: 'a'.repeat(32) },
        {
          smsMsgId: id(),
          templateId: 'f'.repeat(32),
          templateType: 'VERIFY_CODE_TYPE',
          signatureId: 's'.repeat(32),
          to: `+86138${String(i + j).padStart(8, '0')}`,
          content,
          contentHash: hash,
        },
      ),
    );
  const c0 = performance.now();
  write(batch);
  commitMs += performance.now() - c0;
}
const secs = (performance.now() - t0) / 1000;
console.log(
  `ID=${ID} CKPT=${CKPT} BATCH=${BATCH}: ${Math.round(MESSAGES / secs)} msg/s (write ${Math.round(commitMs)} ms of ${Math.round(secs * 1000)} ms)`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
