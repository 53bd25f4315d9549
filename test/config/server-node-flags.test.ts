/**
 * The node flags the server runs with (package.json `config.serverNodeFlags`, measured by
 * bench/e2e.ts) are the ones `npm start` and the `swiftlet` bin's shebang pass.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

test('npm start and the swiftlet bin carry package.json config.serverNodeFlags, and the bin runs', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    config: { serverNodeFlags: string };
    scripts: { start: string };
  };
  const flags = pkg.config.serverNodeFlags;
  assert.match(flags, /^--/);
  assert.ok(pkg.scripts.start.startsWith(`node ${flags} `), pkg.scripts.start);
  const shebang = readFileSync(join(ROOT, 'bin', 'swiftlet.mjs'), 'utf8').split('\n')[0];
  assert.equal(shebang, `#!/usr/bin/env -S node ${flags}`);
  // Executed through its shebang, as npm's bin link runs it.
  const out = execFileSync(join(ROOT, 'bin', 'swiftlet.mjs'), ['--version'], { encoding: 'utf8' });
  assert.match(out, /^\d+\.\d+\.\d+/);
});
