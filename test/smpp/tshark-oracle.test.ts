/**
 * Wireshark as an independent decoder: our encoder's submit_sm (concatenated UCS-2) is
 * written as a hex dump, wrapped in a TCP/2775 capture by text2pcap, and dissected by
 * tshark. Needs Debian's `tshark` (which brings text2pcap): when missing, this test FAILS
 * with instructions instead of skipping.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodePdu } from '../../src/smpp/pdu-codec.js';
import { buildSubmitSmParts } from '../../src/smpp/short-message-builder.js';

const TSHARK = '/usr/bin/tshark';
const TEXT2PCAP = '/usr/bin/text2pcap';

function hexDump(buf: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < buf.length; off += 16) {
    const bytes = [...buf.subarray(off, off + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(`${off.toString(16).padStart(6, '0')} ${bytes}`);
  }
  return `${lines.join('\n')}\n`;
}

test('tshark dissects our concatenated UCS-2 submit_sm with the expected fields', () => {
  assert.ok(
    existsSync(TSHARK) && existsSync(TEXT2PCAP),
    `tshark/text2pcap not found at ${TSHARK} / ${TEXT2PCAP}: install them with \`apt-get install -y tshark\``,
  );
  const text = `${'Привет, мир! '.repeat(6)}`; // 78 UCS-2 chars → 2 parts
  const parts = buildSubmitSmParts(
    {
      source_addr: 'Swiftlet',
      source_addr_ton: 5,
      destination_addr: '8613812345678',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      registered_delivery: 1,
    },
    text,
    {
      reference: 0xab,
    },
  );
  assert.equal(parts.length, 2);
  const pdu = encodePdu({ command: 'submit_sm', sequence_number: 77, ...parts[0] });
  const dir = mkdtempSync(join(tmpdir(), 'smpp-tshark-'));
  try {
    writeFileSync(join(dir, 'pdu.txt'), hexDump(pdu));
    execFileSync(TEXT2PCAP, ['-q', '-T', '40000,2775', join(dir, 'pdu.txt'), join(dir, 'pdu.pcap')], {
      stdio: 'pipe',
    });
    const fields = [
      'smpp.command_id',
      'smpp.sequence_number',
      'smpp.source_addr',
      'smpp.destination_addr',
      'smpp.data_coding',
      'smpp.esm.submit.features',
      'smpp.sm_length',
      'gsm_sms.udh.mm.msg_id',
      'gsm_sms.udh.mm.msg_parts',
      'gsm_sms.udh.mm.msg_part',
      'smpp.message_text',
    ];
    const out = execFileSync(
      TSHARK,
      [
        '-r',
        join(dir, 'pdu.pcap'),
        '-d',
        'tcp.port==2775,smpp',
        '-T',
        'fields',
        '-E',
        'separator=|',
        ...fields.flatMap((f) => ['-e', f]),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
    const got = Object.fromEntries(fields.map((f, i) => [f, out.split('|')[i]]));
    assert.equal(Number(got['smpp.command_id']), 4);
    assert.equal(Number(got['smpp.sequence_number']), 77);
    assert.equal(got['smpp.source_addr'], 'Swiftlet');
    assert.equal(got['smpp.destination_addr'], '8613812345678');
    assert.equal(Number(got['smpp.data_coding']), 8);
    assert.equal(Number(got['smpp.esm.submit.features']), 0x40 >> 6, 'GSM features = UDHI');
    assert.equal(Number(got['smpp.sm_length']), 6 + 67 * 2);
    assert.equal(Number(got['gsm_sms.udh.mm.msg_id']), 0xab);
    assert.equal(Number(got['gsm_sms.udh.mm.msg_parts']), 2);
    assert.equal(Number(got['gsm_sms.udh.mm.msg_part']), 1);
    assert.equal(got['smpp.message_text'], text.slice(0, 67), 'tshark decodes our UCS-2 after the UDH');
    // Verbose dissection for the UDH and the decoded text (field names vary across versions).
    const verbose = execFileSync(TSHARK, ['-r', join(dir, 'pdu.pcap'), '-d', 'tcp.port==2775,smpp', '-V'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.match(verbose, /User Data Header/i);
    assert.match(verbose, /Concatenated short messages, 8-bit reference number/);
    assert.match(verbose, /Message identifier: 171/);
    assert.match(verbose, /Message parts: 2/);
    assert.match(verbose, /Message part number: 1/);
    assert.match(verbose, /User Data Header Length: 5/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
