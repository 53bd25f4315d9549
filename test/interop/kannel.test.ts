/**
 * Interop: Kannel (bearerbox + smsbox, Debian package `kannel`) is a REAL ESME that binds to our
 * SMSC simulator as a transceiver (interface-version 34), submits GSM-7 (with `€`, an escape
 * character) and UCS-2 texts through it, and delivers our receipts to its dlr-url.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type SimulatedSubmit, SmscSimulator } from '../../src/simulator/smsc-simulator.js';
import { freePort, pollUntil, requirePeer, spawnPeer } from './helpers/peers.js';

const BEARERBOX = '/usr/sbin/bearerbox';
const SMSBOX = '/usr/sbin/smsbox';

test('Kannel bearerbox binds to the simulator, sends GSM-7 and UCS-2, and receives our receipts', {
  timeout: 60_000,
}, async (t) => {
  requirePeer(BEARERBOX, 'kannel');
  requirePeer(SMSBOX, 'kannel');
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-kannel-'));
  // SWIFTLET_KEEP_INTEROP=1 keeps the config and Kannel logs for a look after a failure.
  if (!process.env.SWIFTLET_KEEP_INTEROP) t.after(() => rmSync(dir, { recursive: true, force: true }));

  // Kannel's msg-id-type 0x01: submit_sm_resp ids (and so receipted_message_id) are hex, the
  // receipt text id decimal — the classic SMSC mix, which the simulator reproduces, so
  // Kannel's id conversion is exercised too.
  const sim = new SmscSimulator({
    messageIdFormat: 'hex',
    receiptIdFormat: 'decimal',
    credentials: [{ systemId: 'kannel', password: 'kpw' }],
    scenario: { receiptDelayMs: 100 },
  });
  await sim.listen();
  t.after(() => sim.close());
  const submits: SimulatedSubmit[] = [];
  sim.on('submit', (s) => submits.push(s));

  // The dlr-url receiver.
  const dlrs: URLSearchParams[] = [];
  const receiver = http.createServer((req, res) => {
    dlrs.push(new URL(req.url ?? '/', 'http://x').searchParams);
    res.end('ok');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => receiver.close(() => r())));
  const dlrPort = (receiver.address() as { port: number }).port;

  const [adminPort, smsboxPort, sendsmsPort] = [await freePort(), await freePort(), await freePort()];
  const conf = join(dir, 'kannel.conf');
  writeFileSync(
    conf,
    `group = core
admin-port = ${adminPort}
admin-password = adminpw
status-password = adminpw
smsbox-port = ${smsboxPort}
box-allow-ip = 127.0.0.1
admin-allow-ip = 127.0.0.1
log-file = "${join(dir, 'bearerbox.log')}"
log-level = 0
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = swiftletsim
host = 127.0.0.1
port = ${sim.port}
transceiver-mode = true
smsc-username = kannel
smsc-password = kpw
system-type = ""
interface-version = 34
enquire-link-interval = 5
max-pending-submits = 10
msg-id-type = 0x01
reconnect-delay = 1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${smsboxPort}
sendsms-port = ${sendsmsPort}
log-file = "${join(dir, 'smsbox.log')}"
log-level = 0

group = sendsms-user
username = tester
password = testpw
max-messages = 3
concatenation = true
`,
  );

  const bearerbox = spawnPeer(BEARERBOX, [conf], { cwd: dir });
  t.after(() => bearerbox.stop());
  const logs = () => {
    const read = (f: string) => {
      try {
        return readFileSync(join(dir, f), 'utf8');
      } catch {
        return '';
      }
    };
    return `bearerbox:\n${bearerbox.output()}\n${read('bearerbox.log').slice(-4000)}\nsmsbox:\n${read('smsbox.log').slice(-3000)}`;
  };
  // Kannel connects on its own schedule; wait for its bind.
  await pollUntil('Kannel to bind to the simulator', () => sim.stats().boundSessions > 0, 20_000, logs);
  assert.equal(sim.server.boundSessions()[0].bindType, 'transceiver');

  const smsbox = spawnPeer(SMSBOX, [conf], { cwd: dir });
  t.after(() => smsbox.stop());
  const logsAll = () => `${logs()}\nsmsbox stdout:\n${smsbox.output()}`;

  const send = async (params: Record<string, string>) => {
    const q = new URLSearchParams({
      username: 'tester',
      password: 'testpw',
      from: '10690001',
      'dlr-mask': '31',
      charset: 'UTF-8',
      ...params,
    });
    const res = await fetch(`http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms?${q}`);
    const body = await res.text();
    return res.status === 202 ? body : undefined;
  };
  const dlrUrl = (tag: string) =>
    `http://127.0.0.1:${dlrPort}/dlr?tag=${tag}&type=%d&id=%I&smsc_id=%i&reply=%A`;

  // GSM-7 with the euro sign (an escape sequence in GSM 03.38): data_coding 0.
  const gsmText = 'Price 5€ [ok]';
  await pollUntil(
    'smsbox to accept sendsms (GSM-7)',
    () => send({ to: '8613900000000', text: gsmText, 'dlr-url': dlrUrl('gsm') }),
    20_000,
    logsAll,
  );
  // UCS-2 (coding=2): data_coding 8.
  const ucsText = '你好世界 Kannel';
  await pollUntil(
    'smsbox to accept sendsms (UCS-2)',
    () => send({ to: '8613900000000', text: ucsText, coding: '2', 'dlr-url': dlrUrl('ucs') }),
    10_000,
    logsAll,
  );

  const gsm = await pollUntil(
    'the GSM-7 submit_sm',
    () => submits.find((s) => s.text === gsmText),
    10_000,
    logsAll,
  );
  assert.equal(gsm.dataCoding, 0);
  assert.equal(gsm.destination, '8613900000000');
  assert.equal(gsm.systemId, 'kannel');
  assert.ok((gsm.registeredDelivery & 0x01) === 1, `registered_delivery ${gsm.registeredDelivery}`);
  const ucs = await pollUntil(
    'the UCS-2 submit_sm',
    () => submits.find((s) => s.text === ucsText),
    10_000,
    logsAll,
  );
  assert.equal(ucs.dataCoding, 8);

  // Kannel matches our receipts (TLVs + text, decimal vs hex ids) and calls the dlr-url with type 1 (delivered).
  for (const tag of ['gsm', 'ucs']) {
    const dlr = await pollUntil(
      `the ${tag} delivered DLR at dlr-url`,
      () => dlrs.find((d) => d.get('tag') === tag && d.get('type') === '1'),
      15_000,
      () => `${logsAll()}\nDLRs: ${dlrs.map(String).join('\n')}`,
    );
    assert.equal(dlr.get('smsc_id'), 'swiftletsim');
    assert.match(dlr.get('reply') ?? '', /stat:DELIVRD/);
  }
  // Kannel may call the dlr-url before its deliver_sm_resp reaches the simulator, which counts a
  // receipt as sent only once acknowledged.
  await pollUntil(
    'both receipts acknowledged by Kannel',
    () => sim.stats().receiptsSent >= 2,
    10_000,
    logsAll,
  );
});
