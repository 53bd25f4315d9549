// The whole test suite: checks (and, as root, installs) the Debian packages the interop and browser
// tests use, then runs every test/**/*.test.ts with node's test runner through tsx.
//   SWIFTLET_TEST_DB=postgres   run the suite against the machine's PostgreSQL instead of SQLite
//   SWIFTLET_TEST_FILTER=smpp   only files whose path contains the text
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian package → a file it installs that the tests use. */
const packages = {
  chromium: '/usr/bin/chromium',
  kannel: '/usr/sbin/bearerbox',
  'libnet-smpp-perl': '/usr/share/perl5/Net/SMPP.pm',
  tshark: '/usr/bin/tshark',
  // CJK glyphs for the console screenshots (signatures render as 【name】).
  'fonts-wqy-zenhei': '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
};

const missing = Object.entries(packages).filter(([, file]) => !existsSync(file)).map(([name]) => name);
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`test: missing Debian packages: ${missing.join(' ')}`);
    console.error(`      install them with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(2);
  }
  console.log(`test: installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filter = process.env.SWIFTLET_TEST_FILTER;
const files = collect(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error('test: no test files matched');
  process.exit(1);
}
console.log(`test: ${files.length} files on ${process.env.SWIFTLET_TEST_DB ?? 'sqlite'}`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
