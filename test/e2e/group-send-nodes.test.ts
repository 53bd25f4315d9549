/**
 * Group sends on two nodes sharing one database (two apps on one store, each with its own data
 * dir and node id, as cluster nodes are): a task uploaded to one node runs there and is listed,
 * followed, cancelled, deleted and its refused numbers downloaded through the other. A node that
 * restarts marks its unfinished tasks interrupted; tasks of an earlier version (tasks.json) are
 * imported.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/build-app.js';
import { GroupSendFiles } from '../../src/api/console/group-send-files.js';
import { ADMIN_TOKEN, type ApiFixture, setupApi, testConfig } from '../api/helpers.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function api(app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: string) {
  const r = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers: payload === undefined ? auth : { ...auth, 'content-type': 'text/csv' },
    payload,
  });
  return { status: r.statusCode, body: r.body, json: () => r.json() as Record<string, unknown> };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('group sends on two nodes sharing one database', () => {
  let f: ApiFixture;
  let nodeB: FastifyInstance;
  let dataDirB: string;
  before(async () => {
    f = await setupApi({ nodeId: 'node-a' });
    const b = testConfig({ nodeId: 'node-b' });
    dataDirB = b.dataDir;
    nodeB = await buildApp({ store: f.store, config: b.config });
  });
  after(async () => {
    await nodeB?.close();
    await f?.cleanup();
    rmSync(dataDirB, { recursive: true, force: true });
  });

  it('uploaded to A, run by A; B follows it to the end and serves the refused numbers', async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) =>
      i % 100 === 7 ? `bad-${i},123456` : `+86138${String(i).padStart(8, '0')},123456`,
    );
    const up = await api(
      f.app,
      'POST',
      `/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}`,
      rows.join('\n'),
    );
    assert.equal(up.status, 201, up.body);
    const id = up.json().id as string;
    assert.equal(up.json().nodeId, 'node-a');
    assert.ok(existsSync(join(f.config.dataDir, 'group-sends', `${id}.rows`)), 'the numbers stay on A');

    const done = await until('completed, seen from B', async () => {
      const t = (await api(nodeB, 'GET', `/group-sends/${id}`)).json();
      return t.status === 'completed' && t;
    });
    assert.deepEqual([done.total, done.processed, done.accepted, done.failed], [1_200, 1_200, 1_188, 12]);
    const list = (await api(nodeB, 'GET', '/group-sends')).json() as { items: Array<{ id: string }> };
    assert.ok(list.items.some((t) => t.id === id));
    const failed = (await api(nodeB, 'GET', `/group-sends/${id}/failed.csv`)).body.trim().split('\n');
    assert.equal(failed[0], 'number,status');
    assert.equal(failed.length, 13);
    assert.ok(
      failed.slice(1).every((l) => /^bad-\d+,E200031$/.test(l)),
      failed.join(' | '),
    );

    assert.equal((await api(nodeB, 'DELETE', `/group-sends/${id}`)).status, 204);
    assert.equal((await api(f.app, 'GET', `/group-sends/${id}`)).status, 404, 'deleted for A too');
    assert.equal((await api(f.app, 'GET', `/group-sends/${id}/failed.csv`)).status, 404);
    // A removes the numbers file of a task deleted elsewhere (its periodic clean-up).
    await new GroupSendFiles(f.config.dataDir).removeOrphans(f.store);
    assert.ok(!existsSync(join(f.config.dataDir, 'group-sends', `${id}.rows`)));
  });

  it('a refused upload leaves no task behind on either node', async () => {
    const before = (await api(nodeB, 'GET', '/group-sends')).json().total as number;
    const empty = await api(
      f.app,
      'POST',
      `/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}`,
      'number,code\n',
    );
    assert.equal(empty.status, 400);
    assert.match(empty.body, /no numbers/);
    const bad = await api(
      f.app,
      'POST',
      `/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}`,
      '"unterminated\n',
    );
    assert.equal(bad.status, 400, bad.body);
    for (const node of [f.app, nodeB]) {
      const list = (await api(node, 'GET', '/group-sends')).json() as {
        total: number;
        items: Array<{ status: string }>;
      };
      assert.equal(list.total, before);
      assert.ok(list.items.every((t) => t.status !== 'uploading'));
    }
  });

  it('a scheduled task uploaded to B is cancelled through A; cancelling again is refused', async () => {
    const at = new Date(Date.now() + 60 * 60_000).toISOString();
    const up = await api(
      nodeB,
      'POST',
      `/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}&scheduleAt=${encodeURIComponent(at)}`,
      '+8613900000001,123456\n',
    );
    assert.equal(up.status, 201, up.body);
    const id = up.json().id as string;
    assert.equal(up.json().status, 'scheduled');
    const c = await api(f.app, 'POST', `/group-sends/${id}/cancel`);
    assert.equal(c.status, 200);
    assert.equal(c.json().status, 'cancelled');
    assert.equal((await api(nodeB, 'POST', `/group-sends/${id}/cancel`)).status, 409, 'cancelled already');
    assert.equal((await api(nodeB, 'GET', `/group-sends/${id}`)).json().status, 'cancelled');
  });
});

describe('group sends across restarts and versions', () => {
  it('a restarted node marks its unfinished tasks interrupted; tasks.json of an earlier version is imported', async () => {
    const f = await setupApi({ nodeId: 'node-r' });
    try {
      const now = Date.now();
      const base = {
        nodeId: 'node-r',
        name: 'was running',
        appId: f.tenant.id,
        templateId: f.verify.id,
        signatureId: null,
        signatureName: null,
        from: f.signature.channelNumber as string,
        fileName: null,
        scheduleAt: null,
        total: 10,
        processed: 5,
        accepted: 5,
        failed: 0,
        error: null,
        cancelRequested: false,
        createdBy: 'admin',
        createdAt: now,
        startedAt: now,
        finishedAt: null,
      };
      await f.store.insertGroupTask({ ...base, id: 'a'.repeat(24), status: 'running' });
      await f.store.insertGroupTask({ ...base, id: 'b'.repeat(24), status: 'running', nodeId: 'node-other' });
      // What an earlier version left in the data directory.
      const dir = join(f.config.dataDir, 'group-sends');
      mkdirSync(dir, { recursive: true });
      const legacy = { ...base, id: 'c'.repeat(24), name: 'old file', status: 'completed', failed: 1 };
      const { nodeId: _n, cancelRequested: _c, ...legacyFields } = legacy;
      writeFileSync(join(dir, 'tasks.json'), JSON.stringify({ tasks: [legacyFields] }));
      writeFileSync(join(dir, `${legacy.id}.failed.csv`), 'number,status\n"+86,1",E200031\n');

      const { config } = testConfig({ nodeId: 'node-r', dataDir: f.config.dataDir });
      const restarted = await buildApp({ store: f.store, config });
      try {
        const get = async (id: string) => (await api(restarted, 'GET', `/group-sends/${id}`)).json();
        const mine = await until('interrupted', async () => {
          const t = await get('a'.repeat(24));
          return t.status === 'interrupted' && t;
        });
        assert.match(String(mine.error), /not resumed/);
        assert.equal((await get('b'.repeat(24))).status, 'running', "another node's task is not touched");
        const imported = await until('imported', async () => {
          const t = await get(legacy.id);
          return t.status === 'completed' && t;
        });
        assert.equal(imported.name, 'old file');
        assert.equal(
          (await api(restarted, 'GET', `/group-sends/${legacy.id}/failed.csv`)).body,
          'number,status\n"+86,1",E200031\n',
        );
        assert.ok(readdirSync(dir).includes('tasks.json.imported'));
      } finally {
        await restarted.close();
      }
    } finally {
      await f.cleanup();
    }
  });
});
