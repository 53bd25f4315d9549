import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  formatReceiptText,
  isDeliveryReceipt,
  normalizeMessageId,
  parseDeliveryReceipt,
  parseReceiptDate,
  parseReceiptText,
} from '../../src/smpp/receipt.js';
import { cstringTlv, TlvTag, uintTlv } from '../../src/smpp/tlv.js';

const dr = (text: string, tlvs = [] as ReturnType<typeof uintTlv>[]) => ({
  esm_class: 0x04,
  data_coding: 0,
  short_message: Buffer.from(text, 'latin1'),
  tlvs,
});

describe('receipt text', () => {
  test('parses the Appendix B format', () => {
    const r = parseReceiptText(
      'id:0123456789 sub:001 dlvrd:001 submit date:2501011200 done date:2501011201 stat:DELIVRD err:000 text:Hello id:x',
    );
    assert.deepEqual(r, {
      id: '0123456789',
      sub: '001',
      dlvrd: '001',
      submit_date: '2501011200',
      done_date: '2501011201',
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello id:x',
    });
  });

  test('keys are case-insensitive and missing fields are tolerated', () => {
    const r = parseReceiptText('ID:abc Stat:undeliv ERR:012');
    assert.deepEqual(r, { id: 'abc', stat: 'undeliv', err: '012' });
  });

  test('10- and 12-digit dates parse; garbage does not', () => {
    assert.equal(parseReceiptDate('2501311259')?.toISOString(), '2025-01-31T12:59:00.000Z');
    assert.equal(parseReceiptDate('250131125930')?.toISOString(), '2025-01-31T12:59:30.000Z');
    assert.equal(parseReceiptDate('2501311259', 60)?.toISOString(), '2025-01-31T11:59:00.000Z');
    assert.equal(parseReceiptDate('2513011200'), undefined);
    assert.equal(parseReceiptDate('abc'), undefined);
  });

  test('format → parse round trip', () => {
    const text = formatReceiptText({
      id: 'A1',
      stat: 'DELIVRD',
      submitDate: new Date('2025-03-04T05:06:07Z'),
      doneDate: new Date('2025-03-04T05:06:09Z'),
      text: 'This text is longer than twenty characters',
      dateSeconds: true,
    });
    assert.equal(
      text,
      'id:A1 sub:001 dlvrd:001 submit date:250304050607 done date:250304050609 stat:DELIVRD err:000 text:This text is longer ',
    );
    const r = parseDeliveryReceipt(dr(text));
    assert.equal(r?.message_id, 'A1');
    assert.equal(r?.stat, 'DELIVRD');
    assert.equal(r?.message_state, 2);
    assert.equal(r?.done_date?.toISOString(), '2025-03-04T05:06:09.000Z');
  });
});

describe('parseDeliveryReceipt', () => {
  test('TLVs win over the text', () => {
    const r = parseDeliveryReceipt(
      dr('id:999 stat:DELIVRD err:000', [
        cstringTlv(TlvTag.receipted_message_id, 'abc'),
        uintTlv(TlvTag.message_state, 5, 1),
        { tag: TlvTag.network_error_code, value: Buffer.from([3, 0, 1]) },
      ]),
    );
    assert.equal(r?.message_id, 'abc');
    assert.equal(r?.stat, 'UNDELIV');
    assert.equal(r?.message_state, 5);
    assert.deepEqual(r?.network_error, { network_type: 3, error_code: 1 });
  });

  test('an ordinary MO is not a receipt', () => {
    assert.equal(
      parseDeliveryReceipt({ esm_class: 0, data_coding: 0, short_message: Buffer.from('hi'), tlvs: [] }),
      undefined,
    );
    assert.equal(isDeliveryReceipt(0x04), true);
    assert.equal(isDeliveryReceipt(0x40), false);
  });

  test('long stat spellings are mapped', () => {
    assert.equal(parseDeliveryReceipt(dr('id:1 stat:delivered'))?.stat, 'DELIVRD');
  });
});

describe('normalizeMessageId', () => {
  test('hex and decimal forms of the same id match', () => {
    assert.equal(normalizeMessageId('0001A', 'hex'), normalizeMessageId('26', 'decimal'));
    assert.equal(normalizeMessageId('1a', 'hex'), normalizeMessageId('1A', 'hex'));
    assert.equal(normalizeMessageId('0x1A', 'hex'), '26');
    assert.equal(normalizeMessageId('ffffffffffffffffffff', 'hex'), '1208925819614629174706175');
  });

  test('auto ignores case, 0x and leading zeros but never converts between bases', () => {
    assert.equal(normalizeMessageId('00026'), '26');
    assert.equal(normalizeMessageId('0001A'), normalizeMessageId('0x1a'));
    assert.equal(normalizeMessageId('000'), '0');
    assert.equal(normalizeMessageId('Msg-ABC'), 'msg-abc');
    // An SMSC with hex ids issues both "a" and "10": they must stay two ids.
    assert.notEqual(normalizeMessageId('a'), normalizeMessageId('10'));
  });

  test('auto is injective over the hex ids of one SMSC (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.bigInt({ min: 0n, max: 2n ** 64n }), (a, b) => {
        const ka = normalizeMessageId(a.toString(16).toUpperCase());
        const kb = normalizeMessageId(`000${b.toString(16)}`);
        return (ka === kb) === (a === b);
      }),
    );
  });

  test('hex-decimal and decimal-hex read the receipt text in the other base; the TLV like the response', () => {
    const resp = normalizeMessageId('1A2B', 'hex-decimal', 'submit');
    assert.equal(normalizeMessageId('6699', 'hex-decimal', 'receipt-text'), resp);
    assert.equal(normalizeMessageId('1a2b', 'hex-decimal', 'submit'), resp, 'TLV id, as in the response');
    assert.notEqual(normalizeMessageId('1A2B', 'hex-decimal', 'receipt-text'), resp);
    const dec = normalizeMessageId('6699', 'decimal-hex', 'submit');
    assert.equal(normalizeMessageId('00001a2b', 'decimal-hex', 'receipt-text'), dec);
  });

  test('string mode is exact apart from trimming', () => {
    assert.equal(normalizeMessageId(' 0001A ', 'string'), '0001A');
  });

  test('non-numeric ids fall back to case-folded strings in hex/decimal modes', () => {
    assert.equal(normalizeMessageId('XYZ', 'hex'), 'xyz');
    assert.equal(normalizeMessageId('12ab', 'decimal'), '12ab');
  });
});
