import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CommandStatus } from '../../src/smpp/command-status.js';
import type { Pdu } from '../../src/smpp/pdu-types.js';
import { parseDeliveryReceipt } from '../../src/smpp/receipt.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { SmppClient, type SmppClientOptions } from '../../src/smpp/smpp-client.js';
import { SmppConnectorPool } from '../../src/smpp/smpp-connector-pool.js';
import {
  bindErrorSmsc,
  errorOnSubmitSmsc,
  type RunningSmsc,
  receiptBeforeRespSmsc,
  resetOnSubmitSmsc,
  startSmsc,
  throttledSmsc,
} from './helpers/scripted-smsc.js';

const FAST = {
  sweepIntervalMs: 20,
  requestExpiryTimeoutMs: 1000,
  windowWaitTimeoutMs: 1000,
  enquireLinkIntervalMs: 0,
};
const base = { source_addr: 'Swift', destination_addr: '8613800000000', registered_delivery: 1 };

describe('SmppClient', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
  });
  const smsc = async (...a: Parameters<typeof startSmsc>): Promise<RunningSmsc> => {
    const s = await startSmsc(...a);
    cleanup.push(() => s.close());
    return s;
  };
  const client = (c: RunningSmsc, o: Partial<SmppClientOptions> = {}) => {
    const cl = new SmppClient({
      host: '127.0.0.1',
      port: c.port,
      bind: { system_id: 'esme', password: 'pw' },
      session: FAST,
      reconnectInitialDelayMs: 20,
      reconnectMaxDelayMs: 100,
      throttleRetryDelayMs: 20,
      ...o,
    });
    cleanup.push(() => cl.close());
    return cl;
  };

  test('submitSendsAllPartsOfOneMessageInOrderAndReturnsMessageIds', async () => {
    const c = await smsc();
    const cl = client(c);
    cl.start();
    await cl.ready();
    const parts = buildSubmitSmParts(base, 'x'.repeat(400));
    const res = await cl.submit(parts);
    assert.equal(res.length, 3);
    assert.ok(res.every((r) => r.ok));
    assert.deepEqual(
      c.submits.map((p) => p.short_message[5]),
      [1, 2, 3],
    );
    assert.ok(c.submits.every((p) => p.esm_class === 0x40));
  });

  test('throttledPartIsRetriedAfterSlowingDownAndPartsStayInOrder', async () => {
    const c = await smsc(throttledSmsc(2));
    const cl = client(c, { throughput: 50 });
    const throttles: number[] = [];
    cl.on('throttled', (_st, rate) => throttles.push(rate));
    cl.start();
    await cl.ready();
    const res = await cl.submit(buildSubmitSmParts(base, 'y'.repeat(300)));
    assert.ok(
      res.every((r) => r.ok),
      JSON.stringify(res.map((r) => r.ok)),
    );
    assert.equal(res[0].attempts, 3, 'first part was refused twice');
    assert.deepEqual(throttles, [25, 12.5], 'rate halves on each throttle');
    assert.ok(cl.rate < 50);
    // Wire order: part 1, part 1, part 1, part 2.
    assert.deepEqual(
      c.submits.map((p) => p.short_message[5]),
      [1, 1, 1, 2],
    );
  });

  test('msgQueueFullIsTreatedAsThrottling', async () => {
    const c = await smsc(throttledSmsc(1, CommandStatus.ESME_RMSGQFUL));
    const cl = client(c);
    cl.start();
    await cl.ready();
    const [r] = await cl.submit([{ ...base, short_message: Buffer.from('a') }]);
    assert.ok(r.ok && r.attempts === 2);
  });

  test('permanentErrorStopsTheRemainingPartsWhichAreReportedUnsent', async () => {
    const c = await smsc(errorOnSubmitSmsc(CommandStatus.ESME_RINVDSTADR));
    const cl = client(c);
    cl.start();
    await cl.ready();
    const res = await cl.submit(buildSubmitSmParts(base, 'z'.repeat(200)));
    assert.deepEqual(
      res.map((r) => [r.ok, r.command_status, r.ok ? true : r.sent]),
      [
        [false, CommandStatus.ESME_RINVDSTADR, true],
        [false, undefined, false],
      ],
    );
    assert.equal(c.submits.length, 1);
  });

  test('submitWhenNotBoundFailsFastWithNotBound', async () => {
    const c = await smsc();
    const cl = client(c);
    const res = await cl.submit([{ ...base }]);
    assert.ok(!res[0].ok && res[0].error?.name === 'SmppNotBoundError' && res[0].sent === false);
  });

  test('receiptArrivingBeforeSubmitSmRespReachesOnDeliver', async () => {
    let server!: RunningSmsc;
    server = await smsc(receiptBeforeRespSmsc(() => server.server));
    const receipts: string[] = [];
    const cl = client(server, {
      onDeliver: (pdu) => {
        const r = parseDeliveryReceipt(pdu);
        if (r?.message_id) receipts.push(r.message_id);
      },
    });
    cl.start();
    await cl.ready();
    const [r] = await cl.submit([{ ...base, short_message: Buffer.from('hello') }]);
    assert.ok(r.ok);
    assert.deepEqual(receipts, [r.message_id], 'receipt was handled before submit() resolved');
  });

  test('connectionResetMidWindowReturnsInFlightAndClientReconnectsAndRebinds', async () => {
    const c = await smsc(resetOnSubmitSmsc(1));
    const cl = client(c);
    const events: string[] = [];
    let inFlight = -1;
    cl.on('disconnected', (i) => {
      events.push(`disconnected:${i.reason}`);
      inFlight = i.inFlight.length;
    });
    cl.on('bound', () => events.push('bound'));
    cl.start();
    await cl.ready();
    const [r] = await cl.submit([{ ...base, short_message: Buffer.from('a') }]);
    assert.ok(!r.ok && r.error?.name === 'SmppClosedError' && r.sent === true);
    assert.equal(inFlight, 1);
    await cl.ready();
    await new Promise((res) => setTimeout(res, 10));
    if (cl.state !== 'bound') await new Promise((res) => cl.once('bound', () => res(undefined)));
    const [again] = await cl.submit([{ ...base, short_message: Buffer.from('b') }]);
    assert.ok(again.ok, 'after rebind the next submit is accepted');
    assert.deepEqual(events.slice(0, 3), ['bound', 'disconnected:connection', 'bound']);
  });

  test('bindFailureIsReportedAndRetriedWithBackoff', async () => {
    const c = await smsc(bindErrorSmsc());
    const cl = client(c);
    const delays: number[] = [];
    const failures: string[] = [];
    cl.on('bindFailed', (e) => failures.push((e as unknown as { code: string }).code));
    cl.on('reconnecting', (d) => delays.push(d));
    cl.start();
    while (delays.length < 3) await new Promise((r) => setTimeout(r, 20));
    await cl.close();
    assert.ok(failures.every((f) => f === 'SMPP_ERR_BIND_FAILED'));
    assert.ok(delays[1] > delays[0] * 1.2 && delays[2] <= 100 * 1.2, `delays grow to the cap: ${delays}`);
  });

  test('transmitterReceiverPairBindsTwoSessionsAndDeliversOnTheReceiver', async () => {
    const c = await smsc();
    const got: string[] = [];
    const cl = client(c, {
      mode: 'pair',
      onDeliver: (p: Pdu<'deliver_sm' | 'data_sm'>) => void got.push(p.command),
    });
    cl.start();
    await cl.ready();
    assert.equal(cl.transmitter?.bindType, 'transmitter');
    assert.equal(cl.receiver?.bindType, 'receiver');
    const [r] = await cl.submit([{ ...base }]);
    assert.ok(r.ok);
    await c.server.deliver('esme', { source_addr: '1', destination_addr: '2' });
    assert.deepEqual(got, ['deliver_sm']);
  });

  test('connectorPoolSpreadsMessagesAcrossBindsAndKeepsPartsTogether', async () => {
    const c = await smsc();
    const pool = new SmppConnectorPool({
      host: '127.0.0.1',
      port: c.port,
      bind: { system_id: 'esme' },
      session: FAST,
      binds: 3,
    });
    cleanup.push(() => pool.close());
    pool.start();
    await pool.allReady();
    assert.equal(c.server.boundSessions('esme').length, 3);
    const msgs = Array.from({ length: 6 }, (_, i) =>
      buildSubmitSmParts({ ...base, destination_addr: `m${i}` }, 'p'.repeat(200)),
    );
    const bySession = new Map<string, Set<unknown>>();
    c.server.handler = {
      onSubmitSm: (pdu, s) => {
        const set = bySession.get(pdu.destination_addr) ?? new Set();
        set.add(s);
        bySession.set(pdu.destination_addr, set);
        return undefined;
      },
    };
    const res = await Promise.all(msgs.map((m) => pool.submit(m)));
    assert.ok(res.flat().every((r) => r.ok));
    for (const [dest, set] of bySession) assert.equal(set.size, 1, `${dest} parts on one bind`);
    const used = new Set([...bySession.values()].map((s) => [...s][0]));
    assert.ok(used.size > 1, 'messages spread across binds');
  });
});
