import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodePdu, encodePdu } from '../../src/smpp/pdu-codec.js';
import { PduFramer } from '../../src/smpp/pdu-framer.js';
import { cs, frame, hex, u8 } from './helpers/hex.js';

const submit = encodePdu({
  command: 'submit_sm',
  sequence_number: 1,
  source_addr: 'A',
  destination_addr: 'B',
  short_message: Buffer.from('hello'),
});
const enquire = encodePdu({ command: 'enquire_link', sequence_number: 2 });
const resp = encodePdu({ command: 'submit_sm_resp', sequence_number: 3, message_id: 'id-3' });
const stream = Buffer.concat([submit, enquire, resp]);

describe('PduFramer', () => {
  test('yields nothing until a whole frame has arrived (4- and 15-byte partials)', () => {
    for (const n of [4, 15]) {
      const f = new PduFramer();
      assert.deepEqual(f.push(enquire.subarray(0, n)), []);
      assert.equal(f.buffered, n);
      const out = f.push(enquire.subarray(n));
      assert.deepEqual(out, [enquire]);
    }
  });

  test('splitting the stream at every byte offset yields the same three frames', () => {
    for (let i = 0; i <= stream.length; i++) {
      const f = new PduFramer();
      const out = [...f.push(stream.subarray(0, i)), ...f.push(stream.subarray(i))];
      assert.deepEqual(out, [submit, enquire, resp], `split at ${i}`);
      assert.equal(f.buffered, 0);
    }
  });

  test('byte-by-byte delivery yields the same frames', () => {
    const f = new PduFramer();
    const out: Buffer[] = [];
    for (const b of stream) out.push(...f.push(Buffer.from([b])));
    assert.deepEqual(out, [submit, enquire, resp]);
  });

  test('frames from a single chunk are views of that chunk', () => {
    const f = new PduFramer();
    const out = f.push(stream);
    assert.equal(out[0].buffer, stream.buffer);
  });

  test('command_length < 16 is an unrecoverable framing error, earlier frames still come out', () => {
    const bad = hex('0000000c0000001500000000');
    const f = new PduFramer();
    const out = f.push(Buffer.concat([enquire, bad, resp]));
    assert.deepEqual(out, [enquire]);
    assert.match(f.error?.message ?? '', /< 16/);
    assert.deepEqual(f.push(resp), [], 'a failed framer ignores later input');
  });

  test('command_length above the cap is an unrecoverable framing error', () => {
    const f = new PduFramer(1024);
    f.push(hex('00000801000000040000000000000001'));
    assert.equal(f.error?.commandLength, 0x801);
    assert.ok(new PduFramer().push(hex('00010001')).length === 0);
    const g = new PduFramer();
    g.push(hex('00010001'));
    assert.match(g.error?.message ?? '', /cap 65536/);
  });

  test('a bad PDU is skipped and the next one parses', () => {
    const bad = hex(frame(0x4, 0, 9, cs('') + u8(1))); // truncated submit_sm body
    const unknown = hex(frame(0x77, 0, 10));
    const f = new PduFramer();
    const results = f.push(Buffer.concat([bad, unknown, enquire])).map(decodePdu);
    assert.equal(results.length, 3);
    assert.ok(!results[0].ok && results[0].error.recoverable && results[0].error.sequence_number === 9);
    assert.ok(!results[1].ok && results[1].error.status === 0x03);
    assert.ok(results[2].ok && results[2].pdu.command === 'enquire_link');
  });
});

describe('codec properties (fast-check)', () => {
  const cstr = (max: number) =>
    fc.string({
      unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)),
      maxLength: max - 1,
    });
  const octet = fc.integer({ min: 0, max: 255 });
  const tlvArb = fc.array(
    fc
      .record({
        tag: fc.integer({ min: 0, max: 0xffff }),
        value: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      })
      .map((t) => ({ tag: t.tag, value: t.value })),
    { maxLength: 4 },
  );

  test('random submit_sm / deliver_sm field values round-trip', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('submit_sm' as const, 'deliver_sm' as const),
        fc.record({
          sequence_number: fc.integer({ min: 0, max: 0xffffffff }),
          service_type: cstr(6),
          source_addr_ton: octet,
          source_addr_npi: octet,
          source_addr: cstr(21),
          dest_addr_ton: octet,
          dest_addr_npi: octet,
          destination_addr: cstr(21),
          esm_class: octet,
          protocol_id: octet,
          priority_flag: octet,
          schedule_delivery_time: cstr(17),
          validity_period: cstr(17),
          registered_delivery: octet,
          replace_if_present_flag: octet,
          data_coding: octet,
          sm_default_msg_id: octet,
          short_message: fc.uint8Array({ maxLength: 255 }).map((a) => Buffer.from(a)),
          tlvs: tlvArb,
        }),
        (command, fields) => {
          const input = {
            command,
            command_id: command === 'submit_sm' ? 4 : 5,
            command_status: 0,
            ...fields,
          };
          Object.setPrototypeOf(input, Object.prototype);
          const r = decodePdu(encodePdu(input));
          assert.ok(r.ok);
          assert.deepEqual(r.pdu, input);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('random byte strings never make decodePdu throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (a) => {
        const r = decodePdu(Buffer.from(a));
        assert.equal(typeof r.ok, 'boolean');
      }),
      { numRuns: 2000 },
    );
  });

  test('mutated valid frames never make decodePdu throw', () => {
    const seeds = [
      submit,
      enquire,
      resp,
      encodePdu({ command: 'submit_multi', dest_address: [{ dest_flag: 2, dl_name: 'x' }] }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), octet), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (seed, muts, keepLength) => {
          const b = Buffer.from(seed);
          for (const [i, v] of muts) b[i % b.length] = v;
          if (keepLength) b.writeUInt32BE(b.length, 0);
          const r = decodePdu(b);
          if (r.ok) encodePdu(r.pdu); // whatever decodes must encode again
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('the framer never throws on random chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const f = new PduFramer();
        for (const c of chunks) for (const fr of f.push(Buffer.from(c))) decodePdu(fr);
      }),
      { numRuns: 500 },
    );
  });
});
