/**
 * Interop: our SMPP client (src/smpp SmppClient) delivers through Net::SMPP's example SMSC
 * `smsc.pl` (Debian package `libnet-smpp-perl`), an SMSC with an independent Perl codec:
 * bind_transceiver, submit_sm (short and concatenated UCS-2), enquire_link, unbind — once with
 * the bare client, once through the engine's SMPP carrier link (src/engine/smpp-carrier-link.ts).
 * smsc.pl listens on a fixed port (9900), so a copy with the port edited runs in a temp dir.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/engine/logger.js';
import { createSmppLinkFactory } from '../../src/engine/smpp-carrier-link.js';
import type { Pdu, PduInput } from '../../src/smpp/pdu-types.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import type { ConnectorRecord } from '../../src/store/records.js';
import type { ClaimedMessage } from '../../src/store/store.js';
import { freePort, pollUntil, requirePeer, spawnPeer } from './helpers/peers.js';

const SMSC_PL = '/usr/share/doc/libnet-smpp-perl/examples/smsc.pl';

/** Starts a copy of smsc.pl on a free port (its port is fixed in the script). */
async function startSmscPl(t: {
  after(fn: () => unknown): void;
}): Promise<{ port: number; output(): string }> {
  requirePeer(SMSC_PL, 'libnet-smpp-perl');
  requirePeer('/usr/bin/perl', 'perl');
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-smscpl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const script = join(dir, 'smsc.pl');
  copyFileSync(SMSC_PL, script);
  const src = readFileSync(script, 'utf8');
  assert.match(src, /\$port = 9900;/, 'smsc.pl still sets its port the way this test edits it');
  writeFileSync(
    script,
    src.replace('$port = 9900;', `$port = ${port};`).replace("$host = 'localhost';", "$host = '127.0.0.1';"),
  );
  const smsc = spawnPeer('/usr/bin/perl', [script, '3'], { cwd: dir });
  t.after(() => smsc.stop());
  await pollUntil(
    'smsc.pl to listen',
    () => smsc.output().includes('Entering accept loop'),
    10_000,
    smsc.output,
  );
  return { port, output: smsc.output };
}

test('our client binds, submits, keeps the link alive and unbinds against Net::SMPP smsc.pl', {
  timeout: 30_000,
}, async (t) => {
  const { port, output } = await startSmscPl(t);
  const smsc = { output };

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
  await pollUntil(
    'the bind',
    async () => {
      await client.ready();
      return true;
    },
    10_000,
    smsc.output,
  );
  const session = client.transmitter;
  assert.ok(session);
  assert.equal(session.bindType, 'transceiver');
  const seen: Array<PduInput | Pdu> = [];
  session.on('pdu', (dir, pdu) => {
    if (dir === 'in') seen.push(pdu);
  });

  const base = {
    source_addr: '10690001',
    destination_addr: '8613900000000',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    registered_delivery: 1,
  };
  const [one] = await client.submit(buildSubmitSmParts(base, 'Hello from Swiftlet €'));
  assert.ok(one.ok, JSON.stringify(one));
  assert.equal(one.message_id, '123456789', "smsc.pl's constant id");
  const long = await client.submit(buildSubmitSmParts(base, '你好世界'.repeat(30)));
  assert.equal(long.length, 2);
  assert.ok(long.every((r) => r.ok));

  // Idle: our session sends enquire_link, smsc.pl answers it.
  await pollUntil(
    'an enquire_link_resp',
    () => seen.some((p) => p.command === 'enquire_link_resp'),
    5_000,
    smsc.output,
  );

  await client.close();
  assert.equal(session.closeReason, 'explicit');
  assert.ok(
    seen.some((p) => p.command === 'unbind_resp'),
    'smsc.pl answered our unbind',
  );
  // smsc.pl's connection child prints what it received (decimal command ids) and exits on unbind.
  const out = await pollUntil(
    'smsc.pl log of the session',
    () => /Received #\d+ 6:unbind/.test(smsc.output()) && smsc.output(),
    5_000,
    smsc.output,
  );
  assert.match(out, /Received #\d+ 9:bind_transceiver/);
  assert.equal(out.match(/Received #\d+ 4:submit_sm/g)?.length, 3);
  assert.match(out, /Received #\d+ 21:enquire_link/);
});

test("the engine's SMPP carrier link delivers a long message through smsc.pl", {
  timeout: 30_000,
}, async (t) => {
  const { port, output } = await startSmscPl(t);
  const connector: ConnectorRecord = {
    id: 'c-smscpl',
    name: 'smsc.pl',
    host: '127.0.0.1',
    port,
    systemId: 'swiftlet',
    password: 'secret',
    systemType: '',
    bindMode: 'transceiver',
    binds: 1,
    window: 10,
    tps: 0,
    concat: 'udh8',
    textMode: 'gsm7',
    msgIdType: 'auto',
    tls: false,
    enabled: true,
    createdAt: 0,
    updatedAt: 0,
  };
  const link = createSmppLinkFactory({ log: silentLogger, clientOptions: { reconnect: false } })(connector, {
    sessions: 1,
    onDeliver: async () => {},
  });
  t.after(() => link.close());
  await pollUntil('the link to bind', () => link.isReady(), 10_000, output);
  // Only the fields the link reads to build submit_sm (see submitBase / buildParts).
  const message = {
    channelNumber: '10690001',
    to: '+8613900000000',
    content: 'Swiftlet → smsc.pl '.repeat(6),
    encoding: 'UCS2',
  };
  const result = await link.submit({
    message,
    parts: [],
    appBatchReportUrl: null,
  } as unknown as ClaimedMessage);
  assert.equal(result.kind, 'ok', JSON.stringify(result));
  assert.ok(result.kind === 'ok' && result.parts.every((p) => p.carrierMsgId === '123456789'));
  await link.close();
  const out = await pollUntil(
    'smsc.pl to see the unbind',
    () => /Received #\d+ 6:unbind/.test(output()) && output(),
    5_000,
    output,
  );
  assert.equal(out.match(/Received #\d+ 4:submit_sm/g)?.length, 2);
});
