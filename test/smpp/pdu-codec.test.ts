import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandId } from '../../src/smpp/command-ids.js';
import { CommandStatus } from '../../src/smpp/command-status.js';
import { decodePdu, encodePdu } from '../../src/smpp/pdu-codec.js';
import { PDU_FIELDS } from '../../src/smpp/pdu-descriptors.js';
import type { PduInput } from '../../src/smpp/pdu-types.js';
import { SmppEncodeError } from '../../src/smpp/smpp-errors.js';
import { cstringTlv, readNetworkErrorCode, TlvTag, tlvString, tlvUint, uintTlv } from '../../src/smpp/tlv.js';
import { cs, frame, hex, oct, tlv, u8, u32 } from './helpers/hex.js';
import { validateRoundTrip } from './helpers/round-trip.js';

const bindBody = cs('smppclient1') + cs('secret') + cs('') + u8(0x34) + u8(1) + u8(1) + cs('');
const bindFields = {
  system_id: 'smppclient1',
  password: 'secret',
  system_type: '',
  interface_version: 0x34,
  addr_ton: 1,
  addr_npi: 1,
  address_range: '',
};
const sm = Buffer.from('Hello', 'latin1');
const smFields = {
  service_type: 'CMT',
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'Swiftlet',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '8613800000000',
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 1,
  schedule_delivery_time: '',
  validity_period: '000001000000000R',
  registered_delivery: 1,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: sm,
};
const smBody =
  cs('CMT') +
  u8(5) +
  u8(0) +
  cs('Swiftlet') +
  u8(1) +
  u8(1) +
  cs('8613800000000') +
  u8(0) +
  u8(0) +
  u8(1) +
  cs('') +
  cs('000001000000000R') +
  u8(1) +
  u8(0) +
  u8(0) +
  u8(0) +
  u8(5) +
  oct('Hello');

/** One hand-written fixture per PDU kind. */
const FIXTURES: Array<[PduInput, string]> = [
  [{ command: 'bind_transmitter', sequence_number: 1, ...bindFields }, frame(0x2, 0, 1, bindBody)],
  [{ command: 'bind_receiver', sequence_number: 2, ...bindFields }, frame(0x1, 0, 2, bindBody)],
  [{ command: 'bind_transceiver', sequence_number: 3, ...bindFields }, frame(0x9, 0, 3, bindBody)],
  [
    {
      command: 'bind_transmitter_resp',
      sequence_number: 1,
      system_id: 'SMSC',
      tlvs: [uintTlv(TlvTag.sc_interface_version, 0x34, 1)],
    },
    frame(0x80000002, 0, 1, cs('SMSC'), tlv(0x0210, '34')),
  ],
  [
    { command: 'bind_receiver_resp', sequence_number: 2, system_id: 'SMSC' },
    frame(0x80000001, 0, 2, cs('SMSC')),
  ],
  [
    { command: 'bind_transceiver_resp', sequence_number: 3, system_id: 'SMSC' },
    frame(0x80000009, 0, 3, cs('SMSC')),
  ],
  [
    { command: 'outbind', sequence_number: 4, system_id: 'SMSC', password: 'pw' },
    frame(0xb, 0, 4, cs('SMSC'), cs('pw')),
  ],
  [{ command: 'unbind', sequence_number: 5 }, frame(0x6, 0, 5)],
  [{ command: 'unbind_resp', sequence_number: 5 }, frame(0x80000006, 0, 5)],
  [{ command: 'enquire_link', sequence_number: 0x7fffffff }, frame(0x15, 0, 0x7fffffff)],
  [{ command: 'enquire_link_resp', sequence_number: 0x7fffffff }, frame(0x80000015, 0, 0x7fffffff)],
  [{ command: 'generic_nack', sequence_number: 9, command_status: 3 }, frame(0x80000000, 3, 9)],
  [
    {
      command: 'submit_sm',
      sequence_number: 10,
      ...smFields,
      tlvs: [uintTlv(TlvTag.user_message_reference, 0x1234, 2), { tag: 0x1400, value: hex('cafe') }],
    },
    frame(0x4, 0, 10, smBody, tlv(0x0204, '1234'), tlv(0x1400, 'cafe')),
  ],
  [
    { command: 'submit_sm_resp', sequence_number: 10, message_id: '5f3a9c' },
    frame(0x80000004, 0, 10, cs('5f3a9c')),
  ],
  [{ command: 'deliver_sm', sequence_number: 11, ...smFields }, frame(0x5, 0, 11, smBody)],
  [{ command: 'deliver_sm_resp', sequence_number: 11, message_id: '' }, frame(0x80000005, 0, 11, cs(''))],
  [
    {
      command: 'submit_multi',
      sequence_number: 12,
      service_type: '',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '123',
      dest_address: [
        { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4477' },
        { dest_flag: 2, dl_name: 'friends' },
      ],
      esm_class: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 0,
      sm_default_msg_id: 0,
      short_message: Buffer.from('hi'),
    },
    frame(
      0x21,
      0,
      12,
      cs('') +
        u8(1) +
        u8(1) +
        cs('123') +
        u8(2) +
        u8(1) +
        u8(1) +
        u8(1) +
        cs('4477') +
        u8(2) +
        cs('friends') +
        u8(0) +
        u8(0) +
        u8(0) +
        cs('') +
        cs('') +
        u8(0) +
        u8(0) +
        u8(0) +
        u8(0) +
        u8(2) +
        oct('hi'),
    ),
  ],
  [
    {
      command: 'submit_multi_resp',
      sequence_number: 12,
      message_id: 'm1',
      unsuccess_sme: [
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4477', error_status_code: 0x0b },
      ],
    },
    frame(0x80000021, 0, 12, cs('m1') + u8(1) + u8(1) + u8(1) + cs('4477') + u32(0x0b)),
  ],
  [
    {
      command: 'data_sm',
      sequence_number: 13,
      service_type: '',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '100',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '200',
      esm_class: 0,
      registered_delivery: 1,
      data_coding: 8,
      tlvs: [{ tag: TlvTag.message_payload, value: hex('00480069') }],
    },
    frame(
      0x103,
      0,
      13,
      cs('') + u8(1) + u8(1) + cs('100') + u8(1) + u8(1) + cs('200') + u8(0) + u8(1) + u8(8),
      tlv(0x0424, '00480069'),
    ),
  ],
  [{ command: 'data_sm_resp', sequence_number: 13, message_id: 'abc' }, frame(0x80000103, 0, 13, cs('abc'))],
  [
    {
      command: 'query_sm',
      sequence_number: 14,
      message_id: 'abc',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '100',
    },
    frame(0x3, 0, 14, cs('abc') + u8(1) + u8(1) + cs('100')),
  ],
  [
    {
      command: 'query_sm_resp',
      sequence_number: 14,
      message_id: 'abc',
      final_date: '2501011200000+32',
      message_state: 2,
      error_code: 0,
    },
    frame(0x80000003, 0, 14, cs('abc') + cs('2501011200000+32') + u8(2) + u8(0)),
  ],
  [
    {
      command: 'cancel_sm',
      sequence_number: 15,
      service_type: '',
      message_id: 'abc',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '100',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '200',
    },
    frame(0x8, 0, 15, cs('') + cs('abc') + u8(1) + u8(1) + cs('100') + u8(1) + u8(1) + cs('200')),
  ],
  [{ command: 'cancel_sm_resp', sequence_number: 15 }, frame(0x80000008, 0, 15)],
  [
    {
      command: 'replace_sm',
      sequence_number: 16,
      message_id: 'abc',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '100',
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 1,
      sm_default_msg_id: 0,
      short_message: Buffer.from('new'),
    },
    frame(
      0x7,
      0,
      16,
      cs('abc') + u8(1) + u8(1) + cs('100') + cs('') + cs('') + u8(1) + u8(0) + u8(3) + oct('new'),
    ),
  ],
  [{ command: 'replace_sm_resp', sequence_number: 16 }, frame(0x80000007, 0, 16)],
  [
    {
      command: 'alert_notification',
      sequence_number: 17,
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '100',
      esme_addr_ton: 0,
      esme_addr_npi: 0,
      esme_addr: 'esme',
      tlvs: [uintTlv(TlvTag.ms_availability_status, 0, 1)],
    },
    frame(0x102, 0, 17, u8(1) + u8(1) + cs('100') + u8(0) + u8(0) + cs('esme'), tlv(0x0422, '00')),
  ],
];

describe('pdu codec hex fixtures', () => {
  test('there is a fixture for every PDU kind in the table', () => {
    const covered = new Set(FIXTURES.map(([p]) => p.command));
    assert.deepEqual([...covered].sort(), Object.keys(PDU_FIELDS).sort());
    assert.deepEqual(Object.keys(PDU_FIELDS).sort(), Object.keys(CommandId).sort());
  });
  for (const [input, expected] of FIXTURES) {
    test(`${input.command} round-trips through its hex fixture`, () => validateRoundTrip(input, expected));
  }
});

describe('pdu codec edge cases', () => {
  test('submit_sm_resp with an error status and no body decodes with an empty message_id and re-encodes without a body', () => {
    const bytes = hex(frame(0x80000004, CommandStatus.ESME_RTHROTTLED, 7));
    const r = decodePdu(bytes);
    assert.ok(r.ok);
    assert.equal(r.pdu.command, 'submit_sm_resp');
    if (r.pdu.command === 'submit_sm_resp') assert.equal(r.pdu.message_id, '');
    assert.equal(r.pdu.command_status, 0x58);
    assert.deepEqual(encodePdu(r.pdu), bytes);
  });

  test('unknown command_id is recoverable with ESME_RINVCMDID and keeps the sequence number', () => {
    const r = decodePdu(hex(frame(0x00000999, 0, 42, '00')));
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.deepEqual(r.error, {
        status: 0x03,
        recoverable: true,
        sequence_number: 42,
        command_id: 0x999,
        message: r.error.message,
      });
  });

  test('command_length that disagrees with the frame size is unrecoverable', () => {
    const b = hex(frame(0x15, 0, 1));
    b.writeUInt32BE(20, 0);
    const r = decodePdu(b);
    assert.ok(!r.ok && !r.error.recoverable && r.error.status === CommandStatus.ESME_RINVCMDLEN);
  });

  test('a frame shorter than the header is unrecoverable', () => {
    const r = decodePdu(Buffer.alloc(8));
    assert.ok(!r.ok && !r.error.recoverable);
  });

  test('a submit_sm with a too-long source_addr is recoverable with ESME_RINVSRCADR', () => {
    const body =
      cs('') +
      u8(1) +
      u8(1) +
      cs('1'.repeat(25)) +
      u8(1) +
      u8(1) +
      cs('2') +
      '00'.repeat(3) +
      cs('') +
      cs('') +
      '00'.repeat(4) +
      '00';
    const r = decodePdu(hex(frame(0x4, 0, 3, body)));
    assert.ok(
      !r.ok &&
        r.error.recoverable &&
        r.error.status === CommandStatus.ESME_RINVSRCADR &&
        r.error.sequence_number === 3,
    );
  });

  test('a truncated submit_sm body is recoverable with ESME_RINVCMDLEN', () => {
    const r = decodePdu(hex(frame(0x4, 0, 3, cs('') + u8(1))));
    assert.ok(!r.ok && r.error.recoverable && r.error.status === CommandStatus.ESME_RINVCMDLEN);
  });

  test('sm_length overrunning the body is recoverable with ESME_RINVMSGLEN', () => {
    const body = smBody.slice(0, -12) + u8(200) + oct('Hello');
    const r = decodePdu(hex(frame(0x4, 0, 3, body)));
    assert.ok(!r.ok && r.error.recoverable && r.error.status === CommandStatus.ESME_RINVMSGLEN);
  });

  test('a TLV overrunning the body is recoverable with ESME_RINVOPTPARSTREAM', () => {
    const r = decodePdu(hex(frame(0x80000004, 0, 3, cs('x'), '001e0009' + '41')));
    assert.ok(!r.ok && r.error.recoverable && r.error.status === CommandStatus.ESME_RINVOPTPARSTREAM);
  });

  test('short_message and TLV values are views of the frame, not copies', () => {
    const b = hex(frame(0x5, 0, 11, smBody, tlv(0x001e, cs('abc'))));
    const r = decodePdu(b);
    assert.ok(r.ok && r.pdu.command === 'deliver_sm');
    if (r.pdu.command === 'deliver_sm') {
      assert.equal(r.pdu.short_message.buffer, b.buffer);
      assert.equal(tlvString(r.pdu.tlvs, TlvTag.receipted_message_id), 'abc');
    }
  });

  test('typed TLV accessors read integers, strings and network_error_code', () => {
    const tlvs = [
      uintTlv(TlvTag.message_state, 2, 1),
      cstringTlv(TlvTag.receipted_message_id, 'X1'),
      { tag: TlvTag.network_error_code, value: hex('030001') },
    ];
    assert.equal(tlvUint(tlvs, TlvTag.message_state), 2);
    assert.equal(tlvString(tlvs, TlvTag.receipted_message_id), 'X1');
    assert.deepEqual(readNetworkErrorCode(tlvs), { network_type: 3, error_code: 1 });
    assert.equal(tlvUint(tlvs, TlvTag.sar_msg_ref_num), undefined);
  });

  test('encode rejects fields that cannot be written', () => {
    assert.throws(() => encodePdu({ command: 'submit_sm', source_addr: 'x'.repeat(21) }), SmppEncodeError);
    assert.throws(() => encodePdu({ command: 'submit_sm', esm_class: 256 }), SmppEncodeError);
    assert.throws(
      () => encodePdu({ command: 'submit_sm', short_message: Buffer.alloc(256) }),
      SmppEncodeError,
    );
    assert.throws(() => encodePdu({ command: 'submit_sm', source_addr: 'a\0b' }), SmppEncodeError);
    assert.throws(() => encodePdu({ command: 'submit_sm', source_addr: '☃' }), SmppEncodeError);
  });

  test('encode defaults missing fields', () => {
    assert.equal(encodePdu({ command: 'submit_sm' }).length, 16 + 17);
  });
});
