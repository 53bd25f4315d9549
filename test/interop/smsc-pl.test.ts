/**
 * Interop: our SMPP client (src/smpp SmppClient) delivers through Net::SMPP's example SMSC
 * `smsc.pl` (Debian package `libnet-smpp-perl`), an SMSC with an independent Perl codec:
 * bind_transceiver, submit_sm (short and concatenated UCS-2), enquire_link, unbind.
 * smsc.pl listens on a fixed port (9900), so a copy with the port edited runs in a temp dir.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pdu, PduInput } from '../../src/smpp/pdu-types.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import { freePort, pollUntil, requirePeer, spawnPeer } from './helpers/peers.js';

const SMSC_PL = '/usr/share/doc/libnet-smpp-perl/examples/smsc.pl';

test('our client binds, submits, keeps the link alive and unbinds against Net::SMPP smsc.pl', { timeout: 30_000 }, async (t) => {
  requirePeer(SMSC_PL, 'libnet-smpp-perl');
  requirePeer('/usr/bin/perl', 'perl');
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-smscpl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const script = join(dir, 'smsc.pl');
  copyFileSync(SMSC_PL, script);
  const src = readFileSync(script, 'utf8');
  assert.match(src, /\$port = 9900;/, 'smsc.pl still sets its port the way this test edits it');
  writeFileSync(script, src.replace('$port = 9900;', `$port = ${port};`).replace("$host = 'localhost';", "$host = '127.0.0.1';"));

  const smsc = spawnPeer('/usr/bin/perl', [script, '3'], { cwd: dir });
  t.after(() => smsc.stop());
  await pollUntil('smsc.pl to listen', () => smsc.output().includes('Entering accept loop'), 10_000, smsc.output);

  const client = new SmppClient({
    host: '127.0.0.1',
    port,
    mode: 'transceiver',
    bind: { system_id: 'swiftlet', password: 'secret' },
    reconnect: false,
    session: { enquireLinkIntervalMs: 200, sweepIntervalMs: 50 },
  });
  t.after(() => client.close());
  client.start();
  await pollUntil('the bind', async () => {
    await client.ready();
    return true;
  }, 10_000, smsc.output);
  const session = client.transmitter;
  assert.ok(session);
  assert.equal(session.bindType, 'transceiver');
  const seen: Array<PduInput | Pdu> = [];
  session.on('pdu', (dir, pdu) => {
    if (dir === 'in') seen.push(pdu);
  });

  const base = { source_addr: '10690001', destination_addr: '8613900000000', dest_addr_ton: 1, dest_addr_npi: 1, registered_delivery: 1 };
  const [one] = await client.submit(buildSubmitSmParts(base, 'Hello from Swiftlet €'));
  assert.ok(one.ok, JSON.stringify(one));
  assert.equal(one.message_id, '123456789', "smsc.pl's constant id");
  const long = await client.submit(buildSubmitSmParts(base, '你好世界'.repeat(30)));
  assert.equal(long.length, 2);
  assert.ok(long.every((r) => r.ok));

  // Idle: our session sends enquire_link, smsc.pl answers it.
  await pollUntil('an enquire_link_resp', () => seen.some((p) => p.command === 'enquire_link_resp'), 5_000, smsc.output);

  await client.close();
  assert.equal(session.closeReason, 'explicit');
  assert.ok(seen.some((p) => p.command === 'unbind_resp'), 'smsc.pl answered our unbind');
  // smsc.pl's connection child prints what it received (decimal command ids) and exits on unbind.
  const out = await pollUntil('smsc.pl log of the session', () => /Received #\d+ 6:unbind/.test(smsc.output()) && smsc.output(), 5_000, smsc.output);
  assert.match(out, /Received #\d+ 9:bind_transceiver/);
  assert.equal(out.match(/Received #\d+ 4:submit_sm/g)?.length, 3);
  assert.match(out, /Received #\d+ 21:enquire_link/);
});
