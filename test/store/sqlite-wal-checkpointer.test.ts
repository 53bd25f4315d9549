import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cachedStatements } from '../../src/store/sqlite/statement-cache.js';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';

describe('WalCheckpointer', () => {
  it('keeps the WAL bounded under continuous writes and hands checkpoints back on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swiftlet-wal-'));
    const path = join(dir, 'w.db');
    try {
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
      const cp = new WalCheckpointer(db, path, {
        intervalMs: 5,
        maxWalFrames: 200,
        exclusive: async (fn) => fn(),
      });
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
      const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
      const batch = db.transaction((n: number) => {
        for (let i = 0; i < n; i++) ins.run('x'.repeat(400));
      });
      await cp.ready;
      // ~24 MB of rows written in small transactions with the event loop turning in between.
      let rows = 0;
      while (rows < 60_000) {
        batch(200);
        rows += 200;
        await new Promise((r) => (rows % 4000 === 0 ? setTimeout(r, 5) : setImmediate(r)));
      }
      const walBytes = statSync(`${path}-wal`).size;
      assert.ok(walBytes < 16 * 1024 * 1024, `WAL grew to ${walBytes} bytes after ${rows} rows`);
      await cp.close();
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, rows);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cachedStatements', () => {
  it('reuses statements, re-prepares a busy one, and survives schema changes', () => {
    const db = new Database(':memory:');
    const c = cachedStatements(db, 2);
    c.prepare('CREATE TABLE a (x INTEGER)').run();
    c.prepare('INSERT INTO a VALUES (1), (2)').run();
    const s1 = c.prepare('SELECT x FROM a ORDER BY x');
    assert.equal(c.prepare('SELECT x FROM a ORDER BY x'), s1);
    const it1 = s1.iterate();
    it1.next();
    const s2 = c.prepare('SELECT x FROM a ORDER BY x');
    assert.notEqual(s2, s1);
    assert.deepEqual(s2.all(), [{ x: 1 }, { x: 2 }]);
    it1.return?.();
    db.exec('ALTER TABLE a ADD COLUMN y INTEGER DEFAULT 7');
    assert.deepEqual(c.prepare('SELECT * FROM a ORDER BY x').all(), [
      { x: 1, y: 7 },
      { x: 2, y: 7 },
    ]);
    c.close();
    assert.equal(db.open, false);
  });
});
