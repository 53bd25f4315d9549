import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { newOrderedSmsMsgId } from '../../src/api/send/ordered-sms-msg-id.js';
import { normalizeRecipient } from '../../src/api/send/recipient-number.js';
import { normalizeNumber } from '../../src/domain/phone.js';

describe('normalizeRecipient (send hot path)', () => {
  it('agrees with normalizeNumber on mainland mobile shapes and everything else', () => {
    const digits = fc.stringMatching(/^[0-9]{10}$/);
    const raw = fc.oneof(
      digits.map((d) => `1${d}`),
      digits.map((d) => `+861${d}`),
      digits.map((d) => ` 1${d} `),
      digits.map((d) => `+1${d}`),
      digits.map((d) => `2${d}`),
      fc.stringMatching(/^\+?[0-9]{0,22}$/),
    );
    fc.assert(
      fc.property(raw, fc.constantFrom('cn' as const, 'intl' as const), (r, region) => {
        assert.deepEqual(normalizeRecipient(r, region), normalizeNumber(r, { region }));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('newOrderedSmsMsgId', () => {
  it('keeps the <uuid v4 layout>_<n> shape, sorts by time, never repeats', () => {
    const a = newOrderedSmsMsgId(1_700_000_000_000);
    const b = newOrderedSmsMsgId(1_700_000_000_001);
    for (const id of [a, b]) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_\d+$/);
      assert.ok(id.length <= 50);
    }
    assert.ok(a.slice(0, 36) < b.slice(0, 36));
    const many = new Set(Array.from({ length: 2000 }, () => newOrderedSmsMsgId(5)));
    assert.equal(many.size, 2000);
  });
});
