/**
 * The console's state in the store: users with the last-admin guard and optimistic `ver`,
 * the sign-in failure counter and its lock, and signed-out sessions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsoleUserRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from './engines.js';

const LOCK = 60_000;
const user = (username: string, role: 'admin' | 'viewer', ver = 1): ConsoleUserRecord => ({
  username,
  role,
  hash: `hash-of-${username}`,
  ver,
  createdAt: 1_000,
  updatedAt: 1_000,
});

for (const engine of ENGINES) {
  describe(`console state (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
    });
    after(() => t.cleanup());

    it('users: insert once, read, list in name order, update only at the expected ver', async () => {
      assert.equal(await store.insertConsoleUser(user('root', 'admin')), true);
      assert.equal(await store.insertConsoleUser(user('root', 'viewer')), false, 'name taken');
      assert.equal(await store.insertConsoleUser(user('ann', 'viewer')), true);
      assert.deepEqual(await store.getConsoleUser('root'), user('root', 'admin'));
      assert.deepEqual(
        (await store.listConsoleUsers()).map((u) => u.username),
        ['ann', 'root'],
      );
      const next = { ...user('ann', 'viewer', 2), hash: 'new-hash', updatedAt: 2_000 };
      assert.equal(await store.updateConsoleUser(next, 1), 'ok');
      assert.equal(await store.updateConsoleUser({ ...next, ver: 3 }, 1), 'changed', 'stale ver');
      assert.equal(await store.updateConsoleUser(user('nobody', 'viewer', 2), 1), 'changed');
      assert.deepEqual(await store.getConsoleUser('ann'), next);
    });

    it('the last admin can be neither demoted nor deleted; with a second admin both work', async () => {
      assert.equal(await store.updateConsoleUser(user('root', 'viewer', 2), 1), 'last-admin');
      assert.equal(await store.deleteConsoleUser('root'), 'last-admin');
      assert.equal(await store.deleteConsoleUser('ghost'), 'missing');
      await store.insertConsoleUser(user('second', 'admin'));
      assert.equal(await store.updateConsoleUser(user('root', 'viewer', 2), 1), 'ok');
      assert.equal(await store.deleteConsoleUser('second'), 'last-admin', 'root is a viewer now');
      assert.equal(await store.deleteConsoleUser('ann'), 'ok');
      assert.equal(await store.getConsoleUser('ann'), undefined);
    });

    it('sign-in failures lock on the 5th within the window; a new window starts afresh once the lock ran out; clear resets', async () => {
      const k = 'root\n10.0.0.1';
      const t0 = 10_000_000;
      for (let i = 1; i <= 4; i++)
        assert.deepEqual(await store.recordLoginFailure(k, t0 + i, 5, LOCK), { failures: i, lockedUntil: 0 });
      assert.equal(await store.loginLockedUntil(k), 0);
      assert.deepEqual(await store.recordLoginFailure(k, t0 + 5, 5, LOCK), {
        failures: 5,
        lockedUntil: t0 + 5 + LOCK,
      });
      assert.equal(await store.loginLockedUntil(k), t0 + 5 + LOCK);
      assert.equal(await store.loginLockedUntil('root\n10.0.0.2'), 0, 'another address is not locked');
      // The counting window (from the first failure) ended, but the lock has not: still counted,
      // and an attempt during the lock extends it.
      const w = t0 + 1 + LOCK + 1;
      assert.deepEqual(await store.recordLoginFailure(k, w, 5, LOCK), { failures: 6, lockedUntil: w + LOCK });
      // After the lock: counting starts again from one.
      const t1 = w + LOCK + 1;
      assert.deepEqual(await store.recordLoginFailure(k, t1, 5, LOCK), { failures: 1, lockedUntil: 0 });
      for (let i = 0; i < 3; i++) await store.recordLoginFailure(k, t1 + 1, 5, LOCK);
      await store.clearLoginFailures(k);
      assert.deepEqual(await store.recordLoginFailure(k, t1 + 2, 5, LOCK), { failures: 1, lockedUntil: 0 });
    });

    it('a signed-out session stays refused until its expiry, then is forgotten', async () => {
      await store.revokeSession('nonce-1', 5_000, 1_000);
      await store.revokeSession('nonce-1', 5_000, 1_000);
      assert.equal(await store.isSessionRevoked('nonce-1'), true);
      assert.equal(await store.isSessionRevoked('nonce-2'), false);
      await store.revokeSession('nonce-2', 9_000, 6_000);
      assert.equal(await store.isSessionRevoked('nonce-1'), false, 'expired entries are purged');
      assert.equal(await store.isSessionRevoked('nonce-2'), true);
    });
  });
}
