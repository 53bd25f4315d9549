import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'swiftlet-config-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('defaults put SQLite in the data directory and generate the admin token and secret key once', () => {
  const dir = dataDir();
  const first = loadConfig({ dataDir: dir }, {});
  assert.equal(first.config.databaseUrl, `sqlite:${join(dir, 'swiftlet.db')}`);
  assert.equal(first.adminTokenGenerated, true);
  assert.equal(first.secretKeyGenerated, true);
  assert.equal(readFileSync(join(dir, 'admin-token'), 'utf8').trim(), first.config.adminToken);
  const second = loadConfig({ dataDir: dir }, {});
  assert.equal(second.adminTokenGenerated, false);
  assert.equal(second.config.adminToken, first.config.adminToken);
  assert.equal(second.config.secretKey, first.config.secretKey);
  assert.equal(second.config.interception.keywords.length, 0);
});

test('the demo profile allows loopback pushes and turns frequency caps off; production the reverse', () => {
  const demo = loadConfig({ dataDir: dataDir(), demo: true }, {}).config;
  assert.equal(demo.webhooks.allowLoopback, true);
  assert.equal(demo.frequency.enabled, false);
  const prod = loadConfig({ dataDir: dataDir() }, {}).config;
  assert.equal(prod.webhooks.allowLoopback, false);
  assert.equal(prod.frequency.enabled, true);
});

test('file ← environment ← flags, in that order of precedence', () => {
  const dir = dataDir();
  const file = join(dir, 'swiftlet.json');
  writeFileSync(
    file,
    JSON.stringify({ port: 9001, host: '0.0.0.0', interception: { keywords: ['casino'] } }),
  );
  const { config } = loadConfig(
    { dataDir: dir, configFile: file, host: '127.0.0.2' },
    { SWIFTLET_PORT: '9002' },
  );
  assert.equal(config.port, 9002);
  assert.equal(config.host, '127.0.0.2');
  assert.deepEqual(config.interception.keywords, ['casino']);
  assert.ok(Object.isFrozen(config));
});

test('a keyword rule whose regular expression does not compile is refused at start with its path', () => {
  const dir = dataDir();
  const file = join(dir, 'swiftlet.json');
  writeFileSync(file, JSON.stringify({ interception: { keywords: ['ok', { regex: '(unclosed' }] } }));
  assert.throws(
    () => loadConfig({ dataDir: dir, configFile: file }, {}),
    (err: unknown) =>
      err instanceof ConfigError && err.details.some((d) => d.startsWith('/interception/keywords/1/regex')),
  );
});

test('an unknown key is refused with its path', () => {
  const dir = dataDir();
  const file = join(dir, 'swiftlet.json');
  writeFileSync(file, JSON.stringify({ engine: { claimBatchh: 5 } }));
  assert.throws(() => loadConfig({ dataDir: dir, configFile: file }, {}), ConfigError);
});

test('retention keeps 90 days unless told; SWIFTLET_RETENTION_DAYS and the file set it; a negative value is refused', () => {
  assert.equal(loadConfig({ dataDir: dataDir() }, {}).config.retention.days, 90);
  assert.equal(loadConfig({ dataDir: dataDir() }, { SWIFTLET_RETENTION_DAYS: '0' }).config.retention.days, 0);
  const dir = dataDir();
  const file = join(dir, 'swiftlet.json');
  writeFileSync(
    file,
    JSON.stringify({ retention: { days: 30, intervalMs: 60_000 }, webhooks: { connectionsPerOrigin: 8 } }),
  );
  const { config } = loadConfig({ dataDir: dir, configFile: file }, {});
  assert.deepEqual(config.retention, { days: 30, intervalMs: 60_000 });
  assert.equal(config.webhooks.connectionsPerOrigin, 8);
  assert.throws(() => loadConfig({ dataDir: dataDir() }, { SWIFTLET_RETENTION_DAYS: '-1' }), ConfigError);
});
