import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import { SmppServer } from '../../src/smpp/smpp-server.js';

/** A self-signed certificate for `localhost`, made with the openssl CLI at test time. */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

describe('SMPP over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-smpp-tls-'));
  let pem: { key: Buffer; cert: Buffer };
  let server: SmppServer;
  let port: number;
  const submits: string[] = [];

  before(async () => {
    pem = selfSigned(dir);
    server = new SmppServer({
      tls: pem,
      sessionConfig: { enquireLinkIntervalMs: 0, sweepIntervalMs: 20 },
      handler: {
        onSubmitSm: async (pdu) => {
          submits.push(pdu.destination_addr);
          return { message_id: server.nextMessageId() };
        },
      },
    });
    port = await server.listen(0);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a client that trusts the carrier certificate binds and submits over TLS', async () => {
    const client = new SmppClient({
      host: '127.0.0.1',
      port,
      tls: { ca: pem.cert, servername: 'localhost' },
      bind: { system_id: 'esme', password: 'pw' },
      session: { enquireLinkIntervalMs: 0, sweepIntervalMs: 20 },
    });
    try {
      client.start();
      await client.ready();
      const res = await client.submit(
        buildSubmitSmParts(
          { source_addr: 'Swift', destination_addr: '8613800000077', registered_delivery: 1 },
          'hi',
        ),
      );
      assert.equal(res.length, 1);
      assert.ok(res[0].ok, JSON.stringify(res[0]));
      assert.deepEqual(submits, ['8613800000077']);
    } finally {
      await client.close();
    }
  });

  test('a client that does not trust the certificate never binds', async () => {
    const client = new SmppClient({
      host: '127.0.0.1',
      port,
      tls: true,
      bind: { system_id: 'esme', password: 'pw' },
      session: { enquireLinkIntervalMs: 0, sweepIntervalMs: 20 },
      reconnectInitialDelayMs: 50,
      reconnectMaxDelayMs: 100,
    });
    const failures: unknown[] = [];
    client.on('connectionFailed', (err: unknown) => failures.push(err));
    try {
      client.start();
      const bound = await Promise.race([
        client.ready().then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 700)),
      ]);
      assert.equal(bound, false, 'bound to an untrusted carrier');
      assert.ok(failures.length > 0, 'no connection failure was reported');
      assert.match(String((failures[0] as Error).message), /self[- ]signed|certificate/i);
    } finally {
      await client.close();
    }
  });
});
