import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregateMessageState,
  canTransition,
  FINAL_STATES,
  isFinalState,
  type MessageState,
  sendResultOf,
  stateForReceiptStat,
} from '../../src/domain/message-state.js';

const ALL: MessageState[] = [
  'ACCEPTED',
  'QUEUED',
  'SUBMITTED',
  'DELIVERED',
  'UNDELIVERED',
  'EXPIRED',
  'REJECTED',
  'FAILED',
];

describe('message states', () => {
  it('final states', () => {
    assert.deepEqual([...FINAL_STATES].sort(), ['DELIVERED', 'EXPIRED', 'FAILED', 'REJECTED', 'UNDELIVERED']);
    assert.ok(!isFinalState('SUBMITTED'));
  });

  it('final states never change', () => {
    for (const f of FINAL_STATES) for (const t of ALL) assert.equal(canTransition(f, t), false, `${f}->${t}`);
  });

  it('forward moves, retry back to QUEUED, outcomes only after submit', () => {
    assert.ok(canTransition('ACCEPTED', 'QUEUED'));
    assert.ok(canTransition('ACCEPTED', 'SUBMITTED'));
    assert.ok(canTransition('QUEUED', 'SUBMITTED'));
    assert.ok(canTransition('SUBMITTED', 'QUEUED'));
    assert.ok(!canTransition('QUEUED', 'ACCEPTED'));
    assert.ok(!canTransition('SUBMITTED', 'SUBMITTED'));
    assert.ok(canTransition('SUBMITTED', 'DELIVERED'));
    assert.ok(canTransition('SUBMITTED', 'EXPIRED'));
    assert.ok(!canTransition('QUEUED', 'DELIVERED'));
    assert.ok(canTransition('QUEUED', 'FAILED'));
    assert.ok(canTransition('ACCEPTED', 'REJECTED'));
  });

  it('maps receipt stats', () => {
    assert.equal(stateForReceiptStat('DELIVRD'), 'DELIVERED');
    assert.equal(stateForReceiptStat('EXPIRED'), 'EXPIRED');
    assert.equal(stateForReceiptStat('REJECTD'), 'REJECTED');
    assert.equal(stateForReceiptStat('ACCEPTD'), 'SUBMITTED');
    for (const s of ['UNDELIV', 'DELETED', 'UNKNOWN', 'MK:0196', ''])
      assert.equal(stateForReceiptStat(s), 'UNDELIVERED', s);
  });

  it('aggregates parts', () => {
    assert.equal(aggregateMessageState(['DELIVERED', 'DELIVERED']), 'DELIVERED');
    assert.equal(aggregateMessageState(['DELIVERED', 'QUEUED']), 'SUBMITTED');
    assert.equal(aggregateMessageState(['FAILED', 'ACCEPTED']), 'SUBMITTED');
    assert.equal(aggregateMessageState(['DELIVERED', 'EXPIRED']), 'EXPIRED');
    assert.equal(aggregateMessageState(['EXPIRED', 'UNDELIVERED']), 'UNDELIVERED');
    assert.equal(aggregateMessageState(['UNDELIVERED', 'REJECTED', 'EXPIRED']), 'REJECTED');
    assert.equal(aggregateMessageState(['REJECTED', 'FAILED', 'DELIVERED']), 'FAILED');
    assert.equal(aggregateMessageState(['SUBMITTED']), 'SUBMITTED');
    assert.equal(aggregateMessageState([]), 'ACCEPTED');
  });

  it('console send result', () => {
    assert.equal(sendResultOf('DELIVERED'), 'success');
    for (const s of ['UNDELIVERED', 'EXPIRED', 'REJECTED', 'FAILED'] as const)
      assert.equal(sendResultOf(s), 'failed');
    for (const s of ['ACCEPTED', 'QUEUED', 'SUBMITTED'] as const) assert.equal(sendResultOf(s), 'sending');
  });
});
