/**
 * End-to-end test of the web console: the real server (startServer: store, engine, embedded SMSC
 * simulator, webhook worker) on port 0 with a temp data dir, driven by Debian's chromium through
 * playwright-core. Writes a 1280×800 screenshot of every page to docs/screenshots/.
 *
 * The server runs with `demo: false` so signatures and templates stay pending and the review
 * queue (approve) is exercised through the UI; the simulator is forced on so messages reach DELIVRD.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { SmsClient } from '../../src/client/sms-client.js';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = join(root, 'docs', 'screenshots');
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const ADMIN_PASSWORD = 'e2e-Admin-password-1';
const CHROMIUM = '/usr/bin/chromium';

let server: RunningServer;
let browser: Browser;
let page: Page;
let dataDir: string;

async function shot(name: string, p: Page = page): Promise<void> {
  await p.waitForLoadState('networkidle').catch(() => {});
  await p.screenshot({ path: join(shots, `${name}.png`) });
}

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as T };
}

/** Polls `fn` until it returns a truthy value (real delivery takes a few hundred ms). */
async function until<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const go = (hash: string) => page.goto(`${server.url}/console/#${hash}`);

before(async () => {
  if (!existsSync(join(root, 'console', 'dist', 'index.html'))) {
    execFileSync(
      join(root, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
  }
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-e2e-'));
  process.env.SWIFTLET_ADMIN_PASSWORD = ADMIN_PASSWORD;
  const { config } = loadConfig(
    {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      databaseUrl: `sqlite:${join(dataDir, 'swiftlet.db')}`,
      demo: false,
      adminToken: ADMIN_TOKEN,
      secretKey: '0e'.repeat(32),
      consoleDir: join(root, 'console', 'dist'),
      logLevel: 'silent',
      simulator: { enabled: true, receiptDelayMs: 50 },
      webhooks: { allowLoopback: true, allowPrivate: true },
    },
    {},
  );
  server = await startServer(config, { print: () => {} });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.close();
  delete process.env.SWIFTLET_ADMIN_PASSWORD;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const state: {
  appId?: string;
  appKey?: string;
  appSecret?: string;
  channel?: string;
  templateId?: string;
  smsMsgId?: string;
} = {};

test('a wrong password is refused, the right one signs in', async () => {
  await page.goto(`${server.url}/console/`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'not-the-password');
  await page.click('button[type=submit]');
  await page.getByText('wrong user name or password').waitFor();
  await shot('login');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
});

test('create an app, a signature and a template, and approve them', async () => {
  await go('/apps');
  await page.fill('input[name=appName]', 'e2e-shop');
  await page.click('text=Create application');
  const secret = await page.getByTestId('new-secret').textContent();
  const apps = await api<{ items: Array<{ id: string; name: string; appKey: string }> }>('GET', '/apps');
  const app = apps.body.items.find((a) => a.name === 'e2e-shop');
  assert.ok(app && secret);
  Object.assign(state, { appId: app.id, appKey: app.appKey, appSecret: secret });
  await page.getByRole('button', { name: 'Details', exact: true }).click();
  await page.getByRole('button', { name: 'Reveal' }).click();
  await page.getByText(secret).first().waitFor();
  await shot('apps');

  await go(`/signatures?app=${app.id}`);
  await page.fill('input[name=sigName]', 'EShop');
  await page.selectOption('select[name=sigType]', 'NOTIFY_TYPE');
  await page.click('text=Apply for signature');
  const row = page.locator('tr[data-name=EShop]');
  await row.getByText('pending').waitFor();
  await row.getByRole('button', { name: 'Approve' }).click();
  await row.getByText('approved').waitFor();
  await shot('signatures');
  const sigs = await api<{ items: Array<{ name: string; channelNumber: string }> }>(
    'GET',
    `/signatures?app=${app.id}`,
  );
  state.channel = sigs.body.items.find((s) => s.name === 'EShop')?.channelNumber;
  assert.ok(state.channel);

  await go(`/templates?app=${app.id}`);
  await page.fill('input[name=tplName]', 'shipped');
  await page.selectOption('select[name=tplType]', 'NOTIFY_TYPE');
  // Live validation: an unknown variable is refused, then the preview shows the encoding (the
  // mainland signature's 【】 force UCS-2) and the segment count.
  await page.fill('textarea[name=tplContent]', 'Your order ${FOO} has shipped.');
  await page.getByTestId('preview').locator('.error').waitFor();
  await page.fill('textarea[name=tplContent]', 'Your order ${NUM_6} has shipped.');
  await page.getByTestId('preview-encoding').getByText('UCS-2').waitFor();
  await page.getByTestId('preview').getByText('【EShop】Your order ${NUM_6} has shipped.').waitFor();
  assert.equal((await page.getByTestId('preview-segments').textContent())?.trim(), '1');
  await shot('templates');
  await page.click('text=Submit template');
  const trow = page.locator('tr[data-name=shipped]');
  await trow.getByText('pending').waitFor();
  await trow.getByRole('button', { name: 'Approve' }).click();
  await trow.getByText('active').waitFor();
  state.templateId = (await trow.getByTestId('template-id').textContent())?.trim();
  assert.ok(state.templateId);
});

function client(): SmsClient {
  return new SmsClient({
    endpoint: server.url,
    appKey: state.appKey as string,
    appSecret: state.appSecret as string,
  });
}

test('a message sent through the API reaches DELIVRD in Send Details with its timeline', async () => {
  const c = client();
  const res = await c.batchSendSms({
    from: state.channel as string,
    to: '+8613800000001',
    templateId: state.templateId as string,
    templateParas: ['123456'],
  });
  c.close();
  assert.equal(res.code, '000000');
  state.smsMsgId = res.result?.[0]?.smsMsgId;
  assert.ok(state.smsMsgId);

  await go('/messages?to=%2B8613800000001&range=1h');
  await page.locator(`a[href*="${state.smsMsgId}"]`).click();
  await page.getByTestId('timeline').getByText('accepted').waitFor();
  await page.locator('.facts').getByText('DELIVRD').waitFor({ timeout: 20_000 });
  const timeline = await page.getByTestId('timeline').textContent();
  assert.match(timeline ?? '', /accepted/);
  assert.match(timeline ?? '', /submitted/);
  assert.match(timeline ?? '', /receipt/);
  await shot('message');
  await go('/messages?range=24h');
  await page.locator('table.data tbody tr').first().waitFor();
  await shot('send-details');
});

test('a group send of 1,000 numbers from a CSV reaches 100 %', async () => {
  const lines = ['number,order'];
  for (let i = 0; i < 1000; i++) lines.push(`+86139${String(i).padStart(8, '0')},${String(100000 + i)}`);
  await go('/group');
  await page.selectOption('select[name=groupApp]', state.appId as string);
  await page
    .locator('select[name=groupTemplate]')
    .locator(`option[value="${state.templateId}"]`)
    .waitFor({ state: 'attached' });
  await page.selectOption('select[name=groupTemplate]', state.templateId as string);
  await page.setInputFiles('input[name=groupFile]', {
    name: 'numbers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${lines.join('\n')}\n`),
  });
  await page.click('text=Start sending');
  const bar = page.getByRole('progressbar').first();
  await page.waitForFunction(
    "document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === '100'",
    null,
    { timeout: 30_000 },
  );
  assert.equal(await bar.getAttribute('aria-valuenow'), '100');
  await page.locator('tr[data-task]').first().getByText('completed').waitFor();
  await shot('group-send');
  const tasks = await api<{
    items: Array<{ total: number; accepted: number; failed: number; status: string }>;
  }>('GET', '/group-sends');
  assert.deepEqual(
    {
      total: tasks.body.items[0].total,
      accepted: tasks.body.items[0].accepted,
      status: tasks.body.items[0].status,
    },
    { total: 1000, accepted: 1000, status: 'completed' },
  );
});

test('a blocked number is intercepted on the next send', async () => {
  const number = '+8613800000077';
  await go('/blocklist');
  await page.fill('input[name=blockNumber]', number);
  await page.click('button:has-text("Block")');
  await page.locator('td', { hasText: number }).waitFor();
  await shot('blocklist');
  const c = client();
  const res = await c.batchSendSms({
    from: state.channel as string,
    to: number,
    templateId: state.templateId as string,
    templateParas: ['654321'],
  });
  c.close();
  const id = res.result?.[0]?.smsMsgId as string;
  assert.ok(id);
  const detail = await until(async () => {
    const d = await api<{
      message: { result: string; statusCode: string | null };
      events: Array<{ kind: string }>;
    }>('GET', `/messages/${id}`);
    return d.body.message.result !== 'sending' ? d.body : null;
  }, 'the blocked message to be final');
  assert.equal(detail.message.result, 'failed');
  assert.ok(
    detail.events.some((e) => e.kind === 'intercepted'),
    'an intercepted event',
  );
  await go(`/messages/${id}`);
  await page.getByTestId('timeline').getByText('intercepted').waitFor();
});

test('a state change without the CSRF token is refused', async () => {
  const r = await page.evaluate(async () => {
    const res = await fetch('/api/v1/blocklist', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+8613800000078' }),
    });
    return { status: res.status, body: (await res.json()) as { error: { code: string } } };
  });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'csrf');
  // The same request with the token from the readable `csrf` cookie (what the SPA does) passes.
  const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf')?.value ?? '';
  const ok = await page.evaluate(async (token) => {
    const res = await fetch('/api/v1/blocklist', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      body: JSON.stringify({ number: '+8613800000078' }),
    });
    return res.status;
  }, csrf);
  assert.equal(ok, 201);
});

test('repeated wrong passwords lock the user out', async () => {
  const login = (password: string) =>
    fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mallory', password }),
    });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await login('guess')).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
});

test('the carriers page shows the live nodes and which node holds each bind', async () => {
  const cluster = await api<{
    node: string;
    connectors: Array<{ name: string; slots: Array<{ nodeId: string | null }> }>;
  }>('GET', '/cluster');
  assert.equal(cluster.status, 200);
  const node = cluster.body.node;
  assert.ok(node, 'the answering node has an id');
  await go('/carriers');
  await page.getByRole('heading', { name: 'Cluster: nodes and bind holders' }).waitFor();
  // The embedded simulator's connector has one bind; this (only) node holds it once the engine
  // has taken the slot lease, and the page refreshes until it shows.
  const row = page.getByTestId('bind-holders').locator('tr[data-connector=simulator]');
  await row.locator('li.held', { hasText: node }).waitFor({ timeout: 20_000 });
  const held = (await row.locator('li.held').first().textContent()) ?? '';
  assert.equal(held.replace(/\s+/g, ' ').trim(), `#0 ${node}`);
  await page.getByTestId('cluster').getByText('self').waitFor();
  // Engine status is shown as labelled figures, not raw objects.
  const engine = (await page.getByTestId('engine-status').textContent()) ?? '';
  assert.match(engine, /Receipts applied/);
  assert.doesNotMatch(engine, /[{}]/);

  // A route's Disable / Enable buttons change it through the API (then the list reloads).
  const routesCard = page.locator('section.card', { has: page.getByRole('heading', { name: 'Routes' }) });
  const routeRow = routesCard.locator('tbody tr').first();
  await routeRow.getByRole('button', { name: 'Disable' }).click();
  await routeRow.getByRole('button', { name: 'Enable' }).waitFor();
  const routes = await api<{ items: Array<{ enabled: boolean }> }>('GET', '/routes');
  assert.ok(
    routes.body.items.some((r) => !r.enabled),
    'a route is disabled',
  );
  await routeRow.getByRole('button', { name: 'Enable' }).click();
  await routeRow.getByRole('button', { name: 'Disable' }).waitFor();
  const after = await api<{ items: Array<{ enabled: boolean }> }>('GET', '/routes');
  assert.ok(
    after.body.items.every((r) => r.enabled),
    'enabled again',
  );
});

test('screenshots of the remaining pages', async () => {
  for (const [hash, name, heading] of [
    ['/overview', 'overview', 'Overview'],
    ['/stats', 'statistics', 'Statistics'],
    ['/uplink', 'uplink', 'Uplink inbox'],
    ['/carriers', 'carriers', 'Carriers'],
    ['/users', 'users', 'Console users'],
  ]) {
    await go(hash);
    await page.getByRole('heading', { name: heading }).waitFor();
    if (name === 'overview') await page.locator('.chart canvas').waitFor({ timeout: 15_000 });
    await shot(name);
  }
  const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await phone.context().addCookies(await page.context().cookies());
  await phone.goto(`${server.url}/console/#/messages?range=24h`);
  await phone.getByRole('heading', { name: 'Send Details' }).waitFor();
  await shot('send-details-phone', phone);
  await phone.close();
});
