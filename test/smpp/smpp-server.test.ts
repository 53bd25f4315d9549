import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import {
  COMMAND_STATUSES,
  CommandStatus,
  commandStatusInfo,
  isThrottleStatus,
} from '../../src/smpp/command-status.js';
import { SmppSession } from '../../src/smpp/session.js';
import { SmppServer } from '../../src/smpp/smpp-server.js';

const FAST = { sweepIntervalMs: 20, enquireLinkIntervalMs: 0 };

async function esme(
  port: number,
  bindType: 'transmitter' | 'receiver' | 'transceiver',
  system_id = 'acct',
): Promise<SmppSession> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const s = new SmppSession(socket, { config: FAST });
  await s.bind({ bindType, system_id, password: 'pw' });
  return s;
}

describe('SmppServer', () => {
  test('dispatchesEachRequestKindToItsCallbackWithSpecDefaults', async () => {
    const server = new SmppServer({ sessionConfig: FAST });
    const port = await server.listen(0);
    const s = await esme(port, 'transceiver');
    const sub = await s.request({ command: 'submit_sm', destination_addr: '1' });
    assert.equal(sub.command, 'submit_sm_resp');
    assert.equal(sub.command === 'submit_sm_resp' && sub.message_id, '1');
    assert.equal(
      (await s.request({ command: 'query_sm', message_id: '1' })).command_status,
      CommandStatus.ESME_RQUERYFAIL,
    );
    assert.equal(
      (await s.request({ command: 'cancel_sm', message_id: '1' })).command_status,
      CommandStatus.ESME_RCANCELFAIL,
    );
    assert.equal(
      (await s.request({ command: 'replace_sm', message_id: '1' })).command_status,
      CommandStatus.ESME_RREPLACEFAIL,
    );
    assert.equal((await s.request({ command: 'data_sm' })).command, 'data_sm_resp');
    assert.equal((await s.request({ command: 'enquire_link' })).command, 'enquire_link_resp');
    server.handler = { onQuerySm: (p) => ({ message_id: p.message_id, message_state: 2, final_date: '' }) };
    const q = await s.request({ command: 'query_sm', message_id: 'abc' });
    assert.ok(q.command === 'query_sm_resp' && q.message_state === 2 && q.message_id === 'abc');
    await s.unbind();
    await server.close();
  });

  test('receiverBindCannotSubmitAndTransmitterCannotReceiveDeliverSm', async () => {
    const server = new SmppServer({ sessionConfig: FAST });
    const port = await server.listen(0);
    const rx = await esme(port, 'receiver');
    assert.equal((await rx.request({ command: 'submit_sm' })).command_status, CommandStatus.ESME_RINVBNDSTS);
    const tx = await esme(port, 'transmitter', 'other');
    await assert.rejects(server.deliver('other', { short_message: Buffer.from('x') }), {
      code: 'SMPP_ERR_NOT_BOUND',
    });
    assert.equal((await server.deliver('acct', { short_message: Buffer.from('x') })).command_status, 0);
    rx.close();
    tx.close();
    await server.close();
  });

  test('authenticateCallbackSeesCredentialsAndCanRefuse', async () => {
    const server = new SmppServer({
      sessionConfig: FAST,
      handler: {
        authenticate: (r) =>
          r.password === 'pw' && r.bindType === 'transceiver' ? 0 : CommandStatus.ESME_RINVPASWD,
      },
    });
    const port = await server.listen(0);
    const ok = await esme(port, 'transceiver');
    assert.equal(server.boundSessions('acct').length, 1);
    await assert.rejects(esme(port, 'receiver'), { code: 'SMPP_ERR_BIND_FAILED' });
    ok.close();
    await server.close();
  });

  test('requestBeforeBindIsAnsweredWithInvalidBindStatus', async () => {
    const server = new SmppServer({ sessionConfig: FAST });
    const port = await server.listen(0);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const s = new SmppSession(socket, { config: FAST });
    // enquire_link is allowed before bind; submit is answered ESME_RINVBNDSTS by the server.
    assert.equal((await s.request({ command: 'enquire_link' })).command, 'enquire_link_resp');
    s.close();
    await server.close();
  });
});

describe('command_status catalogue', () => {
  test('codes and names are unique and throttling statuses are retryable', () => {
    assert.equal(new Set(COMMAND_STATUSES.map((s) => s.code)).size, COMMAND_STATUSES.length);
    assert.equal(new Set(COMMAND_STATUSES.map((s) => s.name)).size, COMMAND_STATUSES.length);
    assert.equal(CommandStatus.ESME_RTHROTTLED, 0x58);
    assert.equal(CommandStatus.ESME_RMSGQFUL, 0x14);
    assert.equal(CommandStatus.ESME_RSUBMITFAIL, 0x45);
    assert.ok(isThrottleStatus(0x58) && isThrottleStatus(0x14) && !isThrottleStatus(0x45));
    assert.equal(commandStatusInfo(0x401).name, 'ESME_0x00000401');
    assert.match(commandStatusInfo(0x401).description, /vendor/);
  });
});
