/**
 * Helpers for interop tests with real SMPP software (Debian packages): locate a binary (and
 * FAIL naming the package when it is missing — never skip), pick free ports, spawn a peer
 * with its output captured for the failure message, and poll with a deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';

/** Throws (fails the test) when `path` is not there, naming the Debian package to install. */
export function requirePeer(path: string, debianPackage: string): string {
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new Error(
      `${path} is missing: install the Debian package '${debianPackage}' (apt-get install -y ${debianPackage})`,
    );
  }
  return path;
}

/** A port free right now on 127.0.0.1 (the OS picks it; a tiny race is accepted in tests). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Peer {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns a peer process in its own process group (smsc.pl forks a child per connection);
 * `stop` sends SIGTERM to that group, then SIGKILL after 3 s.
 */
export function spawnPeer(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Peer {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (e) => {
    out += `\n[spawn error] ${e.message}`;
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    async stop() {
      const group = (signal: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // Already gone.
        }
      };
      const running = child.exitCode === null && child.signalCode === null;
      group('SIGTERM');
      if (!running) return;
      const t = setTimeout(() => group('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Polls `fn` until it returns a truthy value; throws `what` (plus `context()`) at the deadline. */
export async function pollUntil<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  context?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      const extra = context ? `\n--- peer output ---\n${context().slice(-6000)}` : '';
      throw new Error(
        `timed out waiting for ${what}${lastErr ? ` (last error: ${(lastErr as Error).message})` : ''}${extra}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
