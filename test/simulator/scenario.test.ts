import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decideSubmit,
  MAGIC_NUMBERS,
  magicFor,
  resolveScenarioConfig,
} from '../../src/simulator/scenario.js';

test('magic numbers use the last four digits, whatever the formatting', () => {
  const cfg = resolveScenarioConfig();
  assert.equal(magicFor('+86 139-0000-1001')?.outcome, 'UNDELIV');
  assert.equal(decideSubmit('8613900001005', cfg).response.kind, 'error');
  assert.equal(decideSubmit('8613900001008', cfg).response.kind, 'none');
  assert.equal(decideSubmit('8613900001004', cfg).receipt, null);
  assert.equal(decideSubmit('8613900001006', cfg).throttleFirstAttempt, true);
  assert.equal(decideSubmit('8613900001007', cfg).receipt?.delayMs, 10_000);
  assert.equal(decideSubmit('8613900001009', cfg).receipt?.stat, 'UNKNOWN');
  assert.equal(decideSubmit('8613900001010', cfg).outcome, 'DELIVRD');
  assert.equal(decideSubmit('8613900001010', cfg).receipt?.delayMs, 200);
  assert.equal(decideSubmit('100', cfg).outcome, 'DELIVRD');
  assert.deepEqual(
    MAGIC_NUMBERS.map((m) => m.suffix),
    ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009'],
  );
});

test('rules: magic numbers first, then rules in order with probability and latency, then default', () => {
  const cfg = resolveScenarioConfig({
    receiptDelayMs: 5,
    rules: [
      { prefix: '+44', outcome: 'EXPIRED', probability: 0.5, receiptDelayMs: 99, responseDelayMs: 7 },
      { pattern: '^44', outcome: 'REJECTD' },
    ],
  });
  const low = () => 0.1;
  const high = () => 0.9;
  assert.equal(decideSubmit('447700901001', cfg, low).outcome, 'UNDELIV');
  const p = decideSubmit('447700900000', cfg, low);
  assert.equal(p.outcome, 'EXPIRED');
  assert.deepEqual(p.source, { kind: 'rule', index: 0 });
  assert.equal(p.receipt?.delayMs, 99);
  assert.equal(p.responseDelayMs, 7);
  assert.equal(decideSubmit('447700900000', cfg, high).outcome, 'REJECTD');
  assert.equal(decideSubmit('337700900000', cfg, high).outcome, 'DELIVRD');
  assert.equal(decideSubmit('337700900000', cfg).receipt?.delayMs, 5);
  assert.equal(
    decideSubmit(
      '447700901001',
      resolveScenarioConfig({ magicNumbers: false, rules: [{ prefix: '44', outcome: 'NO_RECEIPT' }] }),
    ).outcome,
    'NO_RECEIPT',
  );
  assert.throws(() => resolveScenarioConfig({ rules: [{ outcome: 'DELIVRD' }] }), RangeError);
  assert.throws(
    () => resolveScenarioConfig({ rules: [{ prefix: '1', outcome: 'NOPE' as 'DELIVRD' }] }),
    RangeError,
  );
});
