/**
 * Concatenated MO through the UplinkHandler into a real store: every part is committed before
 * the handler resolves (the session's deliver_sm_resp waits for it), so a restart between two
 * parts loses nothing; parts may come in any order, twice, or on two nodes; a message whose
 * parts stop coming is stored with what arrived, and a part that comes after that is stored on
 * its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InboundDeliver } from '../../src/engine/carrier-link.js';
import { silentLogger } from '../../src/engine/logger.js';
import { UplinkHandler } from '../../src/engine/uplink-handler.js';
import { buildShortMessageParts } from '../../src/smpp/short-message-builder.js';
import { openStore } from '../../src/store/open-store.js';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, TEST_SECRET_KEY, type TestStore } from '../store/engines.js';
import { newTestApp } from '../store/fixtures.js';

const TIMEOUT = 60_000;
/** Three UCS-2 parts; the emoji (a surrogate pair) straddles the first part boundary. */
const LONG = `${'a'.repeat(66)}😀${'b'.repeat(60)}ü${'c'.repeat(70)}`;

/** The deliver_sm of each part of `text`, as an SMSC sends a concatenated MO (UDH, 8-bit ref). */
function moParts(text: string, from: string, to: string, reference: number): InboundDeliver[] {
  const built = buildShortMessageParts(text, { encoding: 'ucs2', concat: 'udh8', reference });
  return built.parts.map((p) => ({
    connectorId: 'conn-mo',
    pdu: {
      source_addr: from,
      source_addr_ton: 1,
      destination_addr: to,
      esm_class: p.esm_class,
      data_coding: p.data_coding,
      short_message: p.short_message,
      tlvs: p.tlvs,
    },
  }));
}

for (const engine of ENGINES) {
  describe(`concatenated MO parts are durable (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    let app: AppRecord;
    let channel: string;
    let now = Date.UTC(2026, 10, 24, 12);
    const clock = () => now;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
      app = await newTestApp(store, { uplinkUrl: 'http://up.example/mo' });
      const sig = await store.createSignature({ appId: app.id, name: 'Shop', type: 'NOTIFY_TYPE' });
      channel = (await store.approveSignature(sig.id))?.channelNumber as string;
    });
    after(() => t.cleanup());

    const handler = (s: Store = store) =>
      new UplinkHandler({ store: s, log: silentLogger, clock, reassemblyTimeoutMs: TIMEOUT });
    const mosFrom = async (from: string) => (await store.listMo({ from }, { limit: 50 })).items;

    it('parts in any order and twice make one MO with the whole text, committed with its uplink push', async () => {
      assert.ok(buildShortMessageParts(LONG, { encoding: 'ucs2', concat: 'udh8' }).parts.length === 3);
      const from = '8613700000101';
      const [p1, p2, p3] = moParts(LONG, from, `${channel}7`, 11);
      const h = handler();
      await h.handle(p3);
      await h.handle(p1);
      await h.handle(p3);
      assert.equal((await mosFrom(`+${from}`)).length, 0, 'nothing before the last part');
      await h.handle(p2);
      await h.handle(p1); // a redelivery after completion changes nothing
      const mos = await mosFrom(`+${from}`);
      assert.equal(mos.length, 1);
      assert.equal(mos[0].body, LONG);
      assert.equal(mos[0].to, `${channel}7`);
      assert.equal(mos[0].appId, app.id);
      const pushes = await store.listOutbox({ appId: app.id }, { limit: 50 });
      assert.equal(pushes.items.filter((p) => p.moId === mos[0].id).length, 1);
      assert.equal(h.received, 1);
    });

    it('a restart between two parts loses nothing: the new process completes the message', async () => {
      const from = '8613700000102';
      const parts = moParts(LONG, from, channel, 12);
      await handler().handle(parts[0]);
      await handler().handle(parts[1]);
      // A second store instance on the same database: what a restarted process (or another
      // node) sees. The first one's memory is gone; only the committed parts remain.
      const reopened = await openStore({ url: t.url, secretKey: TEST_SECRET_KEY });
      try {
        await handler(reopened).handle(parts[2]);
      } finally {
        await reopened.close();
      }
      const mos = await mosFrom(`+${from}`);
      assert.deepEqual(
        mos.map((m) => m.body),
        [LONG],
      );
    });

    // Several nodes share a database only on PostgreSQL (one SQLite file has one process).
    const clusterIt = engine === 'postgres' ? it : () => undefined;
    clusterIt(
      'two nodes storing the last two parts at once: the sweep completes it exactly once',
      async () => {
        const from = '8613700000103';
        const parts = moParts(LONG, from, channel, 13);
        const other = await openStore({ url: t.url, secretKey: TEST_SECRET_KEY });
        try {
          const [a, b] = [handler(), handler(other)];
          await a.handle(parts[0]);
          await Promise.all([a.handle(parts[1]), b.handle(parts[2])]);
          await Promise.all([a.sweep(), b.sweep()]);
        } finally {
          await other.close();
        }
        const mos = await mosFrom(`+${from}`);
        assert.deepEqual(
          mos.map((m) => m.body),
          [LONG],
        );
      },
    );

    it('parts that stop coming are stored after the timeout with what arrived; a late part on its own', async () => {
      const from = '8613700000104';
      const text = `${'x'.repeat(67)}${'y'.repeat(67)}`;
      const [p1, p2] = moParts(text, from, channel, 14);
      const h = handler();
      await h.handle(p1);
      await h.sweep();
      assert.equal((await mosFrom(`+${from}`)).length, 0, 'not before the timeout');
      now += TIMEOUT + 1;
      await h.sweep();
      let mos = await mosFrom(`+${from}`);
      assert.deepEqual(
        mos.map((m) => m.body),
        ['x'.repeat(67)],
      );
      await h.handle(p2);
      mos = await mosFrom(`+${from}`);
      assert.deepEqual(mos.map((m) => m.body).sort(), ['x'.repeat(67), 'y'.repeat(67)]);
      // Consumed parts are purged one timeout later; the same reference then starts afresh.
      now += TIMEOUT + 1;
      await h.sweep();
      await h.handle(p1);
      await h.handle(p2);
      assert.equal((await mosFrom(`+${from}`)).length, 3);
    });

    it('a sender reusing a reference: the next message is its own MO, an unfinished one is kept', async () => {
      const from = '8613700000106';
      const x = `${'x'.repeat(67)}${'X'.repeat(5)}`;
      const y = `${'y'.repeat(67)}${'Y'.repeat(5)}`;
      const z = `${'z'.repeat(67)}${'Z'.repeat(5)}`;
      const [x1, x2] = moParts(x, from, channel, 21);
      const [y1] = moParts(y, from, channel, 21);
      const [z1, z2] = moParts(z, from, channel, 21);
      const h = handler();
      await h.handle(x1);
      await h.handle(x2);
      await h.handle(x2); // a redelivery of the last part: still one X
      // Same sender, destination, reference and total, within the redelivery window.
      await h.handle(y1);
      // Y never gets its second part; Z reuses the reference again, parts in order as handsets send.
      await h.handle(z1);
      await h.handle(z2);
      const bodies = (await mosFrom(`+${from}`)).map((m) => m.body).sort();
      assert.deepEqual(bodies, [x, 'y'.repeat(67), z].sort());
    });

    it('a part numbered outside its total is stored as an MO of its own, not dropped', async () => {
      const from = '8613700000105';
      const [p1] = moParts(`${'z'.repeat(67)}${'w'.repeat(10)}`, from, channel, 15);
      const udh = Buffer.from(p1.pdu.short_message ?? []);
      udh[5] = 9; // seq 9 of 2
      await handler().handle({ ...p1, pdu: { ...p1.pdu, short_message: udh } });
      assert.deepEqual(
        (await mosFrom(`+${from}`)).map((m) => m.body),
        ['z'.repeat(67)],
      );
    });
  });
}
