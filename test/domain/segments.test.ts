import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import smsCalc from 'sms-segments-calculator';
import { isGsm7Extension } from '../../src/domain/gsm7.js';
import {
  type ConcatMode,
  countSegments,
  PART_LIMIT,
  SINGLE_LIMIT,
  segmentText,
} from '../../src/domain/segments.js';
import { renderMessage } from '../../src/domain/template.js';

const { SegmentedMessage } = smsCalc;

/** Cost of a segment in its encoding's units (septets or UTF-16 units). */
function cost(seg: string, encoding: 'GSM7' | 'UCS2'): number {
  if (encoding === 'UCS2') return seg.length;
  let n = 0;
  for (const ch of seg) n += isGsm7Extension(ch) ? 2 : 1;
  return n;
}

describe('segment counts from the spec (§11)', () => {
  it('UCS-2 after signature: 68 → 1, 134 → 2, 135 → 3', () => {
    const sig = '华为云'; // 【华为云】 counts 5
    for (const [len, expected] of [
      [68, 1],
      [70, 1],
      [71, 2],
      [134, 2],
      [135, 3],
    ] as const) {
      const text = renderMessage(sig, '验'.repeat(len - 5));
      assert.equal(text.length, len);
      assert.equal(countSegments(text), expected, `length ${len}`);
    }
  });

  it('GSM-7: 160 → 1, 161 → 2, 164 → 2, 306 → 2, 307 → 3, 320 → 3', () => {
    for (const [len, expected] of [
      [160, 1],
      [161, 2],
      [164, 2],
      [306, 2],
      [307, 3],
      [320, 3],
    ] as const) {
      const r = segmentText('a'.repeat(len));
      assert.equal(r.encoding, 'GSM7');
      assert.equal(r.total, expected, `length ${len}`);
    }
  });

  it('extension characters count 2 septets', () => {
    assert.equal(countSegments('€'.repeat(80)), 1);
    assert.equal(countSegments('€'.repeat(81)), 2);
  });

  it('empty text is one empty segment', () => {
    assert.deepEqual(segmentText(''), { encoding: 'GSM7', segments: [''], total: 1, forcedUcs2: [] });
  });
});

describe('segmentText splitting', () => {
  it('never splits an escape pair', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(20)}`;
    const r = segmentText(text);
    assert.equal(r.segments[0], 'a'.repeat(152));
    assert.ok(r.segments[1].startsWith('€'));
  });

  it('never splits a surrogate pair', () => {
    const text = `${'中'.repeat(66)}😀${'文'.repeat(10)}`;
    const r = segmentText(text);
    assert.equal(r.encoding, 'UCS2');
    assert.equal(r.segments[0], '中'.repeat(66));
    assert.ok(r.segments[1].startsWith('😀'));
    assert.deepEqual(r.forcedUcs2, ['中', '😀', '文']);
  });

  it('uses smaller parts for udh16 and the UDH split for sar/payload', () => {
    assert.equal(segmentText('a'.repeat(305), { concat: 'udh16' }).total, 3);
    assert.equal(segmentText('a'.repeat(305), { concat: 'udh8' }).total, 2);
    assert.equal(segmentText('中'.repeat(133), { concat: 'udh16' }).total, 3);
    assert.equal(segmentText('中'.repeat(134), { concat: 'udh8' }).total, 2);
    assert.equal(segmentText('a'.repeat(306), { concat: 'sar' }).total, 2);
    assert.equal(segmentText('a'.repeat(307), { concat: 'payload' }).total, 3);
  });

  it('can force UCS-2 for GSM text; forcing GSM7 on non-GSM text falls back to UCS-2', () => {
    const r = segmentText('a'.repeat(71), { encoding: 'UCS2' });
    assert.equal(r.encoding, 'UCS2');
    assert.equal(r.total, 2);
    assert.equal(segmentText('中', { encoding: 'GSM7' }).encoding, 'UCS2');
  });
});

// Alphabets for generated text. GSM-7 characters (with extension ones weighted up so escape pairs
// land on boundaries), CJK ideographs, and astral emoji that are single grapheme clusters on their
// own. Excluded on purpose because the oracle counts grapheme clusters, not code points, and so
// legitimately differs from a per-code-point SMS count: combining marks, ZWJ sequences, emoji
// modifiers, variation selectors, regional-indicator flags, Hangul jamo and lone surrogates.
const GSM_CHARS = [...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà'];
const EXT_CHARS = [...'\f^{}\\[~]|€'];
const CJK = [...'中文短信验证码华为云您的是'];
const EMOJI = ['😀', '🚀', '𠀀', '🎉'];

const gsmText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...GSM_CHARS) },
    { weight: 1, arbitrary: fc.constantFrom(...EXT_CHARS) },
  ),
  maxLength: 480,
});
const mixedText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...GSM_CHARS, ...EXT_CHARS) },
    { weight: 2, arbitrary: fc.constantFrom(...CJK) },
    { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
  ),
  maxLength: 250,
});
const anyText = fc.oneof(gsmText, mixedText);
const concat = fc.constantFrom<ConcatMode>('udh8', 'udh16', 'sar', 'payload');

describe('segmentText properties', () => {
  it('segments join to the input, respect limits, never split pairs', () => {
    fc.assert(
      fc.property(anyText, concat, (text, mode) => {
        const r = segmentText(text, { concat: mode });
        assert.equal(r.segments.join(''), text);
        assert.equal(r.total, r.segments.length);
        const limit = r.total === 1 ? SINGLE_LIMIT[r.encoding] : PART_LIMIT[mode][r.encoding];
        for (const seg of r.segments) {
          assert.ok(cost(seg, r.encoding) <= limit, `segment over ${limit}`);
          if (r.total > 1) assert.ok(seg.length > 0);
          const last = seg.charCodeAt(seg.length - 1);
          assert.ok(!(last >= 0xd800 && last <= 0xdbff), 'segment ends in a high surrogate');
        }
        // Greedy: every part but the last is full enough that the next character would not fit.
        for (let i = 0; i + 1 < r.segments.length; i++) {
          const next = [...r.segments[i + 1]][0];
          assert.ok(cost(r.segments[i] + next, r.encoding) > limit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with sms-segments-calculator on encoding and count (udh8)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = segmentText(text);
        const oracle = new SegmentedMessage(text);
        assert.equal(r.encoding === 'GSM7' ? 'GSM-7' : 'UCS-2', oracle.encodingName);
        assert.equal(r.total, oracle.segmentsCount);
      }),
      { numRuns: 300 },
    );
  });
});
