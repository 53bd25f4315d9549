import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { MAGIC_NUMBERS } from '../../src/simulator/scenario.js';
import { SmscSimulator, type SmscSimulatorOptions } from '../../src/simulator/smsc-simulator.js';
import type { Pdu } from '../../src/smpp/pdu-types.js';
import { Reassembler } from '../../src/smpp/reassembler.js';
import { parseDeliveryReceipt } from '../../src/smpp/receipt.js';
import { type BindType, SmppSession } from '../../src/smpp/session.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { decodeShortMessage } from '../../src/smpp/short-message-decoder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';

type Deliver = Pdu<'deliver_sm' | 'data_sm'>;

async function startSim(
  t: { after(fn: () => unknown): void },
  opts: SmscSimulatorOptions = {},
): Promise<SmscSimulator> {
  const sim = new SmscSimulator({
    ...opts,
    scenario: { receiptDelayMs: 20, slowReceiptDelayMs: 300, ...opts.scenario },
  });
  await sim.listen();
  t.after(() => sim.close());
  return sim;
}

/** Our ESME (src/smpp SmppClient), collecting every deliver_sm it receives. */
async function connectClient(
  t: { after(fn: () => unknown): void },
  sim: SmscSimulator,
  onDeliver?: (pdu: Deliver) => Promise<unknown> | unknown,
): Promise<{ client: SmppClient; delivers: Deliver[] }> {
  const delivers: Deliver[] = [];
  const client = new SmppClient({
    host: '127.0.0.1',
    port: sim.port,
    bind: { system_id: 'esme1', password: 'pw' },
    reconnect: false,
    throttleRetryDelayMs: 10,
    onDeliver: async (pdu) => {
      delivers.push(pdu);
      if (onDeliver) await onDeliver(pdu);
    },
  });
  client.start();
  await client.ready();
  t.after(() => client.close());
  return { client, delivers };
}

async function rawBind(
  t: { after(fn: () => unknown): void },
  port: number,
  bindType: BindType,
  onDeliver?: (pdu: Pdu) => unknown,
): Promise<SmppSession> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r, j) => socket.once('connect', r).once('error', j));
  const s = new SmppSession(socket, {
    handler: { onRequest: async (pdu) => (await onDeliver?.(pdu)) as undefined },
  });
  await s.bind({ bindType, system_id: 'esme1', password: 'pw' });
  t.after(() => s.close());
  return s;
}

async function until<T>(fn: () => T | undefined | false, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const submitBase = {
  source_addr: '10690001',
  source_addr_ton: 0,
  source_addr_npi: 1,
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  registered_delivery: 1,
};

test('default: unique hex message id, DELIVRD receipt with text and TLVs after the delay', async (t) => {
  const sim = await startSim(t);
  const { client, delivers } = await connectClient(t, sim);
  const [a] = await client.submit(
    buildSubmitSmParts({ ...submitBase, destination_addr: '8613900000000' }, 'Hello €uro'),
  );
  const [b] = await client.submit(
    buildSubmitSmParts({ ...submitBase, destination_addr: '8613900000000' }, 'Second'),
  );
  assert.ok(a.ok && b.ok);
  assert.match(a.message_id, /^[0-9a-f]+$/);
  assert.notEqual(a.message_id, b.message_id);
  await until(() => delivers.length === 2);
  const r = parseDeliveryReceipt(
    delivers.find((d) => parseDeliveryReceipt(d)?.message_id === a.message_id) as Deliver,
  );
  assert.ok(r);
  assert.equal(r.stat, 'DELIVRD');
  assert.equal(r.message_state, 2);
  assert.equal(r.fields.id, a.message_id);
  assert.equal(r.fields.text, 'Hello €uro');
  assert.equal(r.fields.sub, '001');
  assert.equal(r.fields.dlvrd, '001');
  assert.equal(r.err, '000');
  const d = delivers[0] as Pdu<'deliver_sm'>;
  assert.equal(d.esm_class, 0x04);
  assert.equal(d.source_addr, '8613900000000');
  assert.equal(d.destination_addr, '10690001');
  // The simulator counts a receipt once its deliver_sm_resp is back.
  const st = await until(() => sim.stats().receiptsSent === 2 && sim.stats());
  assert.equal(st.submits, 2);
  assert.equal(st.binds, 1);
});

test('registered_delivery 0 gets no receipt; decimal ids when configured', async (t) => {
  const sim = await startSim(t, { messageIdFormat: 'decimal' });
  const { client, delivers } = await connectClient(t, sim);
  const [a] = await client.submit(
    buildSubmitSmParts({ ...submitBase, registered_delivery: 0, destination_addr: '8613900000000' }, 'x'),
  );
  assert.ok(a.ok);
  assert.match(a.message_id, /^\d+$/);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(delivers.length, 0);
});

test('every magic number produces its documented outcome', async (t) => {
  const sim = await startSim(t);
  const { client, delivers } = await connectClient(t, sim);
  const receiptFor = (id: string) =>
    delivers.map((d) => parseDeliveryReceipt(d)).find((r) => r?.message_id === id);
  const submit = (suffix: string, timeoutMs?: number) =>
    client.submit(
      buildSubmitSmParts({ ...submitBase, destination_addr: `861390000${suffix}` }, `magic ${suffix}`),
      { timeoutMs },
    );

  for (const [suffix, stat] of [
    ['1001', 'UNDELIV'],
    ['1002', 'EXPIRED'],
    ['1003', 'REJECTD'],
    ['1009', 'UNKNOWN'],
  ] as const) {
    const [r] = await submit(suffix);
    assert.ok(r.ok, suffix);
    const rc = await until(() => receiptFor(r.message_id));
    assert.equal(rc.stat, stat, suffix);
    assert.equal(rc.fields.dlvrd, '000');
    assert.notEqual(rc.err, '000');
    assert.ok(rc.network_error, 'failure receipts carry network_error_code');
  }

  // 1004: accepted, never a receipt.
  const [r4] = await submit('1004');
  assert.ok(r4.ok);
  // 1005: ESME_RSUBMITFAIL.
  const [r5] = await submit('1005');
  assert.equal(r5.ok, false);
  assert.equal(r5.command_status, 0x45);
  // 1006: throttled once, then accepted (the client retries on ESME_RTHROTTLED).
  const [r6] = await submit('1006');
  assert.ok(r6.ok);
  assert.equal(r6.attempts, 2);
  await until(() => receiptFor(r6.message_id)?.stat === 'DELIVRD');
  // 1007: receipt only after slowReceiptDelayMs (300 ms here, 10 s by default).
  const t7 = Date.now();
  const [r7] = await submit('1007');
  assert.ok(r7.ok);
  await until(() => receiptFor(r7.message_id));
  assert.ok(Date.now() - t7 >= 280, 'slow receipt waited');
  // 1008: no submit_sm_resp at all.
  const [r8] = await submit('1008', 300);
  assert.equal(r8.ok, false);
  assert.equal(r8.command_status, undefined);
  assert.equal(r8.sent, true);

  await new Promise((r) => setTimeout(r, 100));
  assert.equal(receiptFor(r4.message_id), undefined, '1004 never gets a receipt');
  const st = sim.stats();
  assert.equal(st.throttled, 1);
  assert.equal(st.rejected, 1);
  assert.equal(st.unanswered, 1);
  assert.equal(MAGIC_NUMBERS.length, 9);
});

test('configured rules: prefix, regex and probability', async (t) => {
  let n = 0;
  const sim = await startSim(t, {
    random: () => (n++ % 2 === 0 ? 0.01 : 0.99),
    scenario: {
      rules: [
        { prefix: '+44', outcome: 'UNDELIV', probability: 0.05 },
        { pattern: '^1555', outcome: 'SUBMIT_FAIL' },
      ],
    },
  });
  const { client, delivers } = await connectClient(t, sim);
  const [a] = await client.submit(
    buildSubmitSmParts({ ...submitBase, destination_addr: '447700900123' }, 'a'),
  ); // random 0.01 < 0.05
  const [b] = await client.submit(
    buildSubmitSmParts({ ...submitBase, destination_addr: '447700900123' }, 'b'),
  ); // 0.99: default
  const [c] = await client.submit(
    buildSubmitSmParts({ ...submitBase, destination_addr: '15551234567' }, 'c'),
  );
  assert.ok(a.ok && b.ok);
  assert.equal(c.command_status, 0x45);
  await until(() => delivers.length === 2);
  const stats = new Map(
    delivers.map((d) => [parseDeliveryReceipt(d)?.message_id, parseDeliveryReceipt(d)?.stat]),
  );
  assert.equal(stats.get(a.message_id), 'UNDELIV');
  assert.equal(stats.get(b.message_id), 'DELIVRD');
});

test('a long message gets one receipt per part, each with its own id', async (t) => {
  const sim = await startSim(t);
  const { client, delivers } = await connectClient(t, sim);
  const parts = buildSubmitSmParts({ ...submitBase, destination_addr: '8613900000000' }, '长'.repeat(150));
  assert.equal(parts.length, 3);
  const res = await client.submit(parts);
  assert.ok(res.every((r) => r.ok));
  const ids = res.map((r) => (r.ok ? r.message_id : ''));
  assert.equal(new Set(ids).size, 3);
  await until(() => delivers.length === 3);
  assert.deepEqual(delivers.map((d) => parseDeliveryReceipt(d)?.message_id).sort(), [...ids].sort());
});

test('receipts go to a receiver bind of the same system_id, not the transmitter', async (t) => {
  const sim = await startSim(t);
  const got: Pdu[] = [];
  const tx = await rawBind(t, sim.port, 'transmitter', () => assert.fail('transmitter must not receive'));
  await rawBind(t, sim.port, 'receiver', (p) => {
    got.push(p);
  });
  const [part] = buildSubmitSmParts({ ...submitBase, destination_addr: '8613900000000' }, 'cross bind');
  const resp = (await tx.request({ ...part, command: 'submit_sm' })) as Pdu<'submit_sm_resp'>;
  await until(() => got.length === 1);
  assert.equal(parseDeliveryReceipt(got[0] as Deliver)?.message_id, resp.message_id);
});

test('a receipt owed while no receiver is bound, or unanswered, or refused, is redelivered', async (t) => {
  const sim = await startSim(t, {
    redeliveryDelayMs: 50,
    deliverTimeoutMs: 150,
    session: { sweepIntervalMs: 20 },
  });
  const tx = await rawBind(t, sim.port, 'transmitter');
  const [part] = buildSubmitSmParts({ ...submitBase, destination_addr: '8613900000000' }, 'later');
  const resp = (await tx.request({ ...part, command: 'submit_sm' })) as Pdu<'submit_sm_resp'>;
  await new Promise((r) => setTimeout(r, 120)); // due, but nobody can receive: held
  assert.equal(sim.stats().pending, 1);

  let calls = 0;
  const got: Pdu[] = [];
  await rawBind(t, sim.port, 'receiver', (p) => {
    calls++;
    if (calls === 1) return new Promise(() => {}); // "crashed": never answers
    if (calls === 2) return { command_status: 0x64 }; // ESME_RX_T_APPN: try later
    got.push(p);
    return undefined;
  });
  await until(() => got.length === 1);
  assert.equal(parseDeliveryReceipt(got[0] as Deliver)?.message_id, resp.message_id);
  assert.equal(calls, 3);
  await until(() => sim.stats().receiptsSent === 1);
  assert.ok(sim.stats().redeliveries >= 3);
});

test('bind with configured credentials: wrong password refused', async (t) => {
  const sim = await startSim(t, { credentials: [{ systemId: 'esme1', password: 'pw' }] });
  await rawBind(t, sim.port, 'transceiver');
  const socket = net.connect(sim.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const s = new SmppSession(socket);
  await assert.rejects(
    s.bind({ bindType: 'transceiver', system_id: 'esme1', password: 'bad' }),
    (e: Error & { status?: number }) => e.status === 0x0e,
  );
});

test('injectMo: a long UCS-2 MO arrives as UDH-concatenated parts that the reassembler rebuilds', async (t) => {
  const sim = await startSim(t);
  await assert.rejects(sim.injectMo({ from: '+8613900000001', to: '10690001', text: 'x' }), {
    code: 'SIM_NO_RECEIVER',
  });
  const { delivers } = await connectClient(t, sim);
  const text = `退订 ${'你好世界😀'.repeat(20)}`;
  await sim.injectMo({ from: '+8613900000001', to: '106900011234', text });
  assert.ok(delivers.length > 1);
  const re = new Reassembler();
  let done: string | undefined;
  for (const d of delivers) {
    assert.equal(d.data_coding, 8);
    assert.equal(d.esm_class & 0x40, 0x40);
    assert.equal(parseDeliveryReceipt(d), undefined, 'an MO is not a receipt');
    assert.equal(d.source_addr, '8613900000001');
    assert.equal(d.source_addr_ton, 1);
    assert.equal(d.destination_addr, '106900011234');
    const r = re.add(d.source_addr, d.destination_addr, decodeShortMessage(d));
    if (r.status === 'complete') done = r.text;
  }
  assert.equal(done, text);
  await sim.injectMo({ from: '+8613900000001', to: '10690001', text: 'R' });
  const last = delivers.at(-1) as Deliver;
  assert.equal(last.data_coding, 0);
  assert.equal(decodeShortMessage(last).text, 'R');
  await until(() => sim.stats().moDelivered === 2);
});
