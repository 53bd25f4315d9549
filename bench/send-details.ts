/**
 * Send Details benchmark: seeds 1,000,000 messages into a store, then times the console's Send
 * Details queries over real HTTP (`GET /api/v1/messages?to=…`, the route the console calls).
 * Target: a recipient query answers in under 200 ms with 1,000,000 messages in the store.
 *
 * Env: ROWS (default 1000000), NUMBERS distinct recipients (default 200000), QUERIES per shape
 * (default 50), ENGINE sqlite|postgres (default sqlite). Writes bench/results/send-details.json.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/open-store.js';
import type { NewMessage } from '../src/store/records.js';
import { createTestDatabase, type Engine, TEST_SECRET_KEY } from '../test/store/engines.js';
import { newMessage, newTestApp } from '../test/store/fixtures.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const NUMBERS = Number(process.env.NUMBERS ?? 200_000);
const QUERIES = Number(process.env.QUERIES ?? 50);
const engine = (process.env.ENGINE ?? 'sqlite') as Engine;
const DAY = 86_400_000;

const number = (i: number) => `+86138${String(i).padStart(8, '0')}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-bench-details-'));
  const db = await createTestDatabase(engine);
  const store = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
  const app = await newTestApp(store, { name: 'bench' });
  const content = '【Bench】Your verification code is 123456.';
  const hash = createHash('sha256').update(content).digest('hex');
  const now = Date.now();
  const t0 = performance.now();
  const CALL = 1000;
  for (let i = 0; i < ROWS; i += CALL) {
    const batch: NewMessage[] = [];
    for (let j = i; j < Math.min(ROWS, i + CALL); j++) {
      batch.push(
        newMessage(app, {
          templateId: j % 2 ? 'a'.repeat(32) : 'b'.repeat(32),
          templateType: 'VERIFY_CODE_TYPE',
          signatureName: 'Bench',
          to: number(j % NUMBERS),
          content,
          contentHash: hash,
          // Spread over the last 7 days, newest last.
          createdAt: now - 7 * DAY + Math.floor((j / ROWS) * 7 * DAY),
        }),
      );
    }
    await store.acceptMessages(batch);
  }
  const seedSecs = (performance.now() - t0) / 1000;
  console.log(`seeded ${ROWS} messages on ${engine} in ${seedSecs.toFixed(1)} s`);

  const { config } = loadConfig({ dataDir, databaseUrl: db.url, port: 0, logLevel: 'silent' }, {});
  const http = await buildApp({ store, config });
  await http.listen({ host: '127.0.0.1', port: 0 });
  const addr = http.server.address() as { port: number };
  const base = `http://127.0.0.1:${addr.port}/api/v1/messages`;
  const headers = { authorization: `Bearer ${config.adminToken}` };

  const shapes: Record<string, (i: number) => string> = {
    'recipient (E.164)': (i) => `?to=${encodeURIComponent(number((i * 7919) % NUMBERS))}&limit=50`,
    'recipient (national, as the console accepts)': (i) =>
      `?to=138${String((i * 104729) % NUMBERS).padStart(8, '0')}&limit=50`,
    'recipient + last 24 h': (i) =>
      // The newest seventh of the rows holds recipients from the top of the range.
      `?to=${encodeURIComponent(number(NUMBERS - 1 - ((i * 31) % Math.floor(NUMBERS / 8))))}&since=${now - DAY}&until=${now + 1000}&limit=50`,
    'template + 1 h window': (i) =>
      `?templateId=${'a'.repeat(32)}&since=${now - (i + 2) * 3_600_000}&until=${now - (i + 1) * 3_600_000}&limit=50`,
    'result=sending, newest page': () => `?result=sending&limit=50`,
  };
  const results: Record<string, { p50Ms: number; p99Ms: number; maxMs: number; rows: number }> = {};
  for (const [name, q] of Object.entries(shapes)) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < QUERIES; i++) {
      const s = performance.now();
      const res = await fetch(base + q(i), { headers });
      const body = (await res.json()) as { items: unknown[] };
      times.push(performance.now() - s);
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${JSON.stringify(body)}`);
      rows += body.items.length;
    }
    times.sort((a, b) => a - b);
    results[name] = {
      p50Ms: Number(percentile(times, 50).toFixed(2)),
      p99Ms: Number(percentile(times, 99).toFixed(2)),
      maxMs: Number(times[times.length - 1].toFixed(2)),
      rows: Math.round(rows / QUERIES),
    };
    console.log(
      `${name.padEnd(46)} p50 ${results[name].p50Ms} ms  p99 ${results[name].p99Ms} ms  max ${results[name].maxMs} ms  (${results[name].rows} rows/query)`,
    );
  }
  await http.close();
  await store.close();
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
  const out = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    engine,
    rows: ROWS,
    distinctRecipients: NUMBERS,
    seedSeconds: Number(seedSecs.toFixed(1)),
    queries: results,
    targetMs: 200,
    recipientQueryMeetsTarget: results['recipient (E.164)'].maxMs < 200,
  };
  writeFileSync(
    join(import.meta.dirname, 'results', `send-details${engine === 'sqlite' ? '' : `-${engine}`}.json`),
    `${JSON.stringify(out, null, 2)}\n`,
  );
}

await main();
