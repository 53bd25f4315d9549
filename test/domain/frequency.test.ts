import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFrequency, DEFAULT_FREQUENCY_RULES } from '../../src/domain/frequency.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const now = 1_700_000_000_000;

function history(times: number[], hash = 'h'): { at: number; contentHash: string }[] {
  return times.map((at) => ({ at, contentHash: hash }));
}

describe('DEFAULT_FREQUENCY_RULES', () => {
  it('matches spec §12', () => {
    assert.deepEqual(
      DEFAULT_FREQUENCY_RULES.map((r) => [r.windowMs, r.max, r.sameContent, r.code]),
      [
        [60 * S, 15, false, 'MILIMIT'],
        [24 * H, 50, false, 'LIMIT'],
        [59 * S, 2, true, 'CTLIMIT'],
        [59 * M, 5, true, 'CTLIMIT'],
      ],
    );
  });
});

describe('checkFrequency', () => {
  const rules = DEFAULT_FREQUENCY_RULES;
  const distinct = (n: number, spacing: number) =>
    Array.from({ length: n }, (_, i) => ({ at: now - 1 - i * spacing, contentHash: `c${i}` }));

  it('allows with no history', () => {
    assert.deepEqual(checkFrequency([], now, 'h', rules), { ok: true });
  });

  it('15 per minute (different contents)', () => {
    assert.equal(checkFrequency(distinct(14, 100), now, 'new', rules).ok, true);
    const r = checkFrequency(distinct(15, 100), now, 'new', rules);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.rule.code, 'MILIMIT');
  });

  it('the window slides: sends older than 60 s do not count', () => {
    const h = Array.from({ length: 15 }, (_, i) => ({ at: now - 60 * S - i, contentHash: `c${i}` }));
    assert.equal(checkFrequency(h, now, 'new', rules).ok, true);
  });

  it('50 per 24 h', () => {
    assert.equal(checkFrequency(distinct(49, 10 * M), now, 'new', rules).ok, true);
    const r = checkFrequency(distinct(50, 10 * M), now, 'new', rules);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.rule.code, 'LIMIT');
    assert.equal(checkFrequency(distinct(50, 30 * M), now + 24 * H, 'new', rules).ok, true);
  });

  it('same content 2 per 59 s', () => {
    assert.equal(checkFrequency(history([now - 10 * S]), now, 'h', rules).ok, true);
    const r = checkFrequency(history([now - 10 * S, now - 20 * S]), now, 'h', rules);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.rule.code, r.rule.windowMs], ['CTLIMIT', 59 * S]);
    assert.equal(checkFrequency(history([now - 10 * S, now - 20 * S]), now, 'other', rules).ok, true);
    assert.equal(checkFrequency(history([now - 59 * S, now - 20 * S]), now, 'h', rules).ok, true);
  });

  it('same content 5 per 59 min', () => {
    assert.equal(checkFrequency(history([1, 2, 3, 4].map((i) => now - i * 5 * M)), now, 'h', rules).ok, true);
    const r = checkFrequency(history([1, 2, 3, 4, 5].map((i) => now - i * 5 * M)), now, 'h', rules);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.rule.code, r.rule.windowMs], ['CTLIMIT', 59 * M]);
  });

  it('returns the first refusing rule in order; custom rules work', () => {
    const custom = [{ windowMs: 1000, max: 1, sameContent: false, code: 'X' }];
    const r = checkFrequency(history([now - 500]), now, 'h', custom);
    assert.ok(!r.ok && r.rule.code === 'X');
    assert.equal(checkFrequency(history([now - 500]), now, 'h', []).ok, true);
  });
});
