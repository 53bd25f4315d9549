import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasIllegalCharacters, normalizeNumber, splitRecipients } from '../../src/domain/phone.js';

describe('splitRecipients', () => {
  it('splits on commas and trims whitespace', () => {
    assert.deepEqual(splitRecipients('+8615100000001,+8615200000002'), ['+8615100000001', '+8615200000002']);
    assert.deepEqual(splitRecipients('+8615100000001, +8615200000002 '), [
      '+8615100000001',
      '+8615200000002',
    ]);
  });
  it('keeps empty items so they fail as invalid numbers', () => {
    assert.deepEqual(splitRecipients('+8615100000001,,+8615200000002,'), [
      '+8615100000001',
      '',
      '+8615200000002',
      '',
    ]);
  });
  it('returns no items for an empty field', () => {
    assert.deepEqual(splitRecipients(''), []);
    assert.deepEqual(splitRecipients('  '), []);
  });
});

describe('hasIllegalCharacters', () => {
  it('allows digits, +, commas and whitespace', () => {
    assert.equal(hasIllegalCharacters('+8615100000001, 15200000002\t'), false);
  });
  it('flags anything else', () => {
    for (const s of ['+86151****6789', '+86-151', 'abc', '+86151;+86152', '１３８']) {
      assert.equal(hasIllegalCharacters(s), true, s);
    }
  });
});

describe('normalizeNumber', () => {
  it('accepts the test ranges used across Swiftlet', () => {
    for (const n of [
      '+8613800000000',
      '+8613900001009',
      '+8615100000001',
      '+8619912345678',
      '+8613112345678',
    ]) {
      assert.deepEqual(normalizeNumber(n), { ok: true, e164: n, countryId: 'CN' }, n);
    }
    for (let i = 0; i <= 1009; i += 97) {
      const n = `+86139${String(i).padStart(8, '0')}`;
      assert.equal(normalizeNumber(n).ok, true, n);
    }
  });

  it('assumes +86 for numbers without + in the cn region (default)', () => {
    assert.deepEqual(normalizeNumber('13800000000'), { ok: true, e164: '+8613800000000', countryId: 'CN' });
    assert.deepEqual(normalizeNumber(' 15100000001 ', { region: 'cn' }), {
      ok: true,
      e164: '+8615100000001',
      countryId: 'CN',
    });
    // Not re-interpreted: 86 + mobile without + becomes +86 86…, which is too long.
    assert.equal(normalizeNumber('8613800000000').ok, false);
  });

  it('requires + in the intl region', () => {
    assert.equal(normalizeNumber('13800000000', { region: 'intl' }).ok, false);
    assert.deepEqual(normalizeNumber('+2412000000', { region: 'intl' }), {
      ok: true,
      e164: '+2412000000',
      countryId: 'GA',
    });
    assert.deepEqual(normalizeNumber('+5531996934484', { region: 'intl' }), {
      ok: true,
      e164: '+5531996934484',
      countryId: 'BR',
    });
  });

  it('rejects empty, too long, malformed and impossible numbers', () => {
    for (const n of [
      '',
      '   ',
      '+',
      '+86 138 0000 0000',
      '+86-13800000000',
      '+86138****0000',
      '1380000000a',
      '++8613800000000',
    ]) {
      assert.equal(normalizeNumber(n).ok, false, JSON.stringify(n));
    }
    assert.equal(normalizeNumber(`+${'1'.repeat(21)}`).ok, false); // 22 chars
    assert.equal(normalizeNumber('+86123').ok, false);
    assert.equal(normalizeNumber('+999123456789').ok, false); // unassigned calling code
  });

  it('gives a reason on failure', () => {
    const r = normalizeNumber('12345', { region: 'intl' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /\+/);
  });
});
