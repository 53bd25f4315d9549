/**
 * Issue #3 "Done when": crash safety. The server runs as a child process (SQLite in a temp data
 * dir) delivering to an SMSC simulator that lives in THIS process, so it survives the crash,
 * keeps the receipts it owes and counts every submit_sm per destination. 3,000 messages go in
 * through the send API (30 requests of 100 numbers) with a statusCallback to a real receiver;
 * while submits, receipts and pushes are in flight the server is killed with SIGKILL and
 * started again on the same data dir. Then:
 *  - every accepted message reaches a final state (none left "sending");
 *  - every status report (smsMsgId + sequence) is pushed at least once;
 *  - duplicates to the SMSC are bounded by what was in flight: no message is submitted more
 *    than twice (one crash), and the messages submitted twice are at most the connector window
 *    plus one group commit of submit results (docs/delivery.md: results are written every few
 *    ms or 200 rows — a submit acknowledged but not yet written is resent after restart).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoInfo } from '../../src/api/demo/provision-demo.js';
import { SmsClient } from '../../src/client/index.js';
import { SmscSimulator } from '../../src/simulator/smsc-simulator.js';
import { type ReportReceiver, startReportReceiver } from './helpers/report-receiver.js';
import { freePort, type ServerProcess, spawnServer } from './helpers/server-process.js';

const MESSAGES = 3_000;
const PER_REQUEST = 100;
const WINDOW = 50;
/** The dispatcher's group commit of submit results (FLUSH_ROWS in src/engine/dispatcher.ts). */
const SUBMIT_GROUP_ROWS = 200;

/** Destinations that never end in a magic suffix (1001..1009 end in a non-zero digit). */
const numberFor = (i: number) => `+86135${String(i).padStart(6, '0')}0`;

describe('crash safety: SIGKILL with submits, receipts and pushes in flight', () => {
  let dataDir: string;
  let sim: SmscSimulator;
  let rx: ReportReceiver;
  let server: ServerProcess | undefined;
  const submitsTo = new Map<string, number>();

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-crash-'));
    sim = new SmscSimulator({
      scenario: { receiptDelayMs: 100 },
      // Owed receipts are offered again soon after the ESME went away (defaults 5 s / 10 s).
      redeliveryDelayMs: 300,
      deliverTimeoutMs: 2_000,
    });
    sim.on('submit', (s) => submitsTo.set(s.destination, (submitsTo.get(s.destination) ?? 0) + 1));
    rx = await startReportReceiver();
  });
  after(async () => {
    if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
      server.proc.kill('SIGKILL');
      await server.exited;
    }
    await rx?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every accepted message ends final and every report is pushed at least once', async (t) => {
    const smppPort = await sim.listen();
    const port = await freePort();
    const configFile = join(dataDir, 'swiftlet.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        // Short leases so the restarted node takes over the dead one's claims quickly.
        engine: { leaseMs: 1_500, pollMs: 5, retryBaseMs: 200 },
        webhooks: { leaseMs: 1_500, timeoutMs: 1_000, pollMs: 20 },
        simulator: { enabled: false },
        carriers: {
          connectors: [
            {
              name: 'carrier',
              host: '127.0.0.1',
              port: smppPort,
              systemId: 'swiftlet',
              password: 'pw',
              window: WINDOW,
              msgIdType: 'hex',
            },
          ],
          routes: [{ name: 'all', connectors: ['carrier'] }],
        },
      }),
    );
    // A fixed node id: the restarted process is the same node and gets its bind slot back at once.
    const spawnOpts = { dataDir, port, configFile, env: { SWIFTLET_NODE_ID: 'crash-node' } };
    server = await spawnServer(spawnOpts);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoInfo;
    const client = new SmsClient({
      endpoint: server.url,
      appKey: demo.appKey,
      appSecret: demo.appSecret,
      retries: 0,
    });

    // Send 30 × 100 numbers, 3 requests at a time. A request cut by the kill is not "accepted".
    const accepted = new Map<string, string>(); // smsMsgId → number
    let next = 0;
    const sender = async () => {
      for (;;) {
        const batch = next++;
        if (batch * PER_REQUEST >= MESSAGES) return;
        const to = Array.from({ length: PER_REQUEST }, (_, k) => numberFor(batch * PER_REQUEST + k));
        try {
          const r = await client.batchSendSms({
            from: demo.signature.channelNumber,
            to,
            templateId: demo.templates[1].id,
            templateParas: ['123456'],
            statusCallback: rx.url('/report'),
          });
          for (const e of r.result ?? []) if (e.status === '000000') accepted.set(e.smsMsgId, e.originTo);
        } catch {
          // The server died under this request: its messages may or may not be stored.
        }
      }
    };
    const sending = Promise.all([sender(), sender(), sender()]);

    // Kill while submits, receipts and pushes are all moving: a third of the messages reached
    // the SMSC and the first reports were pushed.
    await rx.until(
      () => sim.stats().submits >= MESSAGES / 3 && rx.pushes.length >= 20,
      30_000,
      'traffic before the kill',
    );
    const atKill = { reports: rx.pushes.length, accepted: accepted.size, sim: sim.stats() };
    server.proc.kill('SIGKILL');
    const exit = await server.exited;
    assert.equal(exit.signal, 'SIGKILL');
    await sending;
    client.close();
    t.diagnostic(
      `at kill: ${atKill.reports} reports pushed, ${atKill.accepted} accepted, simulator submits ${atKill.sim.submits}, receipts scheduled ${atKill.sim.receiptsScheduled} / sent ${atKill.sim.receiptsSent}`,
    );
    assert.ok(atKill.sim.submits < accepted.size, 'some messages were not yet submitted at the kill');
    assert.ok(
      atKill.sim.receiptsScheduled > atKill.reports,
      'some receipts/pushes were in flight at the kill',
    );

    // Restart on the same data dir (send whatever the first process did not).
    server = await spawnServer(spawnOpts);
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const keyOf = (f: Record<string, string>) => `${f.smsMsgId}#${f.sequence}`;
    const pushedKeys = () => new Set(rx.forms('/report').map(keyOf));
    await rx.until(
      () => {
        const keys = pushedKeys();
        for (const id of accepted.keys()) if (!keys.has(`${id}#1`)) return false;
        return true;
      },
      40_000,
      'a report for every accepted message',
    );
    const sending2 = await fetch(`${server.url}/api/v1/messages?result=sending&limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const open = (await sending2.json()) as { total: number; items: unknown[] };
    assert.equal(open.total, 0, `messages still not final: ${JSON.stringify(open.items)}`);

    // Every accepted message: a DELIVRD report for the right number, pushed at least once.
    const byKey = new Map<string, Array<Record<string, string>>>();
    for (const f of rx.forms('/report')) byKey.set(keyOf(f), [...(byKey.get(keyOf(f)) ?? []), f]);
    for (const id of accepted.keys()) {
      const reports = byKey.get(`${id}#1`) ?? [];
      assert.ok(reports.length >= 1, `report for ${id}`);
      assert.ok(
        reports.every((r) => r.status === 'DELIVRD'),
        `DELIVRD for ${id}: ${JSON.stringify(reports)}`,
      );
    }
    const duplicatePushes = [...byKey.values()].filter((l) => l.length > 1).length;

    // Duplicates to the SMSC: bounded by what was in flight at the kill.
    let twice = 0;
    for (const number of accepted.values()) {
      const n = submitsTo.get(number.slice(1)) ?? 0;
      assert.ok(n >= 1, `${number} reached the SMSC`);
      assert.ok(n <= 2, `${number} submitted ${n} times (one crash → at most one resend)`);
      if (n === 2) twice++;
    }
    t.diagnostic(
      `after restart: ${accepted.size} accepted, ${accepted.size} final, ${byKey.size} distinct reports, ${duplicatePushes} pushed twice, ${twice} submitted twice (bound ${WINDOW + SUBMIT_GROUP_ROWS})`,
    );
    assert.ok(twice <= WINDOW + SUBMIT_GROUP_ROWS, `${twice} messages submitted twice`);
    assert.ok(accepted.size >= MESSAGES - 3 * PER_REQUEST, 'most requests were accepted');
  });
});
