import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Reassembler } from '../../src/smpp/reassembler.js';
import { buildShortMessageParts, buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';
import { decodeShortMessage } from '../../src/smpp/short-message-decoder.js';
import { TlvTag, tlvBytes, tlvUint } from '../../src/smpp/tlv.js';

const long = (n: number, ch = 'a') => ch.repeat(n);

describe('buildShortMessageParts', () => {
  test('short GSM-7 text is one part, data_coding 0, unpacked septets, no UDH', () => {
    const r = buildShortMessageParts('Hello @ world');
    assert.equal(r.parts.length, 1);
    assert.equal(r.data_coding, 0);
    assert.equal(r.parts[0].esm_class, 0);
    assert.equal(r.parts[0].short_message[6], 0x00, '@ is septet 0');
    assert.equal(r.parts[0].short_message.length, 13);
  });

  test('long GSM-7 text with udh8 gets 6-octet UDH and UDHI', () => {
    const r = buildShortMessageParts(long(200), { reference: 0x42 });
    assert.equal(r.parts.length, 2);
    assert.deepEqual([...r.parts[0].short_message.subarray(0, 6)], [5, 0, 3, 0x42, 2, 1]);
    assert.deepEqual([...r.parts[1].short_message.subarray(0, 6)], [5, 0, 3, 0x42, 2, 2]);
    assert.equal(r.parts[0].esm_class, 0x40);
    assert.equal(r.parts[0].short_message.length, 6 + 153);
  });

  test('udh16 uses a 7-octet UDH with a 16-bit reference', () => {
    const r = buildShortMessageParts(long(200), { concat: 'udh16', reference: 0x1234 });
    assert.deepEqual([...r.parts[0].short_message.subarray(0, 7)], [6, 8, 4, 0x12, 0x34, 2, 1]);
    assert.equal(r.parts[0].short_message.length, 7 + 152);
  });

  test('UCS-2 text gets data_coding 8 and 67 characters per part', () => {
    const r = buildShortMessageParts('你'.repeat(100), { reference: 1 });
    assert.equal(r.data_coding, 8);
    assert.equal(r.parts.length, 2);
    assert.equal(r.parts[0].short_message.length, 6 + 134);
  });

  test('SAR concatenation uses TLVs and no UDH', () => {
    const r = buildShortMessageParts(long(200), { concat: 'sar', reference: 0x0102 });
    assert.equal(r.parts[1].esm_class, 0);
    assert.equal(tlvUint(r.parts[1].tlvs, TlvTag.sar_msg_ref_num), 0x0102);
    assert.equal(tlvUint(r.parts[1].tlvs, TlvTag.sar_total_segments), 2);
    assert.equal(tlvUint(r.parts[1].tlvs, TlvTag.sar_segment_seqnum), 2);
  });

  test('payload mode puts the whole text in message_payload', () => {
    const r = buildShortMessageParts(long(400), { concat: 'payload' });
    assert.equal(r.parts.length, 1);
    assert.equal(r.parts[0].short_message.length, 0);
    assert.equal(tlvBytes(r.parts[0].tlvs, TlvTag.message_payload)?.length, 400);
  });

  test('latin1 policy uses data_coding 3 when every character fits, else UCS-2', () => {
    assert.equal(buildShortMessageParts('café', { encoding: 'latin1' }).data_coding, 3);
    assert.equal(buildShortMessageParts('café ☃', { encoding: 'latin1' }).data_coding, 8);
    assert.equal(buildShortMessageParts(long(300, 'é'), { encoding: 'latin1' }).parts.length, 3);
  });

  test('packed GSM-7 round-trips with and without UDH', () => {
    for (const text of ['hello', 'abcdefg', long(153 + 10, 'x'), 'a{b}c'.repeat(40)]) {
      const r = buildShortMessageParts(text, { gsm7Packed: true });
      const got = r.parts.map((p) => decodeShortMessage({ ...p }, { gsm7Packed: true }).text).join('');
      assert.equal(got, text);
    }
  });

  test('buildSubmitSmParts merges base fields and ORs esm_class', () => {
    const parts = buildSubmitSmParts(
      { source_addr: 'S', destination_addr: 'D', esm_class: 0x03, registered_delivery: 1 },
      long(200),
    );
    assert.equal(parts.length, 2);
    assert.equal(parts[0].esm_class, 0x43);
    assert.equal(parts[1].source_addr, 'S');
  });
});

describe('decodeShortMessage', () => {
  test('strips the UDH and reports concat info', () => {
    const p = buildShortMessageParts('€'.repeat(100), { reference: 7 }).parts[1];
    const d = decodeShortMessage(p);
    assert.deepEqual(d.concat, { ref: 7, total: 2, seq: 2, refBits: 8 });
    assert.equal(d.text, '€'.repeat(100 - 76));
  });

  test('reads data_coding 1 and 3 as single-byte text and prefers message_payload', () => {
    assert.equal(
      decodeShortMessage({
        esm_class: 0,
        data_coding: 3,
        short_message: Buffer.from('café', 'latin1'),
        tlvs: [],
      }).text,
      'café',
    );
    assert.equal(
      decodeShortMessage({ esm_class: 0, data_coding: 1, short_message: Buffer.from('abc'), tlvs: [] }).text,
      'abc',
    );
    const tlvs = [{ tag: TlvTag.message_payload, value: Buffer.from('payload') }];
    assert.equal(
      decodeShortMessage({ esm_class: 0, data_coding: 3, short_message: Buffer.alloc(0), tlvs }).text,
      'payload',
    );
  });

  test('a malformed UDH is treated as text, never throws', () => {
    const d = decodeShortMessage({
      esm_class: 0x40,
      data_coding: 3,
      short_message: Buffer.from([9, 0, 3]),
      tlvs: [],
    });
    assert.equal(d.concat, undefined);
  });
});

describe('Reassembler', () => {
  const mk = (text: string, concat: 'udh8' | 'sar' = 'udh8', reference = 5) =>
    buildShortMessageParts(text, { concat, reference }).parts.map((p) => decodeShortMessage(p));

  test('joins parts received out of order', () => {
    const text = `${'x'.repeat(66)}😀${'y'.repeat(70)}`;
    const parts = mk(text);
    assert.equal(parts.length, 3);
    const r = new Reassembler();
    assert.equal(r.add('A', 'B', parts[2]).status, 'pending');
    assert.equal(r.add('A', 'B', parts[0]).status, 'pending');
    const done = r.add('A', 'B', parts[1]);
    assert.equal(done.status, 'complete');
    if (done.status === 'complete') assert.equal(done.text, text);
    assert.equal(r.size, 0);
  });

  test('a surrogate pair split across parts by the sender still decodes', () => {
    const bytes = Buffer.from('ab😀', 'utf16le').swap16(); // UTF-16BE: 61 62 d83d de00
    const udh = (seq: number) => Buffer.from([5, 0, 3, 9, 2, seq]);
    const p1 = decodeShortMessage({
      esm_class: 0x40,
      data_coding: 8,
      short_message: Buffer.concat([udh(1), bytes.subarray(0, 6)]),
      tlvs: [],
    });
    const p2 = decodeShortMessage({
      esm_class: 0x40,
      data_coding: 8,
      short_message: Buffer.concat([udh(2), bytes.subarray(6)]),
      tlvs: [],
    });
    const r = new Reassembler();
    r.add('A', 'B', p1);
    const done = r.add('A', 'B', p2);
    assert.ok(done.status === 'complete' && done.text === 'ab😀');
  });

  test('keys groups by source, destination and reference; duplicates are flagged', () => {
    const r = new Reassembler<number>();
    const a = mk('z'.repeat(200), 'sar', 1);
    assert.equal(r.add('A', 'B', a[0], 1).status, 'pending');
    assert.equal(r.add('C', 'B', a[1], 2).status, 'pending', 'other source: other group');
    assert.equal(r.add('A', 'B', a[0], 3).status, 'duplicate');
    const done = r.add('A', 'B', a[1], 4);
    assert.ok(done.status === 'complete' && done.contexts.join() === '1,4');
  });

  test('incomplete groups expire after the timeout (injected clock)', () => {
    let now = 0;
    const r = new Reassembler({ timeoutMs: 1000, now: () => now });
    r.add('A', 'B', mk('q'.repeat(200))[0]);
    now = 999;
    assert.deepEqual(r.sweep(), []);
    now = 1000;
    const dropped = r.sweep();
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0].reason, 'timeout');
    assert.equal(dropped[0].partialText, 'q'.repeat(153));
    assert.equal(r.size, 0);
  });

  test('memory is bounded: the oldest group is evicted', () => {
    const r = new Reassembler({ maxGroups: 2 });
    for (let ref = 1; ref <= 3; ref++) r.add('A', 'B', mk('w'.repeat(200), 'udh8', ref)[0]);
    assert.equal(r.size, 2);
    const d = r.sweep();
    assert.equal(d.length, 1);
    assert.equal(d[0].reason, 'evicted');
  });
});
