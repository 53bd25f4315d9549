/**
 * Micro benchmark: `Store.acceptMessages` throughput, 100-message calls, several in flight (the
 * group committer gathers them). Prints messages/s per engine and writes
 * bench/results/store-accept.json.
 *
 * Env: SAMPLES (default 3), MESSAGES per sample (default 20000), CONCURRENCY calls in flight
 * (default 8), ENGINES (default "sqlite,postgres"), PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { openStore } from '../src/store/open-store.js';
import type { NewMessage } from '../src/store/records.js';
import { createTestDatabase, type Engine, TEST_SECRET_KEY } from '../test/store/engines.js';
import { newMessage, newTestApp } from '../test/store/fixtures.js';

const SAMPLES = Number(process.env.SAMPLES ?? 3);
const MESSAGES = Number(process.env.MESSAGES ?? 20_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const CALL = 100;
const engines = (process.env.ENGINES ?? 'sqlite,postgres').split(',') as Engine[];

function makeMessages(appId: string, n: number): NewMessage[] {
  const content = '【Demo】Your verification code is 123456. It expires in 5 minutes.';
  const hash = createHash('sha256').update(content).digest('hex');
  return Array.from({ length: n }, (_, i) =>
    newMessage(
      { id: appId },
      {
        templateId: 'f'.repeat(32),
        templateType: 'VERIFY_CODE_TYPE',
        to: `+86138${String(i % 100_000_000).padStart(8, '0')}`,
        content,
        contentHash: hash,
        statusCallback: 'http://127.0.0.1:9/report',
      },
    ),
  );
}

async function runEngine(engine: Engine) {
  const db = await createTestDatabase(engine);
  const store = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
  const rates: number[] = [];
  try {
    const app = await newTestApp(store, { name: 'bench' });
    for (let s = 0; s < SAMPLES; s++) {
      const msgs = makeMessages(app.id, MESSAGES);
      const calls: NewMessage[][] = [];
      for (let i = 0; i < msgs.length; i += CALL) calls.push(msgs.slice(i, i + CALL));
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < calls.length) await store.acceptMessages(calls[next++]);
        }),
      );
      const secs = (performance.now() - t0) / 1000;
      rates.push(MESSAGES / secs);
    }
  } finally {
    await store.close();
    await db.drop();
  }
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const sd = Math.sqrt(rates.reduce((a, b) => a + (b - mean) ** 2, 0) / rates.length);
  return {
    engine,
    samples: rates.map(Math.round),
    messagesPerSec: Math.round(mean),
    tolerancePct: Number(((sd / mean) * 100).toFixed(1)),
  };
}

const results = [];
for (const e of engines) {
  const r = await runEngine(e);
  results.push(r);
  console.log(
    `${e.padEnd(9)} ${String(r.messagesPerSec).padStart(8)} messages/s ±${r.tolerancePct}%  samples ${r.samples.join(', ')}`,
  );
}
const out = {
  benchmark: 'store-accept',
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  params: {
    samples: SAMPLES,
    messagesPerSample: MESSAGES,
    messagesPerCall: CALL,
    concurrency: CONCURRENCY,
    partsPerMessage: 1,
  },
  results,
  at: new Date().toISOString(),
};
writeFileSync(new URL('./results/store-accept.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log(`node ${process.version}, ${out.cpus} cpus; written bench/results/store-accept.json`);
