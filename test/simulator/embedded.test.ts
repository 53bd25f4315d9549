import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { SIMULATOR_CONNECTOR_NAME, startEmbeddedSimulator } from '../../src/simulator/embedded.js';
import { MAGIC_NUMBERS } from '../../src/simulator/scenario.js';
import type { Pdu } from '../../src/smpp/pdu-types.js';
import { decodeShortMessage } from '../../src/smpp/short-message-decoder.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import { openStore } from '../../src/store/open-store.js';

test('embedded simulator registers its connector and route, updates the port on restart, injects MO', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'swiftlet-embedded-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { config } = loadConfig({ dataDir: dir, simulator: { receiptDelayMs: 10 } }, {});
  const store = await openStore({ url: `sqlite:${join(dir, 'test.db')}`, secretKey: Buffer.alloc(32, 7) });
  t.after(() => store.close());

  const first = await startEmbeddedSimulator({ store, config });
  const c1 = (await store.listConnectors()).filter((c) => c.name === SIMULATOR_CONNECTOR_NAME);
  assert.equal(c1.length, 1);
  assert.equal(c1[0].host, '127.0.0.1');
  assert.equal(c1[0].port, first.port);
  assert.equal(c1[0].bindMode, 'transceiver');
  const routes = await store.listRoutes();
  assert.equal(routes.length, 1);
  assert.deepEqual(routes[0].connectorIds, [c1[0].id]);
  assert.deepEqual(routes[0].match, {});
  assert.deepEqual(first.magicNumbers(), MAGIC_NUMBERS);

  // The engine binds with the connector's credentials; an MO reaches it.
  const got: Pdu[] = [];
  const client = new SmppClient({
    host: c1[0].host,
    port: c1[0].port,
    bind: { system_id: c1[0].systemId, password: c1[0].password },
    reconnect: false,
    onDeliver: (pdu) => {
      got.push(pdu);
    },
  });
  client.start();
  await client.ready();
  await first.injectMo({ from: '+8613900000001', to: '106900011234', text: 'TD' });
  assert.equal(got.length, 1);
  assert.equal(decodeShortMessage(got[0] as Pdu<'deliver_sm'>).text, 'TD');
  await client.close();
  await first.stop();

  // Restart on another port: same connector updated, no second route.
  const second = await startEmbeddedSimulator({ store, config });
  t.after(() => second.stop());
  const c2 = (await store.listConnectors()).filter((c) => c.name === SIMULATOR_CONNECTOR_NAME);
  assert.equal(c2.length, 1);
  assert.equal(c2[0].id, c1[0].id);
  assert.equal(c2[0].port, second.port);
  assert.equal((await store.listRoutes()).length, 1);
});
