// Builds what a clean clone needs to run: the TypeScript sources to dist/ and the console to
// console/dist/. Runs from `prepare`, so `npm ci` leaves a working `npx swiftlet`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

if (!existsSync(bin('tsc'))) {
  console.log('build: dev dependencies are not installed; skipping the build (the CLI runs from source).');
  process.exit(0);
}
run(bin('tsc'), ['-p', 'tsconfig.json']);
if (existsSync(join(root, 'console', 'vite.config.ts'))) run(bin('vite'), ['build', '--config', 'console/vite.config.ts', '--logLevel', 'warn']);
