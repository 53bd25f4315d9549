/**
 * The whole delivery path over real sockets: API-committed messages → Engine → our SMPP client
 * → an SMPP server (src/smpp/smpp-server.ts on port 0, playing the carrier SMSC) → receipt
 * deliver_sm → store → WebhookWorker → a real HTTP receiver.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { silentLogger } from '../../src/engine/logger.js';
import { CommandStatus } from '../../src/smpp/command-status.js';
import type { Pdu } from '../../src/smpp/pdu-types.js';
import { formatReceiptText } from '../../src/smpp/receipt.js';
import { SmppServer } from '../../src/smpp/smpp-server.js';
import type { AppRecord, ConnectorRecord, NewMessage } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { WebhookWorker } from '../../src/webhooks/webhook-worker.js';
import { createTestStore, type TestStore } from '../store/engines.js';
import { newMessage, newTestApp } from '../store/fixtures.js';
import { type Receiver, startReceiver } from '../webhooks/helpers/receiver.js';
import { testEngineConfig, until } from './helpers/engine-harness.js';
import { newConnector } from './helpers/recording-link.js';

const CONFIG = testEngineConfig(3_600_000);

describe('delivery over SMPP to a real SMPP server', () => {
  let t: TestStore;
  let store: Store;
  let smsc: SmppServer;
  let rx: Receiver;
  let app: AppRecord;
  let connector: ConnectorRecord;
  let engine: Engine;
  let worker: WebhookWorker;
  let submits: Array<Pdu<'submit_sm'>>;

  beforeEach(async () => {
    t = await createTestStore();
    store = t.store;
    submits = [];
    smsc = new SmppServer({ systemId: 'SMSC' });
    smsc.handler = {
      onSubmitSm: (pdu) => {
        submits.push(pdu);
        return { message_id: `00${smsc.nextMessageId().toUpperCase()}` };
      },
    };
    const port = await smsc.listen(0);
    rx = await startReceiver();
    app = await newTestApp(store);
    connector = await store.createConnector(newConnector({ port, systemId: 'swiftlet', msgIdType: 'hex' }));
    await store.createRoute({
      name: 'all',
      priority: 1,
      match: {},
      connectorIds: [connector.id],
      strategy: 'failover',
      enabled: true,
    });
    engine = new Engine({ store, config: CONFIG, log: silentLogger, nodeId: 'n1' });
    engine.start();
    await engine.ready();
    await until(async () => engine.status().connectors[0]?.ready === true);
    worker = new WebhookWorker({
      store,
      config: {
        webhooks: {
          timeoutMs: 1_000,
          maxAgeMs: 3_600_000,
          allowPrivate: false,
          allowLoopback: true,
          batchDelayMs: 20,
          pollMs: 10,
        },
      },
      log: silentLogger,
      nodeId: 'n1',
    });
    worker.start();
  });
  afterEach(async () => {
    await worker.stop();
    await engine.stop();
    await smsc.close();
    await rx.close();
    await t.cleanup();
  });

  const send = async (over: Partial<NewMessage> = {}) => {
    const m = newMessage(app, { statusCallback: rx.url('/report'), ...over });
    await store.acceptMessages([m]);
    return m;
  };
  const receipt = (id: string, stat: 'DELIVRD' | 'UNDELIV', to: string) =>
    smsc.deliver('swiftlet', {
      source_addr: to.replace('+', ''),
      destination_addr: 'csms00000001',
      esm_class: 0x04,
      data_coding: 0,
      short_message: Buffer.from(
        formatReceiptText({ id, stat, submitDate: new Date(), doneDate: new Date() }),
        'latin1',
      ),
    });

  it('submits with registered_delivery, matches the receipt and pushes the status report', async () => {
    const m = await send({ content: 'Your code is 1234', encoding: 'GSM7', extend: 'x1' });
    await until(async () => submits.length === 1);
    const s = submits[0];
    assert.equal(s.destination_addr, m.to.slice(1));
    assert.equal(s.source_addr, 'csms00000001');
    assert.equal(s.registered_delivery, 1);
    assert.equal(s.data_coding, 0);
    assert.equal(s.short_message.toString('latin1'), 'Your code is 1234');
    await until(async () => (await store.getMessageDetail(m.smsMsgId))?.message.state === 'SUBMITTED');
    // The SMSC answered "001"; its receipt says "1" (hex mode: the same id).
    const resp = await receipt('1', 'DELIVRD', m.to);
    assert.equal(resp.command_status, CommandStatus.ESME_ROK);
    const [got] = await rx.waitFor(1);
    const body = Object.fromEntries(new URLSearchParams(got.body));
    assert.equal(body.smsMsgId, m.smsMsgId);
    assert.equal(body.status, 'DELIVRD');
    assert.equal(body.source, '2');
    assert.equal(body.extend, 'x1');
    assert.equal(body.to, m.to);
    assert.match(body.updateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await store.getMessageDetail(m.smsMsgId))?.message.state, 'DELIVERED');
  });

  it('a long message goes out as UDH parts and gives one report per part', async () => {
    const content = '测'.repeat(100); // UCS-2, 2 parts of ≤ 67
    const m = await send({ content, encoding: 'UCS2', total: 2 });
    await until(async () => submits.length === 2);
    for (const s of submits) {
      assert.equal(s.data_coding, 8);
      assert.equal(s.esm_class & 0x40, 0x40);
    }
    await until(async () => (await store.getMessageDetail(m.smsMsgId))?.message.state === 'SUBMITTED');
    await receipt('1', 'DELIVRD', m.to);
    await receipt('2', 'DELIVRD', m.to);
    const got = await rx.waitFor(2);
    const seqs = got
      .map((r) => Object.fromEntries(new URLSearchParams(r.body)))
      .map((b) => `${b.sequence}/${b.total}`);
    assert.deepEqual(seqs.sort(), ['1/2', '2/2']);
    assert.equal((await store.getMessageDetail(m.smsMsgId))?.message.state, 'DELIVERED');
  });

  it('a submit_sm_resp error becomes REJECTED with the SMPP error name', async () => {
    smsc.handler = { onSubmitSm: () => ({ command_status: CommandStatus.ESME_RSUBMITFAIL }) };
    const m = await send();
    const [got] = await rx.waitFor(1);
    const body = Object.fromEntries(new URLSearchParams(got.body));
    assert.equal(body.status, 'ESME_RSUBMITFAIL');
    assert.equal(body.source, '2');
    assert.equal(body.updateTime, undefined);
    assert.equal((await store.getMessageDetail(m.smsMsgId))?.message.state, 'REJECTED');
  });

  it('a receipt that fails to commit is answered with an error (the SMSC redelivers)', async () => {
    const m = await send();
    await until(async () => (await store.getMessageDetail(m.smsMsgId))?.message.state === 'SUBMITTED');
    const original = store.applyReceipts.bind(store);
    store.applyReceipts = async () => {
      throw new Error('disk full');
    };
    const resp = await receipt('1', 'DELIVRD', m.to);
    assert.notEqual(resp.command_status, CommandStatus.ESME_ROK);
    store.applyReceipts = original;
    const again = await receipt('1', 'DELIVRD', m.to);
    assert.equal(again.command_status, CommandStatus.ESME_ROK);
    assert.equal((await store.getMessageDetail(m.smsMsgId))?.message.state, 'DELIVERED');
  });

  it('an MO deliver_sm reaches the app uplink address', async () => {
    await store.updateApp(app.id, { uplinkUrl: rx.url('/mo') });
    const sig = await store.createSignature({ appId: app.id, name: 'Shop', type: 'NOTIFY_TYPE' });
    const ch = (await store.approveSignature(sig.id))?.channelNumber as string;
    const resp = await smsc.deliver('swiftlet', {
      source_addr: '8613700000001',
      source_addr_ton: 1,
      destination_addr: ch,
      esm_class: 0,
      data_coding: 0,
      short_message: Buffer.from('Hi there', 'latin1'),
    });
    assert.equal(resp.command_status, CommandStatus.ESME_ROK);
    const [got] = await rx.waitFor(1);
    assert.equal(got.path, '/mo');
    const body = Object.fromEntries(new URLSearchParams(got.body));
    assert.equal(body.from, '+8613700000001');
    assert.equal(body.to, ch);
    assert.equal(body.body, 'Hi there');
  });
});
