import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOptOutText } from '../../src/domain/opt-out.js';

describe('isOptOutText', () => {
  it('matches the keywords trimmed and case-insensitively', () => {
    for (const s of ['R', 'r', ' td ', 'STOP', 'Stop\n', 'unsubscribe', 'UnSubscribe'])
      assert.ok(isOptOutText(s), s);
  });
  it('ignores other text', () => {
    for (const s of ['', 'please stop', 'RR', 'T D', 'stopp', '退订']) assert.ok(!isOptOutText(s), s);
  });
});
