import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, ENGINES, TEST_SECRET_KEY } from './engines.js';
import { newMessage, newTestApp } from './fixtures.js';

for (const engine of ENGINES) {
  describe(`migrations (${engine})`, () => {
    it('migrating twice is a no-op and reports status', async () => {
      const db = await createTestDatabase(engine);
      try {
        const s1 = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
        const app = await newTestApp(s1);
        await s1.migrate();
        assert.deepEqual(await s1.migrationStatus(), { applied: 1, known: 1 });
        await s1.close();
        const s2 = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
        assert.equal((await s2.getApp(app.id))?.appSecret, app.appSecret);
        await s2.ping();
        await s2.close();
      } finally {
        await db.drop();
      }
    });
  });
}

if (ENGINES.includes('postgres')) {
  describe('several PostgreSQL nodes', () => {
    it('two openStore calls at once both migrate safely', async () => {
      const db = await createTestDatabase('postgres');
      try {
        const stores = await Promise.all(
          [1, 2, 3].map(() => openStore({ url: db.url, secretKey: TEST_SECRET_KEY })),
        );
        for (const s of stores) assert.deepEqual(await s.migrationStatus(), { applied: 1, known: 1 });
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await db.drop();
      }
    });

    it('concurrent claims from two store instances never return the same message', async () => {
      const db = await createTestDatabase('postgres');
      const a = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
      const b = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
      try {
        const app = await newTestApp(a);
        const msgs = Array.from({ length: 300 }, () => newMessage(app));
        await a.acceptMessages(msgs);
        const seen = new Map<number, string>();
        const now = Date.now() + 1;
        const worker = async (name: string, s: typeof a) => {
          for (;;) {
            const got = await s.claimMessages(name, 7, 60_000, now);
            if (got.length === 0) return;
            for (const c of got) {
              assert.equal(seen.has(c.message.id), false, `message ${c.message.id} claimed twice`);
              seen.set(c.message.id, name);
            }
          }
        };
        await Promise.all([worker('a1', a), worker('a2', a), worker('b1', b), worker('b2', b)]);
        assert.equal(seen.size, 300);
        assert.ok(new Set(seen.values()).size >= 2);
      } finally {
        await a.close();
        await b.close();
        await db.drop();
      }
    });

    it('the shared token bucket never grants more than its burst across nodes', async () => {
      const db = await createTestDatabase('postgres');
      const a = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
      const b = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
      try {
        const grants = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).takeTokens('shared', 10, 1, 5_000)),
        );
        assert.equal(
          grants.reduce((x, y) => x + y, 0),
          10,
        );
      } finally {
        await a.close();
        await b.close();
        await db.drop();
      }
    });
  });
}
