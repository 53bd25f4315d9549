import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Migrator } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/migration-list.js';
import { openStore } from '../../src/store/open-store.js';
import { PostgresAdapter } from '../../src/store/postgres/postgres-adapter.js';
import { SqliteAdapter } from '../../src/store/sqlite/sqlite-adapter.js';
import { createTestDatabase, ENGINES, TEST_SECRET_KEY } from './engines.js';
import { newMessage, newTestApp } from './fixtures.js';

/** Every migration the code knows, by name, in order. */
const MIGRATIONS = ['0001-initial', '0002-mo-parts', '0003-console-state', '0004-group-sends'];
const CURRENT = { applied: MIGRATIONS.length, known: MIGRATIONS.length };

for (const engine of ENGINES) {
  describe(`migrations (${engine})`, () => {
    it('migrating twice is a no-op and reports status', async () => {
      const db = await createTestDatabase(engine);
      try {
        const s1 = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
        const app = await newTestApp(s1);
        await s1.migrate();
        assert.deepEqual(await s1.migrationStatus(), CURRENT);
        await s1.close();
        const s2 = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
        assert.equal((await s2.getApp(app.id))?.appSecret, app.appSecret);
        await s2.ping();
        await s2.close();
      } finally {
        await db.drop();
      }
    });

    it('a database left at 0001 by the first release is upgraded in place, its data kept', async () => {
      const db = await createTestDatabase(engine);
      try {
        const adapter = db.url.startsWith('sqlite:')
          ? new SqliteAdapter({ path: db.url.slice('sqlite:'.length) })
          : new PostgresAdapter({ url: db.url });
        const migrator = new Migrator({ db: adapter.db, provider: migrationProvider(adapter.flavor) });
        assert.deepEqual(
          (await migrator.getMigrations()).map((m) => m.name),
          MIGRATIONS,
        );
        const first = await migrator.migrateTo('0001-initial');
        assert.equal(first.error, undefined);
        await adapter.db
          .insertInto('mo')
          .values({
            sms_msg_id: 'old-mo',
            app_id: null,
            from_number: '+8613700000001',
            to_number: '1069',
            body: 'kept',
            connector_id: null,
            received_at: 1,
          })
          .execute();
        await adapter.close();

        const s = await openStore({ url: db.url, secretKey: TEST_SECRET_KEY });
        try {
          assert.deepEqual(await s.migrationStatus(), CURRENT);
          assert.deepEqual(
            (await s.listMo({}, { limit: 5 })).items.map((m) => m.body),
            ['kept'],
          );
          const r = await s.addMoPart(
            {
              groupKey: 'g',
              seq: 1,
              total: 2,
              alphabet: 'ASCII',
              units: Buffer.from('hi'),
              from: '+1',
              to: '2',
              connectorId: null,
              receivedAt: 2,
            },
            () => 'mo-id',
            (_a, units) => Buffer.concat(units).toString(),
          );
          assert.deepEqual(r, { status: 'pending', received: 1, total: 2 });
        } finally {
          await s.close();
        }
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
        for (const s of stores) assert.deepEqual(await s.migrationStatus(), CURRENT);
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
