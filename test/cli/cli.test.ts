import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/main.js';

const ROOT = join(import.meta.dirname, '..', '..');

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'swiftlet.mjs'), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SWIFTLET_FROM_SOURCE: '1',
          SWIFTLET_ADMIN_TOKEN: '',
          SWIFTLET_URL: '',
          ...env,
        },
        timeout: 20_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('swiftlet CLI against a running server', () => {
  let server: RunningServer;
  let dataDir: string;
  let conn: string[];
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-cli-'));
    const { config } = loadConfig(
      { dataDir, port: 0, demo: false, simulator: { enabled: false }, consoleDir: join(dataDir, 'none') },
      {},
    );
    server = await startServer(config, { log: pino({ level: 'silent' }), print: () => {} });
    conn = ['--url', server.url, '--data', dataDir];
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates app, signature and template, approves them, sends, and shows the message', async () => {
    const app = await cli(['app', 'create', '--name', 'cli-app', '--json', ...conn]);
    assert.equal(app.code, 0, app.stderr);
    const a = JSON.parse(app.stdout);
    assert.ok(a.id && a.appKey && a.appSecret);

    const sig = await cli([
      'signature',
      'create',
      '--app',
      a.appKey,
      '--name',
      'CliShop',
      '--type',
      'VERIFY_CODE_TYPE',
      '--json',
      ...conn,
    ]);
    assert.equal(sig.code, 0, sig.stderr);
    const s = JSON.parse(sig.stdout);
    assert.equal(s.status, 'pending');
    const appr = JSON.parse((await cli(['signature', 'approve', s.id, '--json', ...conn])).stdout);
    assert.match(appr.channelNumber, /\S/);
    assert.equal(
      (await cli(['signature', 'approve', s.id, '--json', ...conn])).code,
      0,
      'approving twice succeeds',
    );

    const tpl = await cli([
      'template',
      'create',
      '--app',
      a.id,
      '--signature',
      s.id,
      '--type',
      'VERIFY_CODE_TYPE',
      '--name',
      'code',
      '--content',
      'Code ${NUM_6}, thanks.',
      '--json',
      ...conn,
    ]);
    assert.equal(tpl.code, 0, tpl.stderr);
    const t = JSON.parse(tpl.stdout);
    assert.match(t.templateId, /^[0-9a-f]{32}$/);
    assert.equal(
      JSON.parse((await cli(['template', 'approve', t.templateId, '--json', ...conn])).stdout).status,
      'active',
    );

    for (const auth of ['wsse', 'aksk']) {
      const sent = await cli([
        'send',
        '--url',
        server.url,
        '--app-key',
        a.appKey,
        '--app-secret',
        a.appSecret,
        '--from',
        appr.channelNumber,
        '--to',
        '+8613800000001',
        '--template',
        t.templateId,
        '--params',
        '["123456"]',
        '--auth',
        auth,
        '--json',
      ]);
      assert.equal(sent.code, 0, sent.stderr + sent.stdout);
      assert.equal(JSON.parse(sent.stdout).code, '000000');
    }

    const list = await cli(['messages', '--to', '+8613800000001', '--json', ...conn]);
    assert.equal(list.code, 0, list.stderr);
    const items = JSON.parse(list.stdout).items;
    assert.equal(items.length, 2);
    const detail = await cli(['messages', '--id', items[0].smsMsgId, ...conn]);
    assert.equal(detail.code, 0);
    assert.match(detail.stdout, /Parts:/);
    assert.match(detail.stdout, /accepted/);

    const table = await cli(['app', 'list', ...conn]);
    assert.match(table.stdout, /cli-app/);
    const frozen = await cli(['app', 'freeze', a.appKey, '--json', ...conn]);
    assert.equal(JSON.parse(frozen.stdout).status, 'frozen');
    const refused = await cli([
      'send',
      '--url',
      server.url,
      '--app-key',
      a.appKey,
      '--app-secret',
      a.appSecret,
      '--from',
      appr.channelNumber,
      '--to',
      '+8613800000001',
      '--template',
      t.templateId,
      '--params',
      '["123456"]',
      '--json',
    ]);
    assert.equal(refused.code, 1);
    assert.equal(JSON.parse(refused.stdout).code, 'E000112');
  });

  it('exit codes: 1 for API errors, 2 for usage errors; codes lookup works offline', async () => {
    const missing = await cli(['app', 'show', 'does-not-exist', ...conn]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /NOT_FOUND/);
    assert.equal((await cli(['app', 'create', ...conn])).code, 2);
    assert.equal(
      (await cli(['app', 'list', '--url', server.url, '--data', join(dataDir, 'nowhere')])).code,
      2,
    );
    const code = await cli(['codes', 'E200041', '--json']);
    assert.equal(code.code, 0);
    assert.equal(JSON.parse(code.stdout).code, 'E200041');
  });
});
