/**
 * Console sign-in on two nodes (two apps built on one store, each with its own data dir, as
 * cluster nodes are): users, sessions, sign-outs and the lock-out counter are the same on both.
 * Also: a `console-users.json` left by an earlier version is imported on first start.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/build-app.js';
import { hashPassword } from '../../src/api/console/password-hash.js';
import { type ApiFixture, setupApi, testConfig } from '../api/helpers.js';
import { createTestStore } from '../store/engines.js';

const ADMIN_PASSWORD = 'cluster-console-pass-1';

async function login(app: FastifyInstance, username: string, password: string) {
  const r = await app.inject({ method: 'POST', url: '/console/api/login', payload: { username, password } });
  const cookie = ([] as string[])
    .concat(r.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: r.statusCode, cookie, csrf: (r.json() as { csrfToken?: string }).csrfToken ?? '' };
}

/** Creates a console user through `app`, signed in as the admin. */
async function createUser(
  app: FastifyInstance,
  username: string,
  password: string,
  role: 'admin' | 'viewer',
) {
  const admin = await login(app, 'admin', ADMIN_PASSWORD);
  return app.inject({
    method: 'POST',
    url: '/console/api/users',
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    payload: { username, password, role },
  });
}

const appsWith = async (app: FastifyInstance, cookie: string) =>
  (await app.inject({ method: 'GET', url: '/api/v1/apps', headers: { cookie } })).statusCode;

describe('console on two nodes sharing one database', () => {
  let f: ApiFixture;
  let nodeB: FastifyInstance;
  let dataDirB: string;
  before(async () => {
    process.env.SWIFTLET_ADMIN_PASSWORD = ADMIN_PASSWORD;
    f = await setupApi();
    const b = testConfig();
    dataDirB = b.dataDir;
    nodeB = await buildApp({ store: f.store, config: b.config });
  });
  after(async () => {
    delete process.env.SWIFTLET_ADMIN_PASSWORD;
    await nodeB?.close();
    await f?.cleanup();
    rmSync(dataDirB, { recursive: true, force: true });
  });

  it('a user created on one node signs in on the other; a session works on both', async () => {
    const admin = await login(f.app, 'admin', ADMIN_PASSWORD);
    assert.equal(admin.status, 200);
    assert.equal((await createUser(f.app, 'olga', 'olga-pass-123', 'viewer')).statusCode, 201);
    const olga = await login(nodeB, 'olga', 'olga-pass-123');
    assert.equal(olga.status, 200);
    assert.equal(await appsWith(f.app, olga.cookie), 200);
    assert.equal(await appsWith(nodeB, admin.cookie), 200);
    const list = await nodeB.inject({
      method: 'GET',
      url: '/console/api/users',
      headers: { cookie: admin.cookie },
    });
    assert.deepEqual(
      (list.json() as { items: Array<{ username: string }> }).items.map((u) => u.username),
      ['admin', 'olga'],
    );
  });

  it('signing out on one node ends the session on every node', async () => {
    const s = await login(f.app, 'admin', ADMIN_PASSWORD);
    const other = await login(f.app, 'admin', ADMIN_PASSWORD);
    assert.equal(await appsWith(nodeB, s.cookie), 200);
    const out = await nodeB.inject({
      method: 'POST',
      url: '/console/api/logout',
      headers: { cookie: s.cookie },
    });
    assert.equal(out.statusCode, 204);
    assert.equal(await appsWith(f.app, s.cookie), 401, 'the signed-out cookie, replayed on node A');
    assert.equal(await appsWith(nodeB, s.cookie), 401);
    assert.equal(
      (await f.app.inject({ method: 'GET', url: '/console/api/me', headers: { cookie: s.cookie } }))
        .statusCode,
      401,
    );
    assert.equal(await appsWith(f.app, other.cookie), 200, 'another session of the same user stays');
  });

  it('parallel sign-ins cannot slip past the lock-out: at most 5 passwords are checked', async () => {
    assert.equal((await createUser(f.app, 'target', 'target-pass-1', 'viewer')).statusCode, 201);
    // Twenty sign-ins at once, half through each node, all with the right password: each one that
    // is checked succeeds, so the successes count the checks. Only the first five may be checked.
    const nodes = [f.app, nodeB];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(nodes[i % 2], 'target', 'target-pass-1')),
    );
    const statuses = results.map((r) => r.status);
    const checked = statuses.filter((s) => s === 200).length;
    assert.ok(checked >= 1 && checked <= 5, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 20 - checked);
    // A success clears the count: signing in works again afterwards.
    assert.equal((await login(nodeB, 'target', 'target-pass-1')).status, 200);
  });

  it('a user deleted and created again under the same name does not get the old sessions back', async () => {
    const admin = await login(f.app, 'admin', ADMIN_PASSWORD);
    const h = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const mk = () => createUser(f.app, 'temp', 'temp-pass-123', 'admin');
    assert.equal((await mk()).statusCode, 201);
    const old = await login(nodeB, 'temp', 'temp-pass-123');
    assert.equal(await appsWith(f.app, old.cookie), 200);
    const del = await nodeB.inject({ method: 'DELETE', url: '/console/api/users/temp', headers: h });
    assert.equal(del.statusCode, 204);
    assert.equal((await mk()).statusCode, 201);
    assert.equal(await appsWith(f.app, old.cookie), 401, "the deleted user's cookie stays refused");
    assert.equal(await appsWith(nodeB, old.cookie), 401);
  });

  it('sign-in failures count across nodes: 3 on one and 2 on the other lock the user out of both', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await login(f.app, 'olga', 'wrong-password')).status, 401);
    assert.equal((await login(nodeB, 'olga', 'wrong-password')).status, 401);
    assert.equal((await login(nodeB, 'olga', 'wrong-password')).status, 429, 'the 5th failure locks');
    assert.equal((await login(f.app, 'olga', 'olga-pass-123')).status, 429, 'locked on the other node too');
    assert.equal((await login(nodeB, 'olga', 'olga-pass-123')).status, 429);
    assert.equal((await login(nodeB, 'admin', ADMIN_PASSWORD)).status, 200, 'other users are not locked');
  });
});

describe('console users of an earlier version', () => {
  it('console-users.json is imported on first start: its users sign in, no admin password is generated', async () => {
    const t = await createTestStore();
    const { config, dataDir } = testConfig();
    const now = new Date().toISOString();
    writeFileSync(
      join(dataDir, 'console-users.json'),
      JSON.stringify({
        users: [
          {
            username: 'admin',
            role: 'admin',
            hash: await hashPassword('legacy-admin-1'),
            ver: 3,
            createdAt: now,
            updatedAt: now,
          },
          {
            username: 'view',
            role: 'viewer',
            hash: await hashPassword('legacy-view-1'),
            ver: 1,
            createdAt: now,
            updatedAt: now,
          },
        ],
      }),
    );
    const printed: string[] = [];
    const app = await buildApp({ store: t.store, config, print: (s: string) => printed.push(s) });
    try {
      assert.equal((await login(app, 'admin', 'legacy-admin-1')).status, 200);
      assert.equal((await login(app, 'view', 'legacy-view-1')).status, 200);
      assert.deepEqual(
        (await t.store.listConsoleUsers()).map((u) => [u.username, u.ver]),
        [
          ['admin', 3],
          ['view', 1],
        ],
      );
      assert.ok(!printed.some((s) => s.includes('password')), 'no generated password');
    } finally {
      await app.close();
      await t.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
