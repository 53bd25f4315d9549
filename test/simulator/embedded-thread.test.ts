/**
 * The embedded simulator in its worker thread (config.simulator.thread, default true) and
 * in-process (thread: false): a real SMPP client submits and gets its receipt, MOs are
 * injected across the thread, stats() is the cached copy, stop() releases the port, and a
 * failed start in the worker rejects without harming this thread.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { SIMULATOR_CONNECTOR_NAME, startEmbeddedSimulator } from '../../src/simulator/embedded.js';
import { SimulatorError } from '../../src/simulator/simulator-errors.js';
import { SmscSimulator } from '../../src/simulator/smsc-simulator.js';
import type { Pdu } from '../../src/smpp/pdu-types.js';
import { parseDeliveryReceipt } from '../../src/smpp/receipt.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { decodeShortMessage } from '../../src/smpp/short-message-decoder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

type T = { after(fn: () => unknown): void };

async function setup(t: T, simulator: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-embedded-thread-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { config } = loadConfig({ dataDir: dir, simulator: { receiptDelayMs: 10, ...simulator } }, {});
  const store = await openStore({ url: `sqlite:${join(dir, 'test.db')}`, secretKey: Buffer.alloc(32, 7) });
  t.after(() => store.close());
  const logs: Array<{ level: string; obj: unknown; msg?: string }> = [];
  const log = {
    debug: (obj: object | string, msg?: string) => logs.push({ level: 'debug', obj, msg }),
    info: (obj: object | string, msg?: string) => logs.push({ level: 'info', obj, msg }),
    warn: (obj: object | string, msg?: string) => logs.push({ level: 'warn', obj, msg }),
  };
  return { config, store, logs, log };
}

async function bindClient(t: T, store: Store) {
  const c = (await store.listConnectors()).find((x) => x.name === SIMULATOR_CONNECTOR_NAME);
  assert.ok(c);
  const delivers: Pdu[] = [];
  const client = new SmppClient({
    host: c.host,
    port: c.port,
    bind: { system_id: c.systemId, password: c.password },
    reconnect: false,
    onDeliver: (pdu) => {
      delivers.push(pdu);
    },
  });
  client.start();
  await client.ready();
  t.after(() => client.close());
  return { client, delivers };
}

async function until<R>(fn: () => R | undefined | false, ms = 5000): Promise<R> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const submit = {
  source_addr: '10690001',
  source_addr_ton: 0,
  source_addr_npi: 1,
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  registered_delivery: 1,
  destination_addr: '8613900000000',
};

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('thread mode (default): submit → receipt, MO injection, cached stats, logs relayed, clean stop', async (t) => {
  const { config, store, logs, log } = await setup(t);
  assert.equal(config.simulator.thread, true);
  const sim = await startEmbeddedSimulator({ store, config, log });
  let stopped = false;
  t.after(() => (stopped ? undefined : sim.stop()));
  assert.equal(sim.simulator, undefined, 'no in-process instance in thread mode');
  assert.ok(
    logs.some((l) => l.msg === 'simulator: listening'),
    'worker logs reach the parent logger',
  );

  const { client, delivers } = await bindClient(t, store);
  const [r] = await client.submit(buildSubmitSmParts(submit, 'hello thread'));
  assert.ok(r.ok);
  const receipt = await until(() => delivers.find((p) => (p as Pdu<'deliver_sm'>).esm_class & 0x04));
  const parsed = parseDeliveryReceipt(receipt as Pdu<'deliver_sm'>);
  assert.equal(parsed?.stat, 'DELIVRD');

  await sim.injectMo({ from: '+8613900000001', to: '106900011234', text: 'TD' });
  const mo = delivers.find((p) => !((p as Pdu<'deliver_sm'>).esm_class & 0x04));
  assert.ok(mo, 'the MO was delivered before injectMo resolved');
  assert.equal(decodeShortMessage(mo as Pdu<'deliver_sm'>).text, 'TD');

  // stats() stays synchronous: a copy the worker refreshes.
  const st = await until(() => {
    const s = sim.stats();
    return s.submits === 1 && s.receiptsSent === 1 && s.moDelivered === 1 && s;
  });
  assert.equal(st.accepted, 1);

  await client.close();
  await sim.stop();
  stopped = true;
  assert.ok(await refused(sim.port), 'the port is released after stop()');
  await assert.rejects(
    sim.injectMo({ from: '+8613900000001', to: '1069', text: 'late' }),
    (e: unknown) => e instanceof SimulatorError && e.code === 'SIM_STOPPED',
  );
  await sim.stop(); // idempotent
});

test('thread: false runs in-process and exposes the instance', async (t) => {
  const { config, store } = await setup(t, { thread: false });
  const sim = await startEmbeddedSimulator({ store, config });
  t.after(() => sim.stop());
  assert.ok(sim.simulator instanceof SmscSimulator);
  const { client } = await bindClient(t, store);
  const [r] = await client.submit(buildSubmitSmParts(submit, 'in process'));
  assert.ok(r.ok);
  assert.equal(sim.stats().submits, 1);
  await client.close();
});

test('a failure in the worker (port in use) rejects the start and leaves this thread running', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => blocker.close(r)));
  const port = (blocker.address() as net.AddressInfo).port;
  const { config, store } = await setup(t, { port });
  await assert.rejects(startEmbeddedSimulator({ store, config }), /EADDRINUSE/);
  // Nothing was registered, and a new start on a free port works.
  assert.equal((await store.listConnectors()).length, 0);
  const { config: ok } = loadConfig({ dataDir: config.dataDir, simulator: { receiptDelayMs: 10 } }, {});
  const sim = await startEmbeddedSimulator({ store, config: ok });
  await sim.stop();
});

test('a simulator thread that dies is started again on the same port, and carriers bind to it again', async (t) => {
  const { config, store, logs, log } = await setup(t);
  const sim = await startEmbeddedSimulator({ store, config, log });
  t.after(() => sim.stop());
  const first = await bindClient(t, store);
  const [before] = await first.client.submit(buildSubmitSmParts(submit, 'before the crash'));
  assert.ok(before.ok);

  sim.crashThread();
  await until(() => sim.restarts() === 1, 10_000);
  assert.ok(logs.some((l) => l.level === 'warn' && /thread died/.test(l.msg ?? '')));
  assert.ok(logs.some((l) => /started again/.test(l.msg ?? '')));

  // The same connector record (same port) works again: bind, submit, receipt.
  const second = await bindClient(t, store);
  const [after] = await second.client.submit(buildSubmitSmParts(submit, 'after the restart'));
  assert.ok(after.ok);
  const receipt = await until(() => second.delivers.find((p) => (p as Pdu<'deliver_sm'>).esm_class & 0x04));
  assert.equal(parseDeliveryReceipt(receipt as Pdu<'deliver_sm'>)?.stat, 'DELIVRD');
  // Counters start afresh with the new thread (stats() is the copy it sends every 250 ms).
  await until(() => sim.stats().submits === 1 && sim.stats().receiptsSent === 1);
});
