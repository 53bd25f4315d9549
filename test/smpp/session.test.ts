import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { CommandStatus } from '../../src/smpp/command-status.js';
import { encodePdu } from '../../src/smpp/pdu-codec.js';
import { SmppSession } from '../../src/smpp/session.js';
import {
  SmppClosedError,
  type SmppStatusError,
  type SmppTimeoutError,
  SmppWindowFullError,
} from '../../src/smpp/smpp-errors.js';
import {
  bindErrorSmsc,
  genericNackOnSubmitSmsc,
  malformedPduSmsc,
  noResponseOnSubmitSmsc,
  type RunningSmsc,
  resetOnSubmitSmsc,
  slowHappySmsc,
  startSmsc,
  unbindOnSubmitSmsc,
} from './helpers/scripted-smsc.js';

const FAST = {
  sweepIntervalMs: 20,
  requestExpiryTimeoutMs: 300,
  windowWaitTimeoutMs: 300,
  enquireLinkIntervalMs: 0,
};

async function connect(smsc: RunningSmsc, config = {}): Promise<SmppSession> {
  const socket = net.connect(smsc.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  return new SmppSession(socket, { config: { ...FAST, ...config } });
}

async function bound(smsc: RunningSmsc, config = {}): Promise<SmppSession> {
  const s = await connect(smsc, config);
  await s.bind({ bindType: 'transceiver', system_id: 'esme', password: 'pw' });
  return s;
}

const submit = (n = 0) => ({
  command: 'submit_sm' as const,
  source_addr: 'S',
  destination_addr: `D${n}`,
  short_message: Buffer.from(`m${n}`),
});

describe('SmppSession against scripted SMSCs', () => {
  const started: RunningSmsc[] = [];
  const smsc = async (...a: Parameters<typeof startSmsc>) => {
    const s = await startSmsc(...a);
    started.push(s);
    return s;
  };
  after(async () => {
    await Promise.all(started.map((s) => s.close()));
  });

  test('bindSucceedsAndStateMovesOpenBindingBound', async () => {
    const c = await smsc();
    const s = await connect(c);
    const states: string[] = [];
    s.on('state', (st) => states.push(st));
    const resp = await s.bind({ bindType: 'transceiver', system_id: 'esme', password: 'pw' });
    assert.equal(resp.command, 'bind_transceiver_resp');
    assert.equal(s.systemId, 'Swiftlet');
    assert.deepEqual(states, ['binding', 'bound']);
    await s.unbind();
    assert.equal(s.closeReason, 'explicit');
    assert.deepEqual(states, ['binding', 'bound', 'unbinding', 'closed']);
  });

  test('bindWithBadCredentialsRejectsWithBindFailedAndCloses', async () => {
    const c = await smsc(bindErrorSmsc(CommandStatus.ESME_RINVPASWD));
    const s = await connect(c);
    await assert.rejects(
      s.bind({ bindType: 'transceiver', system_id: 'esme', password: 'bad' }),
      (e: SmppStatusError) => e.code === 'SMPP_ERR_BIND_FAILED' && e.status === 0x0e,
    );
    await s.closed();
    assert.equal(s.closeReason, 'bindFailed');
  });

  test('requestBeforeBindRejectsWithNotBound', async () => {
    const c = await smsc();
    const s = await connect(c);
    await assert.rejects(s.request(submit()), { code: 'SMPP_ERR_NOT_BOUND' });
    s.close();
  });

  test('noResponseExpiresTheRequestAndFreesTheWindowSlot', async () => {
    const c = await smsc(noResponseOnSubmitSmsc());
    const s = await bound(c, { windowSize: 1 });
    const expired: number[] = [];
    s.on('expired', (e) => expired.push(e.sequence_number));
    await assert.rejects(s.request(submit()), (e: SmppTimeoutError) => e.kind === 'response');
    assert.equal(s.windowStats().count, 0);
    assert.equal(expired.length, 1);
    c.server.handler = {};
    const r = await s.request(submit(1));
    assert.equal(r.command_status, 0, 'slot was freed, next request goes through');
    s.close();
  });

  test('fullWindowMakesTrySendFailFastAndRequestWaitThenTimeOut', async () => {
    const c = await smsc(noResponseOnSubmitSmsc());
    const s = await bound(c, { windowSize: 2, requestExpiryTimeoutMs: 5000, windowWaitTimeoutMs: 100 });
    const held = [s.request(submit(1)), s.request(submit(2))];
    for (const p of held) p.catch(() => {});
    await assert.rejects(s.trySend(submit(3)), SmppWindowFullError);
    await assert.rejects(s.request(submit(4)), (e: SmppTimeoutError) => e.code === 'SMPP_ERR_WINDOW_TIMEOUT');
    assert.equal(s.windowStats().windowWaitTimeouts, 1);
    s.close();
  });

  test('windowNeverExceedsItsSizeAsSeenByTheServer', async () => {
    const c = await smsc(slowHappySmsc(15));
    const s = await bound(c, { windowSize: 3, windowWaitTimeoutMs: 5000 });
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => s.request(submit(i))));
    assert.equal(all.length, 20);
    assert.ok(all.every((r) => r.command_status === 0));
    assert.ok(c.maxOutstanding <= 3, `server saw ${c.maxOutstanding} outstanding`);
    assert.equal(c.maxOutstanding, 3, 'the window was used fully');
    assert.equal(s.windowStats().peak, 3);
    await s.unbind();
  });

  test('genericNackRejectsTheMatchingRequestWithItsStatus', async () => {
    const c = await smsc(genericNackOnSubmitSmsc());
    const s = await bound(c);
    await assert.rejects(
      s.request(submit()),
      (e: SmppStatusError) => e.code === 'SMPP_ERR_NACK' && e.status === CommandStatus.ESME_RSYSERR,
    );
    assert.equal(s.state, 'bound');
    s.close();
  });

  test('unbindByPeerMidWindowHandsBackEveryInFlightRequest', async () => {
    const c = await smsc(unbindOnSubmitSmsc(3));
    const s = await bound(c, { requestExpiryTimeoutMs: 5000 });
    const results = await Promise.allSettled([1, 2, 3].map((i) => s.request(submit(i))));
    await s.closed();
    assert.equal(s.closeReason, 'unbindByPeer');
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const e = (r as PromiseRejectedResult).reason as SmppClosedError;
      assert.ok(e instanceof SmppClosedError);
      assert.equal(e.sent, true);
      assert.equal(e.pdu.command, 'submit_sm');
    }
    assert.deepEqual(
      s
        .inFlight()
        .map((e) => (e.pdu as { destination_addr: string }).destination_addr)
        .sort(),
      ['D1', 'D2', 'D3'],
    );
  });

  test('connectionResetMidWindowRejectsInFlightWithClosedError', async () => {
    const c = await smsc(resetOnSubmitSmsc(2));
    const s = await bound(c, { requestExpiryTimeoutMs: 5000 });
    const closeInfo = new Promise<{ reason: string; n: number }>((r) =>
      s.once('close', (i) => r({ reason: i.reason, n: i.inFlight.length })),
    );
    const results = await Promise.allSettled([s.request(submit(1)), s.request(submit(2))]);
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof SmppClosedError));
    assert.deepEqual(await closeInfo, { reason: 'connection', n: 2 });
  });

  test('malformedPduFromPeerIsNackedAndTheBindIsKept', async () => {
    const c = await smsc(malformedPduSmsc());
    const s = await bound(c);
    const errs: number[] = [];
    s.on('recoverableError', (e) => errs.push(e.status));
    const r = await s.request(submit());
    assert.equal(r.command_status, 0);
    assert.deepEqual(errs, [CommandStatus.ESME_RINVCMDID]);
    assert.equal(s.state, 'bound');
    const again = await s.request(submit(2));
    assert.equal(again.command_status, 0);
    s.close();
  });

  test('enquireLinkIsSentWhenIdleAndAnsweredByThePeer', async () => {
    const c = await smsc();
    const s = await bound(c, { enquireLinkIntervalMs: 60 });
    const seen: string[] = [];
    s.on('pdu', (dir, p) => seen.push(`${dir}:${p.command}`));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(seen.includes('out:enquire_link'));
    assert.ok(seen.includes('in:enquire_link_resp'));
    assert.equal(s.state, 'bound');
    s.close();
  });

  test('unansweredEnquireLinkClosesTheSessionAsDeadLink', async () => {
    // A raw peer that binds us and then goes silent.
    const srv = net.createServer((sock) => {
      sock.once('data', (d) => {
        const seq = d.readUInt32BE(12);
        sock.write(encodePdu({ command: 'bind_transceiver_resp', sequence_number: seq, system_id: 'mute' }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const s = new SmppSession(socket, {
      config: { ...FAST, enquireLinkIntervalMs: 40, requestExpiryTimeoutMs: 100 },
    });
    await s.bind({ bindType: 'transceiver', system_id: 'x' });
    await s.closed();
    assert.equal(s.closeReason, 'enquireLinkTimeout');
    srv.close();
  });

  test('inactivityTimeoutClosesASilentSession', async () => {
    const c = await smsc();
    const s = await bound(c, { inactivityTimeoutMs: 80 });
    await s.closed();
    assert.equal(s.closeReason, 'inactivity');
  });

  test('gracefulUnbindWaitsForTheWindowToDrain', async () => {
    const c = await smsc(slowHappySmsc(60));
    const s = await bound(c);
    const p = s.request(submit());
    await new Promise((r) => setTimeout(r, 5));
    await s.unbind();
    const r = await p;
    assert.equal(r.command_status, 0, 'the outstanding submit got its response before unbind');
    assert.equal(s.closeReason, 'explicit');
  });

  test('incomingDeliverSmIsAckedOnlyAfterTheHandlerResolves', async () => {
    const c = await smsc();
    const socket = net.connect(c.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let handled = false;
    const s = new SmppSession(socket, {
      config: FAST,
      handler: {
        onRequest: async () => {
          await gate;
          handled = true;
          return undefined;
        },
      },
    });
    await s.bind({ bindType: 'transceiver', system_id: 'esme' });
    let ackedEarly = false;
    const delivered = c.server
      .deliver('esme', { source_addr: '1', destination_addr: '2', short_message: Buffer.from('hi') })
      .then((r) => {
        ackedEarly = !handled;
        return r;
      });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ackedEarly, false);
    release();
    const resp = await delivered;
    assert.equal(resp.command, 'deliver_sm_resp');
    assert.equal(ackedEarly, false);
    s.close();
  });

  test('handlerFailureOnDeliverSmAnswersTemporaryAppError', async () => {
    const c = await smsc();
    const socket = net.connect(c.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const s = new SmppSession(socket, {
      config: FAST,
      handler: { onRequest: () => Promise.reject(new Error('db down')) },
    });
    await s.bind({ bindType: 'receiver', system_id: 'esme' });
    const resp = await c.server.deliver('esme', { source_addr: '1', destination_addr: '2' });
    assert.equal(resp.command_status, CommandStatus.ESME_RX_T_APPN);
    s.close();
  });
});
