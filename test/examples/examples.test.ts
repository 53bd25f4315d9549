/**
 * Runs every script in examples/ as a child process against a live in-process Swiftlet server
 * (demo profile, temp data dir, port 0, embedded simulator, loopback pushes allowed) and checks
 * what it prints. The examples find the server and the demo credentials exactly as a user's
 * shell would: SWIFTLET_URL and SWIFTLET_DATA_DIR (→ demo.json, admin-token).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Generous: a child process starts tsx first, and the machine is shared. */
const RUN_TIMEOUT_MS = 60_000;
/** Receipt (200 ms in the simulator) + webhook poll; far below this on an idle machine. */
const REPORT_DEADLINE_MS = 30_000;

let server: RunningServer;
let dataDir: string;
const children: ChildProcess[] = [];

function exampleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWIFTLET_URL: server.url,
    SWIFTLET_DATA_DIR: dataDir,
    ...extra,
  };
  // Variables of the developer's shell must not leak into the examples' defaults.
  for (const k of [
    'APP_KEY',
    'APP_SECRET',
    'FROM',
    'TEMPLATE_ID',
    'TEMPLATE_PARAS',
    'PLAIN_TEMPLATE_ID',
    'SWIFTLET_ADMIN_TOKEN',
  ]) {
    if (!(k in extra)) delete env[k];
  }
  for (const k of [
    'TO',
    'TO2',
    'STATUS_CALLBACK',
    'PORT',
    'VERIFY',
    'REGISTER',
    'PUBLIC_URL',
    'WSSE_DIGEST',
  ]) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an example to completion. */
function runExample(name: string, extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('examples', `${name}.ts`)], {
      cwd: root,
      env: exampleEnv(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${name} did not finish in ${RUN_TIMEOUT_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Background {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `re` in stdout, polling until `deadlineMs`. */
  waitFor(re: RegExp, deadlineMs?: number): Promise<RegExpMatchArray>;
}

/** Starts a long-running example (a receiver); it is stopped in `after`. */
function startExample(name: string, extra: Record<string, string> = {}): Background {
  const child = spawn(process.execPath, ['--import', 'tsx', join('examples', `${name}.ts`)], {
    cwd: root,
    env: exampleEnv(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return {
    child,
    output: () => stdout,
    async waitFor(re, deadlineMs = RUN_TIMEOUT_MS) {
      const end = Date.now() + deadlineMs;
      for (;;) {
        const m = stdout.match(re);
        if (m) return m;
        if (child.exitCode !== null || Date.now() > end) {
          throw new Error(
            `${name}: ${re} not seen (${child.exitCode === null ? 'deadline passed' : `exited ${child.exitCode}`})\nstdout:\n${stdout}\nstderr:\n${stderr}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** `+8613800000001  status=000000  smsMsgId=…` lines of the send examples. */
function resultLines(stdout: string): Array<{ to: string; status: string; smsMsgId: string }> {
  return [...stdout.matchAll(/^\s+(\+\d+)\s+status=(\S+)\s+smsMsgId=(\S*)/gm)].map((m) => ({
    to: m[1],
    status: m[2],
    smsMsgId: m[3],
  }));
}

function assertSent(
  name: string,
  run: Run,
  count = 1,
): Array<{ to: string; status: string; smsMsgId: string }> {
  assert.equal(run.code, 0, `${name} exited ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  assert.match(run.stdout, /^000000 Success$/m);
  const lines = resultLines(run.stdout);
  assert.equal(lines.length, count, run.stdout);
  for (const l of lines) {
    assert.equal(l.status, '000000');
    assert.match(l.smsMsgId, /^[0-9a-f-]{36}_\d+$/);
  }
  return lines;
}

describe('examples against a live server', () => {
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-examples-'));
    const { config } = loadConfig(
      {
        dataDir,
        port: 0,
        host: '127.0.0.1',
        demo: true,
        logLevel: 'silent',
        webhooks: { allowLoopback: true },
      },
      {},
    );
    server = await startServer(config, { print: () => {} });
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('close', r)) : undefined)),
    );
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('send-aksk sends with AK/SK and prints 000000 with a result entry', async () => {
    assertSent('send-aksk', await runExample('send-aksk'));
  });

  it('send-wsse sends with X-WSSE (hex and raw digests)', async () => {
    assertSent('send-wsse', await runExample('send-wsse'));
    assertSent('send-wsse raw', await runExample('send-wsse', { WSSE_DIGEST: 'raw', TO: '+8613800000005' }));
  });

  it('send-diff sends two groups with different templates', async () => {
    const lines = assertSent(
      'send-diff',
      await runExample('send-diff', { TO: '+8613800000011', TO2: '+8613800000012' }),
      2,
    );
    assert.deepEqual(
      lines.map((l) => l.to),
      ['+8613800000011', '+8613800000012'],
    );
  });

  it('official-node-sample (querystring body, raw digest, 128-hex nonce) is accepted', async () => {
    const run = await runExample('official-node-sample', { TO: '+8613800000021' });
    assert.equal(run.code, 0, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.match(run.stdout, /^statusCode: 200$/m);
    const json = run.stdout.split('\n').find((l) => l.startsWith('{'));
    assert.ok(json, run.stdout);
    const body = JSON.parse(json) as {
      code: string;
      result: Array<{ status: string; originTo: string; smsMsgId: string }>;
    };
    assert.equal(body.code, '000000');
    assert.equal(body.result.length, 1);
    assert.equal(body.result[0].status, '000000');
    assert.equal(body.result[0].originTo, '+8613800000021');
  });

  it('status-report-receiver receives DELIVRD, and UNDELIV with its meaning for a magic number', async () => {
    const receiver = startExample('status-report-receiver', { PORT: '0' });
    const [, callback] = await receiver.waitFor(/^Send with statusCallback=(\S+)$/m);

    const ok = assertSent(
      'send-aksk',
      await runExample('send-aksk', { STATUS_CALLBACK: callback, TO: '+8613800000031' }),
    );
    const id = ok[0].smsMsgId;
    // The report line and the lines under it may arrive in separate chunks: wait for the last one.
    await receiver.waitFor(
      new RegExp(`^report ${id} DELIVRD \\(segment 1/1, source 2\\) DELIVERED\\n {2}meaning: .+$`, 'm'),
      REPORT_DEADLINE_MS,
    );
    assert.match(receiver.output(), /meaning: Delivered to the handset\./);

    // Magic number …1001: the simulator answers with an UNDELIV receipt.
    const bad = assertSent(
      'send-aksk',
      await runExample('send-aksk', { STATUS_CALLBACK: callback, TO: '+8613800001001' }),
    );
    const badId = bad[0].smsMsgId;
    await receiver.waitFor(
      new RegExp(`^report ${badId} UNDELIV .* NOT DELIVERED\\n {2}meaning: .+\\n {2}suggestion: .+$`, 'm'),
      REPORT_DEADLINE_MS,
    );
    const after = receiver.output().slice(receiver.output().indexOf(`report ${badId}`));
    assert.match(after, /^ {2}meaning: .+$/m);
    assert.match(after, /^ {2}suggestion: .+$/m);
  });

  it('uplink-auto-reply registers its uplink URL, receives an injected MO and replies', async () => {
    const bot = startExample('uplink-auto-reply', { PORT: '0' });
    await bot.waitFor(/^Ready: waiting for uplink messages$/m);
    const channel = server.demo?.signature.channelNumber;
    assert.ok(channel);

    const res = await fetch(`${server.url}/api/v1/simulator/mo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+8613800000041', to: channel, text: 'hello swiftlet' }),
    });
    assert.equal(res.status, 202, await res.text());

    await bot.waitFor(
      new RegExp(`^uplink \\S+ from \\+8613800000041 to ${channel}: hello swiftlet$`, 'm'),
      REPORT_DEADLINE_MS,
    );
    const [, reply] = await bot.waitFor(
      /^replied to \+8613800000041: 000000 Success status=000000 smsMsgId=(\S+)$/m,
    );

    // The reply is a real send: it is in the send details, to the MO's sender, with the plain template.
    const q = await fetch(`${server.url}/api/v1/messages/${encodeURIComponent(reply)}`, {
      headers: { authorization: `Bearer ${server.config.adminToken}` },
    });
    assert.equal(q.status, 200);
    const detail = (await q.json()) as { message: { to: string; templateId: string; channelNumber: string } };
    assert.equal(detail.message.to, '+8613800000041');
    assert.equal(detail.message.channelNumber, channel);
    assert.equal(detail.message.templateId, server.demo?.templates.find((t) => t.params.length === 0)?.id);
  });
});
