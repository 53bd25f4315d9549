import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeGsm7,
  encodeGsm7,
  gsm7Length,
  isGsm7Char,
  isGsm7Extension,
  packSeptets,
  unpackSeptets,
} from '../../src/domain/gsm7.js';

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';
const gsmChar = fc.constantFrom(...BASIC, ...EXTENSION);

describe('gsm7 tables', () => {
  it('has 127 basic characters and 10 extension characters', () => {
    assert.equal([...BASIC].length, 127);
    for (const ch of BASIC) {
      assert.ok(isGsm7Char(ch), ch);
      assert.ok(!isGsm7Extension(ch), ch);
    }
    for (const ch of EXTENSION) {
      assert.ok(isGsm7Char(ch), ch);
      assert.ok(isGsm7Extension(ch), ch);
    }
  });

  it('rejects characters outside the alphabet', () => {
    for (const ch of ['中', '`', 'ç', 'á', '😀', '\t', '\u001b', '\u0000'])
      assert.ok(!isGsm7Char(ch), JSON.stringify(ch));
  });

  it('maps well-known code points', () => {
    assert.deepEqual([...encodeGsm7('@£$A')!], [0x00, 0x01, 0x02, 0x41]);
    assert.deepEqual([...encodeGsm7('€')!], [0x1b, 0x65]);
    assert.deepEqual(
      [...encodeGsm7('{}[]~|^\\\f')!],
      [
        0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x3d, 0x1b, 0x40, 0x1b, 0x14, 0x1b, 0x2f, 0x1b,
        0x0a,
      ],
    );
    assert.deepEqual([...encodeGsm7('Çàü§¿')!], [0x09, 0x7f, 0x7e, 0x5f, 0x60]);
  });
});

describe('gsm7Length / encodeGsm7', () => {
  it('counts extension characters as 2', () => {
    assert.equal(gsm7Length('hello'), 5);
    assert.equal(gsm7Length('€10'), 4);
    assert.equal(gsm7Length(''), 0);
    assert.equal(gsm7Length('hi 中'), null);
    assert.equal(gsm7Length('😀'), null);
    assert.equal(encodeGsm7('ok😀'), null);
  });

  it('round-trips any GSM-7 text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: gsmChar, maxLength: 200 }), (text) => {
        const septets = encodeGsm7(text);
        assert.ok(septets);
        assert.equal(septets.length, gsm7Length(text));
        assert.equal(decodeGsm7(septets), text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeGsm7 leniency', () => {
  it('decodes an unknown escape as the basic character', () => {
    assert.equal(decodeGsm7(Uint8Array.of(0x1b, 0x41)), 'A');
  });
  it('drops a trailing lone escape', () => {
    assert.equal(decodeGsm7(Uint8Array.of(0x41, 0x1b)), 'A');
  });
  it('ignores the high bit', () => {
    assert.equal(decodeGsm7(Uint8Array.of(0xc1)), 'A');
  });
});

describe('packSeptets / unpackSeptets', () => {
  it('packs the classic "hellohello" example', () => {
    const packed = packSeptets(encodeGsm7('hellohello')!);
    assert.equal(Buffer.from(packed).toString('hex'), 'e8329bfd4697d9ec37');
  });

  it('packs 8 septets into 7 octets', () => {
    assert.equal(packSeptets(new Uint8Array(8).fill(0x7f)).length, 7);
    assert.equal(packSeptets(new Uint8Array(0)).length, 0);
  });

  it('applies fill bits after a 6-octet UDH', () => {
    // One fill bit: 'A' (0x41) shifted left by 1.
    const packed = packSeptets(Uint8Array.of(0x41), 1);
    assert.deepEqual([...packed], [0x82]);
    assert.deepEqual([...unpackSeptets(packed, 1, 1)], [0x41]);
  });

  it('round-trips with any padding (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }).map((a) => a.map((b) => b & 0x7f)),
        fc.integer({ min: 0, max: 6 }),
        (septets, pad) => {
          const packed = packSeptets(septets, pad);
          assert.equal(packed.length, Math.ceil((pad + septets.length * 7) / 8));
          assert.deepEqual(unpackSeptets(packed, septets.length, pad), septets);
        },
      ),
      { numRuns: 200 },
    );
  });
});
