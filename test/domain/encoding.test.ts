import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseEncoding, decodeUcs2, encodeUcs2 } from '../../src/domain/encoding.js';

describe('chooseEncoding', () => {
  it('picks GSM7 for GSM-7 text, including extension characters', () => {
    assert.deepEqual(chooseEncoding('Price: 10€ {ok}'), { encoding: 'GSM7', forcedUcs2: [] });
    assert.deepEqual(chooseEncoding(''), { encoding: 'GSM7', forcedUcs2: [] });
  });

  it('lists distinct offending characters in order of first appearance', () => {
    assert.deepEqual(chooseEncoding('a中b文中`😀😀'), {
      encoding: 'UCS2',
      forcedUcs2: ['中', '文', '`', '😀'],
    });
  });
});

describe('UCS-2', () => {
  it('encodes UTF-16BE and keeps surrogate pairs', () => {
    assert.equal(encodeUcs2('A中').toString('hex'), '00414e2d');
    assert.equal(encodeUcs2('😀').toString('hex'), 'd83dde00');
  });

  it('round-trips', () => {
    const s = '【华为云】验证码 123456 😀 ok';
    assert.equal(decodeUcs2(encodeUcs2(s)), s);
  });

  it('ignores a trailing odd byte', () => {
    assert.equal(decodeUcs2(Uint8Array.of(0x00, 0x41, 0x00)), 'A');
  });

  it('decodes long payloads', () => {
    const s = '中'.repeat(10000);
    assert.equal(decodeUcs2(encodeUcs2(s)), s);
  });
});
