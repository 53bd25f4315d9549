import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStandaloneSimulator } from '../../src/simulator/cli.js';
import type { Pdu } from '../../src/smpp/pdu-types.js';
import { decodeShortMessage } from '../../src/smpp/short-message-decoder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';

const quiet = { debug() {}, info() {}, warn() {} };

test('standalone simulator: credentials, HTTP control port MO injection, stops on abort', async (t) => {
  const ac = new AbortController();
  let ready!: (i: { port: number; controlPort?: number }) => void;
  const started = new Promise<{ port: number; controlPort?: number }>((r) => {
    ready = r;
  });
  const running = runStandaloneSimulator({
    port: 0,
    controlPort: 0,
    systemId: 'jasmin',
    password: 'pw',
    receiptDelayMs: 10,
    onReady: ready,
    signal: ac.signal,
    log: quiet,
  });
  t.after(() => ac.abort());
  const { port, controlPort } = await started;
  const base = `http://127.0.0.1:${controlPort}`;

  const noReceiver = await fetch(`${base}/mo`, {
    method: 'POST',
    body: JSON.stringify({ from: '+8613900000001', to: '10690001', text: 'hi' }),
  });
  assert.equal(noReceiver.status, 409);
  assert.equal(((await noReceiver.json()) as { code: string }).code, 'SIM_NO_RECEIVER');
  assert.equal((await fetch(`${base}/mo`, { method: 'POST', body: '{"from":1}' })).status, 400);

  const got: Pdu[] = [];
  const client = new SmppClient({
    host: '127.0.0.1',
    port,
    bind: { system_id: 'jasmin', password: 'pw' },
    reconnect: false,
    onDeliver: (p) => void got.push(p),
  });
  client.start();
  await client.ready();
  const ok = await fetch(`${base}/mo`, {
    method: 'POST',
    body: JSON.stringify({ from: '+8613900000001', to: '10690001', text: 'STOP' }),
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { delivered: true });
  assert.equal(decodeShortMessage(got[0] as Pdu<'deliver_sm'>).text, 'STOP');
  const stats = (await (await fetch(`${base}/stats`)).json()) as { moDelivered: number; binds: number };
  assert.equal(stats.moDelivered, 1);
  assert.equal(((await (await fetch(`${base}/magic-numbers`)).json()) as unknown[]).length, 9);
  await client.close();

  // Wrong password refused.
  const bad = new SmppClient({
    host: '127.0.0.1',
    port,
    bind: { system_id: 'jasmin', password: 'nope' },
    reconnect: false,
  });
  const failed = new Promise((r) => bad.once('bindFailed', r));
  bad.start();
  await failed;
  await bad.close();

  ac.abort();
  await running;
});
