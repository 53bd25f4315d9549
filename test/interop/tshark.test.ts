/**
 * Interop: Wireshark's SMPP dissector (tshark, Debian package `tshark`) is an independent
 * decoder for the bytes our codec writes. A real session — our SmppClient against our
 * simulator — runs through a recording TCP proxy; the recorded chunks become a pcap
 * (text2pcap, both directions), and tshark must read back the field values we meant: bind,
 * GSM-7 and concatenated UCS-2 submit_sm (UDH reference / parts), submit_sm_resp ids, receipts
 * with their TLVs, a concatenated UCS-2 MO, unbind.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SmscSimulator } from '../../src/simulator/smsc-simulator.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import { pollUntil, requirePeer } from './helpers/peers.js';

const TSHARK = '/usr/bin/tshark';
const TEXT2PCAP = '/usr/bin/text2pcap';
const SMPP_PORT = 2775;

/** A TCP proxy that records every chunk with its direction (O = client → SMSC, I = back). */
async function recordingProxy(
  target: number,
): Promise<{ port: number; chunks: Array<{ dir: 'I' | 'O'; data: Buffer }>; close(): Promise<void> }> {
  const chunks: Array<{ dir: 'I' | 'O'; data: Buffer }> = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('data', (d) => {
      chunks.push({ dir: 'O', data: Buffer.from(d) });
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      chunks.push({ dir: 'I', data: Buffer.from(d) });
      client.write(d);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    chunks,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** text2pcap's hex dump: one packet per chunk, `I`/`O` direction markers (text2pcap -D). */
function hexDump(chunks: Array<{ dir: 'I' | 'O'; data: Buffer }>): string {
  let out = '';
  for (const c of chunks) {
    out += `${c.dir}\n`;
    for (let off = 0; off < c.data.length; off += 16) {
      const hex = [...c.data.subarray(off, off + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      out += `${off.toString(16).padStart(6, '0')} ${hex}\n`;
    }
  }
  return out;
}

const FIELDS = [
  'smpp.command_id',
  'smpp.sequence_number',
  'smpp.system_id',
  'smpp.interface_version',
  'smpp.source_addr',
  'smpp.destination_addr',
  'smpp.data_coding',
  'smpp.message_text',
  'smpp.message_id',
  'smpp.receipted_message_id',
  'smpp.message_state',
  'gsm_sms.udh.mm.msg_id',
  'gsm_sms.udh.mm.msg_parts',
  'gsm_sms.udh.mm.msg_part',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

test('tshark decodes the PDUs our codec wrote in a real session with the values we meant', {
  timeout: 30_000,
}, async (t) => {
  requirePeer(TSHARK, 'tshark');
  requirePeer(TEXT2PCAP, 'tshark');
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-tshark-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  const sim = new SmscSimulator({ scenario: { receiptDelayMs: 10 } });
  await sim.listen();
  t.after(() => sim.close());
  const proxy = await recordingProxy(sim.port);
  t.after(() => proxy.close());

  const delivers: unknown[] = [];
  const client = new SmppClient({
    host: '127.0.0.1',
    port: proxy.port,
    bind: { system_id: 'swiftlet', password: 'pw' },
    reconnect: false,
    onDeliver: (p) => void delivers.push(p),
  });
  client.start();
  await client.ready();
  const base = {
    source_addr: '10690001',
    destination_addr: '8613900000000',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    registered_delivery: 1,
  };
  const ucsText = '你好世界'.repeat(20);
  const [gsm] = await client.submit(buildSubmitSmParts(base, 'Hello Swiftlet {€5} [x]'));
  const ucs = await client.submit(buildSubmitSmParts(base, ucsText, { reference: 0x2a }));
  assert.ok(gsm.ok && ucs.every((r) => r.ok));
  await pollUntil('3 receipts', () => delivers.length === 3, 5_000);
  const moText = `MO ${'😀你好'.repeat(30)}`;
  await sim.injectMo({ from: '+8613900000001', to: '106900011234', text: moText });
  await client.close();

  const dump = join(dir, 'session.txt');
  const pcap = join(dir, 'session.pcap');
  writeFileSync(dump, hexDump(proxy.chunks));
  execFileSync(TEXT2PCAP, ['-q', '-D', '-T', `40000,${SMPP_PORT}`, dump, pcap]);
  // data_coding 0 is "SMSC default alphabet"; tell tshark it is GSM 7-bit unpacked, as we mean it.
  const out = execFileSync(
    TSHARK,
    [
      '-r',
      pcap,
      '-d',
      `tcp.port==${SMPP_PORT},smpp`,
      '-o',
      'smpp.decode_sms_over_smpp:GSM 7-bit',
      '-T',
      'fields',
      '-E',
      'separator=\t',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=;',
      ...FIELDS.flatMap((f) => ['-e', f]),
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  // One line per frame; a frame may hold several PDUs (aggregated with ';') — split them.
  const rows: Row[] = [];
  for (const line of out.split('\n').filter((l) => l.trim() !== '')) {
    const cols = line.split('\t').map((c) => c.split(';'));
    const n = cols[0].length;
    for (let i = 0; i < n; i++)
      rows.push(Object.fromEntries(FIELDS.map((f, k) => [f, cols[k]?.[i] ?? ''])) as Row);
  }
  const byCmd = (id: number) => rows.filter((r) => Number(r['smpp.command_id']) === id);

  const [bind] = byCmd(0x09);
  assert.equal(bind['smpp.system_id'], 'swiftlet');
  assert.equal(Number(bind['smpp.interface_version']), 0x34);
  assert.equal(byCmd(0x80000009).length, 1, 'bind_transceiver_resp');

  const submits = byCmd(0x04);
  assert.equal(submits.length, 3);
  assert.equal(Number(submits[0]['smpp.data_coding']), 0);
  assert.equal(submits[0]['smpp.destination_addr'], '8613900000000');
  assert.equal(submits[0]['smpp.message_text'], 'Hello Swiftlet {€5} [x]');
  const ucsRows = submits.slice(1);
  for (const [i, r] of ucsRows.entries()) {
    assert.equal(Number(r['smpp.data_coding']), 8);
    assert.equal(Number(r['gsm_sms.udh.mm.msg_id']), 0x2a);
    assert.equal(Number(r['gsm_sms.udh.mm.msg_parts']), 2);
    assert.equal(Number(r['gsm_sms.udh.mm.msg_part']), i + 1);
  }
  assert.equal(ucsRows.map((r) => r['smpp.message_text']).join(''), ucsText);

  // submit_sm_resp ids, and the receipts that repeat them in receipted_message_id.
  const respIds = byCmd(0x80000004).map((r) => r['smpp.message_id']);
  assert.deepEqual(
    respIds,
    [gsm, ...ucs].map((r) => (r.ok ? r.message_id : '')),
  );
  const delivered = byCmd(0x05);
  const receipts = delivered.filter((r) => r['smpp.receipted_message_id'] !== '');
  assert.deepEqual(receipts.map((r) => r['smpp.receipted_message_id']).sort(), [...respIds].sort());
  for (const r of receipts) {
    assert.equal(Number(r['smpp.message_state']), 2);
    assert.match(
      r['smpp.message_text'],
      new RegExp(`^id:${r['smpp.receipted_message_id']} sub:001 dlvrd:001 .* stat:DELIVRD err:000`),
    );
    assert.equal(r['smpp.source_addr'], '8613900000000');
  }

  // The injected MO: concatenated UCS-2 (surrogate pairs split across parts are fine once joined).
  const mo = delivered.filter((r) => r['smpp.receipted_message_id'] === '');
  assert.ok(mo.length >= 2);
  const ref = mo[0]['gsm_sms.udh.mm.msg_id'];
  for (const [i, r] of mo.entries()) {
    assert.equal(Number(r['smpp.data_coding']), 8);
    assert.equal(r['smpp.source_addr'], '8613900000001');
    assert.equal(r['gsm_sms.udh.mm.msg_id'], ref);
    assert.equal(Number(r['gsm_sms.udh.mm.msg_parts']), mo.length);
    assert.equal(Number(r['gsm_sms.udh.mm.msg_part']), i + 1);
  }
  assert.equal(byCmd(0x06).length, 1, 'unbind');
  assert.equal(byCmd(0x80000006).length, 1, 'unbind_resp');
});
