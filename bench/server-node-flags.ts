/**
 * The node flags benchmarks start the server with: the product's own (package.json
 * `config.serverNodeFlags`, which `npm start` and the `swiftlet` bin's shebang carry too — see
 * test/config/server-node-flags.test.ts), then BENCH_NODE_ARGS (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`), so a benchmark measures the server as users run it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

export function serverNodeArgs(extra = process.env.BENCH_NODE_ARGS ?? ''): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    config: { serverNodeFlags: string };
  };
  return [...pkg.config.serverNodeFlags.split(' '), ...extra.split(' ')].filter((a) => a !== '');
}
