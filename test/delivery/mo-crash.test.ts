/**
 * Nothing lost, uplink side: the SMSC (in this process) sends the first two parts of a
 * three-part MO to `swiftlet serve` (a child process on SQLite) and gets deliver_sm_resp for
 * each — from then on the SMSC considers them delivered and will never send them again. The
 * server is SIGKILLed and started on the same data dir; the SMSC sends the last part over the
 * new bind. The customer's uplink address receives the whole text once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DemoInfo } from '../../src/api/demo/provision-demo.js';
import type { SmppSession } from '../../src/smpp/session.js';
import { buildShortMessageParts } from '../../src/smpp/short-message-builder.js';
import { SmppServer } from '../../src/smpp/smpp-server.js';
import { type ReportReceiver, startReportReceiver } from './helpers/report-receiver.js';
import { freePort, type ServerProcess, spawnServer } from './helpers/server-process.js';

const TEXT = `${'長'.repeat(60)}😀${'い'.repeat(80)}${'x'.repeat(50)}`;
const FROM = '8613700000077';

describe('a concatenated MO survives a SIGKILL between its parts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-mo-crash-'));
  let smsc: SmppServer | undefined;
  let rx: ReportReceiver | undefined;
  let server: ServerProcess | undefined;
  after(async () => {
    if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
      server.proc.kill('SIGKILL');
      await server.exited;
    }
    await rx?.close();
    await smsc?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the parts acknowledged before the kill and the one after make one uplink push', async () => {
    let bound: SmppSession | undefined;
    smsc = new SmppServer({
      systemId: 'MoSMSC',
      handler: { onSubmitSm: () => ({ command_status: 0, message_id: '1' }) },
    });
    smsc.on('bound', (s: SmppSession) => {
      bound = s;
    });
    const smppPort = await smsc.listen(0, '127.0.0.1');
    rx = await startReportReceiver();
    const port = await freePort();
    const configFile = join(dataDir, 'swiftlet.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        simulator: { enabled: false },
        carriers: {
          connectors: [
            { name: 'carrier', host: '127.0.0.1', port: smppPort, systemId: 'swiftlet', password: 'pw' },
          ],
          routes: [{ name: 'all', connectors: ['carrier'] }],
        },
      }),
    );
    const spawnOpts = { dataDir, port, configFile, env: { SWIFTLET_NODE_ID: 'mo-node' } };
    server = await spawnServer(spawnOpts);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoInfo;
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const patched = await fetch(`${server.url}/api/v1/apps/${demo.appId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uplinkUrl: rx.url('/uplink') }),
    });
    assert.equal(patched.status, 200);

    const parts = buildShortMessageParts(TEXT, { encoding: 'ucs2', concat: 'udh8', reference: 77 }).parts;
    assert.equal(parts.length, 3);
    const send = async (i: number) => {
      const deadline = Date.now() + 20_000;
      while (!bound?.isBound()) {
        if (Date.now() > deadline) throw new Error('Swiftlet did not bind');
        await new Promise((r) => setTimeout(r, 50));
      }
      const resp = await bound.request(
        {
          command: 'deliver_sm',
          source_addr_ton: 1,
          source_addr: FROM,
          destination_addr: demo.signature.channelNumber,
          ...parts[i],
        } as never,
        { timeoutMs: 5_000 },
      );
      assert.equal(resp.command_status, 0, `part ${i + 1} acknowledged`);
    };
    await send(0);
    await send(1);
    server.proc.kill('SIGKILL');
    assert.equal((await server.exited).signal, 'SIGKILL');
    bound = undefined;

    server = await spawnServer(spawnOpts);
    await send(2);
    const pushes = await rx.until(
      () => {
        const got = rx?.forms('/uplink') ?? [];
        return got.length >= 1 && got;
      },
      15_000,
      'uplink push',
    );
    // Give a wrong second push (a fragment stored on its own) time to show up before counting.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(rx.forms('/uplink').length, 1, 'one MO, not fragments');
    assert.equal(pushes[0].from, `+${FROM}`);
    assert.equal(pushes[0].body, TEXT);
  });
});
