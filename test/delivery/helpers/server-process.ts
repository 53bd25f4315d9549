/**
 * Runs `swiftlet serve` as a child process (from source: SWIFTLET_FROM_SOURCE=1), the way an
 * operator does, so a test can SIGKILL it and start it again on the same data directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..', '..');

/** A port that was free a moment ago (the server needs a fixed one to keep its URL across restarts). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  /** stdout + stderr so far (for failure messages). */
  output(): string;
  /** Resolves with the exit code / signal once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  dataDir: string;
  port: number;
  configFile?: string;
  demo?: boolean;
  env?: Record<string, string>;
  /** Extra node flags (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** How long to wait for /readyz. Default 30 s (tsx compiles the sources on first start). */
  readyTimeoutMs?: number;
}

/** Spawns the server and resolves once `GET /readyz` answers 200. */
export async function spawnServer(o: SpawnOptions): Promise<ServerProcess> {
  const args = [
    ...(o.nodeArgs ?? []),
    join(ROOT, 'bin', 'swiftlet.mjs'),
    'serve',
    '--port',
    String(o.port),
    '--data',
    o.dataDir,
    ...(o.demo === false ? ['--no-demo'] : ['--demo']),
    ...(o.configFile ? ['--config', o.configFile] : []),
  ];
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, SWIFTLET_FROM_SOURCE: '1', SWIFTLET_LOG_LEVEL: 'warn', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  for (;;) {
    if (dead) throw new Error(`server exited before it was ready:\n${out}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, url, output: () => out, exited };
}
