import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTemplateType, TEMPLATE_TYPES, validateSignatureName } from '../../src/domain/signature.js';

describe('validateSignatureName', () => {
  it('accepts letters, digits and Chinese characters, 2-32 long', () => {
    for (const n of [
      '华为云',
      '华为云短信测试',
      'Swiftlet',
      'ab',
      'A1',
      '云1',
      'x'.repeat(32),
      '中'.repeat(32),
    ]) {
      assert.equal(validateSignatureName(n), null, n);
    }
  });
  it('rejects bad lengths, symbols, spaces, brackets and digits only', () => {
    for (const n of [
      '',
      'a',
      'x'.repeat(33),
      '中'.repeat(33),
      '华为 云',
      '【华为云】',
      'a-b',
      'a.b',
      '123',
      '１２3a!',
      '😀😀',
    ]) {
      assert.equal(typeof validateSignatureName(n), 'string', n);
    }
  });
});

describe('template types', () => {
  it('lists the three types', () => {
    assert.deepEqual([...TEMPLATE_TYPES], ['VERIFY_CODE_TYPE', 'NOTIFY_TYPE', 'PROMOTION_TYPE']);
    assert.ok(isTemplateType('NOTIFY_TYPE'));
    assert.ok(!isTemplateType('notify_type'));
    assert.ok(!isTemplateType(1));
    assert.ok(!isTemplateType(undefined));
  });
});
