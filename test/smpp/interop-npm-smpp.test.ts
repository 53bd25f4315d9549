/**
 * Interop with an SMPP implementation we did not write: the npm `smpp` package (test peer
 * only). Our client against its server, and its client against our server.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type net from 'node:net';
import { describe, test } from 'node:test';
import type { Pdu } from '../../src/smpp/pdu-types.js';
import { parseDeliveryReceipt } from '../../src/smpp/receipt.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { decodeShortMessage } from '../../src/smpp/short-message-decoder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import { SmppServer } from '../../src/smpp/smpp-server.js';

// biome-ignore lint/suspicious/noExplicitAny: untyped CommonJS test peer
const smpp: any = createRequire(import.meta.url)('smpp');

describe('interop with npm smpp', () => {
  test('ourClientBindsToNpmSmppServerSubmitsConcatenatedUcs2AndReceivesAReceipt', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: untyped peer
    const got: any[] = [];
    let bindSeen: { system_id: string; password: string; interface_version: number } | undefined;
    // biome-ignore lint/suspicious/noExplicitAny: untyped peer
    const server = smpp.createServer((session: any) => {
      // biome-ignore lint/suspicious/noExplicitAny: untyped peer
      session.on('bind_transceiver', (pdu: any) => {
        bindSeen = {
          system_id: pdu.system_id,
          password: pdu.password,
          interface_version: pdu.interface_version,
        };
        session.send(pdu.response());
      });
      // biome-ignore lint/suspicious/noExplicitAny: untyped peer
      session.on('submit_sm', (pdu: any) => {
        got.push(pdu);
        const id = `npm${got.length}`;
        session.send(pdu.response({ message_id: id }));
        if (got.length === 2) {
          session.deliver_sm({
            source_addr: pdu.destination_addr,
            destination_addr: pdu.source_addr,
            esm_class: 4,
            short_message: `id:${id} sub:001 dlvrd:001 submit date:2501011200 done date:2501011201 stat:DELIVRD err:000 text:`,
          });
        }
      });
      // biome-ignore lint/suspicious/noExplicitAny: untyped peer
      session.on('unbind', (pdu: any) => {
        session.send(pdu.response());
        session.close();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const receipts: string[] = [];
    let gotReceipt!: () => void;
    const receiptSeen = new Promise<void>((r) => {
      gotReceipt = r;
    });
    const client = new SmppClient({
      host: '127.0.0.1',
      port,
      bind: { system_id: 'esme', password: 'pw' },
      session: { enquireLinkIntervalMs: 0, sweepIntervalMs: 20 },
      onDeliver: (pdu: Pdu<'deliver_sm' | 'data_sm'>) => {
        const r = parseDeliveryReceipt(pdu);
        if (r?.message_id) receipts.push(`${r.message_id}:${r.stat}`);
        gotReceipt();
      },
    });
    client.start();
    await client.ready();
    const text = '你好世界'.repeat(20);
    const res = await client.submit(
      buildSubmitSmParts({ source_addr: 'Swift', destination_addr: '8613800000000' }, text, { reference: 9 }),
    );
    assert.deepEqual(
      res.map((r) => r.ok && r.message_id),
      ['npm1', 'npm2'],
    );
    assert.deepEqual(bindSeen, { system_id: 'esme', password: 'pw', interface_version: 0x34 });
    assert.equal(got[0].data_coding, 8);
    assert.equal(got[0].esm_class, 0x40);
    // npm smpp splits the UDH off and decodes UCS-2 itself: an independent reading of our bytes.
    assert.equal(got.map((p) => p.short_message.message).join(''), text);
    assert.deepEqual([...got[1].short_message.udh[0]], [0, 3, 9, 2, 2], 'IEI 0x00, ref 9, part 2 of 2');
    await receiptSeen;
    assert.deepEqual(receipts, ['npm2:DELIVRD']);
    await client.close();
    await new Promise((r) => server.close(r));
  });

  test('npmSmppClientBindsToOurServerWithInterfaceVersion0x50AndSubmits', async () => {
    const server = new SmppServer({ sessionConfig: { enquireLinkIntervalMs: 0, sweepIntervalMs: 20 } });
    const binds: number[] = [];
    const submits: Array<Pdu<'submit_sm'>> = [];
    server.handler = {
      authenticate: (req) => {
        binds.push(req.interface_version);
        return req.password === 'pw' ? 0 : 0x0e;
      },
      onSubmitSm: (pdu) => {
        submits.push(pdu);
        return { message_id: 'ours-1' };
      },
    };
    const port = await server.listen(0);
    const session = smpp.connect({ host: '127.0.0.1', port });
    await new Promise((r) => session.on('connect', r));
    // biome-ignore lint/suspicious/noExplicitAny: untyped peer
    const bindResp: any = await new Promise((r) =>
      session.bind_transceiver({ system_id: 'peer', password: 'pw' }, r),
    );
    assert.equal(bindResp.command_status, 0);
    assert.equal(bindResp.system_id, 'Swiftlet');
    assert.deepEqual(binds, [0x50], 'the npm client sends interface_version 0x50; we accept it');
    // biome-ignore lint/suspicious/noExplicitAny: untyped peer
    const delivered = new Promise<any>((r) =>
      // biome-ignore lint/suspicious/noExplicitAny: untyped peer
      session.on('deliver_sm', (pdu: any) => {
        session.send(pdu.response());
        r(pdu);
      }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: untyped peer
    const resp: any = await new Promise((r) =>
      session.submit_sm(
        {
          source_addr: '100',
          destination_addr: '200',
          short_message: 'Hello from npm',
          registered_delivery: 1,
        },
        r,
      ),
    );
    assert.equal(resp.command_status, 0);
    assert.equal(resp.message_id, 'ours-1');
    assert.equal(submits[0].destination_addr, '200');
    assert.equal(decodeShortMessage(submits[0]).text, 'Hello from npm');
    const drResp = await server.deliver('peer', {
      source_addr: '200',
      destination_addr: '100',
      esm_class: 4,
      short_message: Buffer.from('id:ours-1 stat:DELIVRD'),
    });
    assert.equal(drResp.command_status, 0);
    const dr = await delivered;
    assert.equal(dr.short_message.message, 'id:ours-1 stat:DELIVRD');
    // biome-ignore lint/suspicious/noExplicitAny: untyped peer
    const unbindResp: any = await new Promise((r) => session.unbind(r));
    assert.equal(unbindResp.command, 'unbind_resp');
    session.close();
    await server.close();
  });
});
