import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CarrierLinkFactory } from '../../src/engine/carrier-link.js';
import { ConnectorManager } from '../../src/engine/connector-manager.js';
import { silentLogger } from '../../src/engine/logger.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, type TestStore } from '../store/engines.js';
import { newConnector, RecordingLink } from './helpers/recording-link.js';

describe('ConnectorManager: bind slots as cluster leases (real store)', () => {
  let t: TestStore;
  let store: Store;
  before(async () => {
    t = await createTestStore();
    store = t.store;
  });
  after(() => t.cleanup());

  function node(id: string, clock: () => number) {
    const sessions: number[] = [];
    const factory: CarrierLinkFactory = (c, ctx) => {
      sessions.push(ctx.sessions);
      const link = new RecordingLink(c, ctx.onDeliver);
      (link as RecordingLink & { setSessions(n: number): void }).setSessions = (n: number) =>
        sessions.push(n);
      return link;
    };
    const m = new ConnectorManager({
      store,
      factory,
      onDeliver: async () => {},
      log: silentLogger,
      nodeId: id,
      clock,
      options: { refreshMs: 60_000, bindLeaseMs: 1_000 },
    });
    return { m, sessions };
  }

  it('two nodes never hold more binds than the connector allows, spread them, and take over a dead node’s', async () => {
    const c = await store.createConnector(newConnector({ binds: 2 }));
    let now = 1_000_000;
    const clock = () => now;
    const a = node('node-a', clock);
    const b = node('node-b', clock);
    await a.m.start();
    await b.m.start();
    // node-a was alone when it started: it holds both; node-b sees them taken.
    assert.deepEqual(a.sessions, [2]);
    assert.deepEqual(b.sessions, [0]);
    assert.ok(a.m.link(c.id) && b.m.link(c.id));

    // Two live nodes: node-a gives one slot back (after its session closed), node-b takes it.
    now += 600;
    await a.m.refresh();
    assert.deepEqual(a.sessions, [2, 1]);
    await new Promise((r) => setTimeout(r, 50));
    await b.m.refresh();
    assert.deepEqual(b.sessions, [0, 1]);
    assert.equal(a.m.liveNodes(), 2);
    const spread = await store.listLeases(`bind:${c.id}:`, now);
    assert.deepEqual(spread.map((l) => l.owner).sort(), ['node-a', 'node-b']);

    // node-a stops renewing (dead): after the lease TTL node-b is alone and takes both slots.
    now += 1_500;
    await b.m.refresh();
    assert.deepEqual(b.sessions, [0, 1, 2]);
    assert.equal(b.m.liveNodes(), 1);
    const leases = await store.listLeases(`bind:${c.id}:`, now);
    assert.deepEqual(
      leases.map((l) => l.owner),
      ['node-b', 'node-b'],
    );

    await b.m.stop();
    assert.equal((await store.listLeases(`bind:${c.id}:`, now)).length, 0);
    await a.m.stop();
  });

  it('disabling a connector closes its link and releases its slots', async () => {
    const c = await store.createConnector(newConnector({ binds: 1 }));
    const a = node('node-c', Date.now);
    await a.m.start();
    const link = a.m.link(c.id) as RecordingLink;
    assert.ok(link.isReady());
    await store.updateConnector(c.id, { enabled: false });
    await a.m.refresh();
    assert.equal(a.m.link(c.id), undefined);
    assert.equal(link.isReady(), false);
    assert.equal((await store.listLeases(`bind:${c.id}:`, Date.now())).length, 0);
    await a.m.stop();
  });
});
