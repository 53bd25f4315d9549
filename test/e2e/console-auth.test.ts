/**
 * Console auth and group sending at the HTTP level (app.inject on the real app and a real SQLite
 * store): sessions, CSRF, viewer read-only, revocation by password change, bearer token, and a
 * group-send upload with a header, quotes, params and refused numbers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN_TOKEN, type ApiFixture, setupApi } from '../api/helpers.js';

let f: ApiFixture;
const ADMIN_PASSWORD = 'auth-test-password-1';

before(async () => {
  process.env.SWIFTLET_ADMIN_PASSWORD = ADMIN_PASSWORD;
  f = await setupApi();
});
after(async () => {
  delete process.env.SWIFTLET_ADMIN_PASSWORD;
  await f.cleanup();
});

async function login(username: string, password: string) {
  const r = await f.app.inject({
    method: 'POST',
    url: '/console/api/login',
    payload: { username, password },
  });
  const cookies = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
  return {
    status: r.statusCode,
    body: r.json() as { csrfToken: string; user: { role: string } },
    cookie,
    raw: cookies,
  };
}

test('login sets an HTTP-only SameSite=Strict session cookie and a readable csrf cookie', async () => {
  const s = await login('admin', ADMIN_PASSWORD);
  assert.equal(s.status, 200);
  assert.equal(s.body.user.role, 'admin');
  const sid = s.raw.find((c) => c.startsWith('sid='));
  const csrf = s.raw.find((c) => c.startsWith('csrf='));
  assert.match(sid ?? '', /HttpOnly/);
  assert.match(sid ?? '', /SameSite=Strict/);
  assert.doesNotMatch(csrf ?? '', /HttpOnly/);
  assert.equal(csrf?.split(';')[0].slice(5), s.body.csrfToken);
  const me = await f.app.inject({ method: 'GET', url: '/console/api/me', headers: { cookie: s.cookie } });
  assert.equal(me.statusCode, 200);
  assert.equal((await login('admin', 'wrong-password')).status, 401);
});

test('management API: session reads; writes need the CSRF token; bearer works; nothing → 401', async () => {
  const s = await login('admin', ADMIN_PASSWORD);
  assert.equal(
    (await f.app.inject({ method: 'GET', url: '/api/v1/apps', headers: { cookie: s.cookie } })).statusCode,
    200,
  );
  const noCsrf = await f.app.inject({
    method: 'POST',
    url: '/api/v1/apps',
    headers: { cookie: s.cookie },
    payload: { name: 'x1' },
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(noCsrf.json().error.code, 'csrf');
  const wrong = await f.app.inject({
    method: 'POST',
    url: '/api/v1/apps',
    headers: { cookie: s.cookie, 'x-csrf-token': 'nope' },
    payload: { name: 'x1' },
  });
  assert.equal(wrong.statusCode, 403);
  const ok = await f.app.inject({
    method: 'POST',
    url: '/api/v1/apps',
    headers: { cookie: s.cookie, 'x-csrf-token': s.body.csrfToken },
    payload: { name: 'x1' },
  });
  assert.equal(ok.statusCode, 201);
  assert.equal(
    (
      await f.app.inject({
        method: 'GET',
        url: '/api/v1/apps',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).statusCode,
    200,
  );
  assert.equal(
    (
      await f.app.inject({
        method: 'GET',
        url: '/api/v1/apps',
        headers: { authorization: 'Bearer wrong', cookie: s.cookie },
      })
    ).statusCode,
    401,
  );
  assert.equal((await f.app.inject({ method: 'GET', url: '/api/v1/apps' })).statusCode, 401);
  // Change the signature's first character (to one it is not: a fixed 'A' matched 1 time in 64).
  const tampered = s.cookie.replace(
    /sid=([^.]+)\.(\S)/,
    (_m, body: string, c: string) => `sid=${body}.${c === 'A' ? 'B' : 'A'}`,
  );
  assert.notEqual(tampered, s.cookie);
  assert.equal(
    (await f.app.inject({ method: 'GET', url: '/api/v1/apps', headers: { cookie: tampered } })).statusCode,
    401,
  );
});

test('viewers only read; a password change revokes their sessions', async () => {
  const admin = await login('admin', ADMIN_PASSWORD);
  const h = { cookie: admin.cookie, 'x-csrf-token': admin.body.csrfToken };
  const created = await f.app.inject({
    method: 'POST',
    url: '/console/api/users',
    headers: h,
    payload: { username: 'vera', password: 'viewer-pass-1', role: 'viewer' },
  });
  assert.equal(created.statusCode, 201);
  const v = await login('vera', 'viewer-pass-1');
  assert.equal(v.status, 200);
  assert.equal(
    (await f.app.inject({ method: 'GET', url: '/api/v1/apps', headers: { cookie: v.cookie } })).statusCode,
    200,
  );
  const write = await f.app.inject({
    method: 'POST',
    url: '/api/v1/blocklist',
    headers: { cookie: v.cookie, 'x-csrf-token': v.body.csrfToken },
    payload: { number: '+8613800000001' },
  });
  assert.equal(write.statusCode, 403);
  assert.equal(write.json().error.code, 'FORBIDDEN');
  assert.equal(
    (await f.app.inject({ method: 'GET', url: '/console/api/users', headers: { cookie: v.cookie } }))
      .statusCode,
    403,
  );
  const changed = await f.app.inject({
    method: 'PATCH',
    url: '/console/api/users/vera',
    headers: h,
    payload: { password: 'viewer-pass-2' },
  });
  assert.equal(changed.statusCode, 200);
  assert.equal(
    (await f.app.inject({ method: 'GET', url: '/api/v1/apps', headers: { cookie: v.cookie } })).statusCode,
    401,
  );
  const lastAdmin = await f.app.inject({ method: 'DELETE', url: '/console/api/users/admin', headers: h });
  assert.equal(lastAdmin.statusCode, 409);
});

test('group send: streamed CSV with header, quotes and params; refused numbers downloadable', async () => {
  const csv =
    'number,code\r\n+8613800000011,123456\r\n"+8613800000012","654321"\r\nnot-a-number,111111\r\n+8613800000013,abc\r\n+8613800000011,123456\r\n';
  const up = await f.app.inject({
    method: 'POST',
    url: `/api/v1/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}&name=t1`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    payload: csv,
  });
  assert.equal(up.statusCode, 201, up.body);
  const id = up.json().id as string;
  assert.equal(up.json().total, 5);
  let task: { status: string; accepted: number; failed: number; progress: number } | undefined;
  for (let i = 0; i < 100; i++) {
    task = (
      await f.app.inject({
        method: 'GET',
        url: `/api/v1/group-sends/${id}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json();
    if (task?.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(
    { status: task?.status, accepted: task?.accepted, failed: task?.failed, progress: task?.progress },
    { status: 'completed', accepted: 2, failed: 3, progress: 1 },
  );
  const failed = await f.app.inject({
    method: 'GET',
    url: `/api/v1/group-sends/${id}/failed.csv`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const lines = failed.body.trim().split('\n');
  assert.equal(lines[0], 'number,status');
  assert.deepEqual(
    lines.slice(1).sort(),
    ['+8613800000011,E200041', '+8613800000013,E200028', 'not-a-number,E200031'].sort(),
  );
  const msgs = await f.app.inject({
    method: 'GET',
    url: '/api/v1/messages?to=%2B8613800000012',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  assert.equal(msgs.json().items[0].taskId, id);
  const bad = await f.app.inject({
    method: 'POST',
    url: `/api/v1/group-sends?app=${f.tenant.id}`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    payload: '1',
  });
  assert.equal(bad.statusCode, 400);
});
