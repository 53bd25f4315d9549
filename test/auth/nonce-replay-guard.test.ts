import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NonceReplayGuard } from '../../src/auth/nonce-replay-guard.js';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

describe('NonceReplayGuard', () => {
  it('reports a key as seen until it expires', () => {
    const g = new NonceReplayGuard();
    assert.equal(g.seen('a', T0 + 10 * MIN, T0), false);
    assert.equal(g.seen('a', T0 + 10 * MIN, T0 + MIN), true);
    assert.equal(g.seen('a', T0 + 10 * MIN, T0 + 10 * MIN - 1), true);
    // Expired: accepted again (the clock check upstream rejects such old credentials anyway).
    assert.equal(g.seen('a', T0 + 30 * MIN, T0 + 10 * MIN), false);
    assert.equal(g.seen('a', T0 + 30 * MIN, T0 + 11 * MIN), true);
  });

  it('does not store keys that are already expired', () => {
    const g = new NonceReplayGuard();
    assert.equal(g.seen('a', T0, T0), false);
    assert.equal(g.size, 0);
  });

  it('sweeps expired buckets when the clock moves on', () => {
    const g = new NonceReplayGuard();
    for (let i = 0; i < 100; i++) g.seen(`k${i}`, T0 + (i % 5) * MIN + 1, T0);
    assert.equal(g.size, 100);
    g.seen('late', T0 + 60 * MIN, T0 + 3 * MIN);
    // Buckets for minutes 0,1,2 (expiries < T0+3min) are gone: 60 keys dropped.
    assert.equal(g.size, 41);
    g.seen('later', T0 + 60 * MIN, T0 + 10 * MIN);
    assert.equal(g.size, 2);
  });

  it('stays within maxEntries by evicting the soonest-expiring keys', () => {
    const g = new NonceReplayGuard({ maxEntries: 10 });
    for (let i = 0; i < 10; i++) g.seen(`k${i}`, T0 + (i + 1) * MIN, T0);
    assert.equal(g.size, 10);
    assert.equal(g.seen('new', T0 + 60 * MIN, T0), false);
    assert.ok(g.size <= 10);
    assert.equal(g.seen('k0', T0 + MIN, T0), false, 'the soonest-expiring key was evicted');
    assert.equal(g.seen('k9', T0 + 10 * MIN, T0), true, 'later keys are kept');
  });
});
