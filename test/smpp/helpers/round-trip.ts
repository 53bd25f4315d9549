import assert from 'node:assert/strict';
import { completePdu, decodePdu, encodePdu } from '../../../src/smpp/pdu-codec.js';
import type { PduInput } from '../../../src/smpp/pdu-types.js';

/**
 * The round-trip check: encode → compare to the expected hex → decode → deep-equal to the
 * input (completed with defaults) → re-encode gives the same bytes (no bytes left over).
 */
export function validateRoundTrip(input: PduInput, expectedHex: string): void {
  const bytes = encodePdu(input);
  assert.equal(bytes.toString('hex'), expectedHex, `${input.command}: encoded hex`);
  const r = decodePdu(bytes);
  assert.ok(r.ok, `${input.command}: decode failed ${r.ok ? '' : r.error.message}`);
  assert.deepEqual(r.pdu, completePdu(input as never));
  assert.equal(encodePdu(r.pdu).toString('hex'), expectedHex, `${input.command}: re-encoded hex`);
  assert.equal(bytes.readUInt32BE(0), bytes.length, 'command_length covers every byte');
}
