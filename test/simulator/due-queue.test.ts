import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DueQueue } from '../../src/simulator/due-queue.js';

test('DueQueue runs jobs in due order (ties in insertion order), is bounded, and stops', async () => {
  const ran: string[] = [];
  const q = new DueQueue<string>({ run: (j) => ran.push(j), maxSize: 4 });
  const now = Date.now();
  assert.ok(q.push('c', now + 30));
  assert.ok(q.push('a', now + 5));
  assert.ok(q.push('b1', now + 10));
  assert.ok(q.push('b2', now + 10));
  assert.equal(q.push('overflow', now), false);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(ran, ['a', 'b1', 'b2', 'c']);
  assert.equal(q.size, 0);
  q.push('late', Date.now() + 1000);
  assert.deepEqual(q.stop(), ['late']);
  assert.equal(q.push('x', 0), false);
});
