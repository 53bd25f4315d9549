/**
 * XLSX upload for group sending: the ZIP reader, the streaming sheet reader (shared / inline /
 * numeric cells, data descriptors, rels), bounded memory on a 200,000-row sheet, malformed files
 * refused with XlsxError (never another crash), and a 1,000-number XLSX group send through the
 * HTTP route reaching 100 %.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { columnIndex, numericCellText } from '../../src/api/console/xlsx-cell-text.js';
import { XlsxError } from '../../src/api/console/xlsx-error.js';
import { readXlsxRows } from '../../src/api/console/xlsx-sheet-reader.js';
import { detectUploadFormat, XLSX_CONTENT_TYPE } from '../../src/api/console/xlsx-upload.js';
import { XlsxXmlScanner, type XmlHandler } from '../../src/api/console/xlsx-xml-scanner.js';
import { XlsxZipReader } from '../../src/api/console/xlsx-zip-reader.js';
import { ADMIN_TOKEN, type ApiFixture, setupApi } from '../api/helpers.js';
import { rowXml, sharedStringsXml, sheetXml, xlsx, zip } from './xlsx-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'swiftlet-xlsx-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
function save(buf: Buffer): string {
  const p = join(dir, `f${seq++}.xlsx`);
  writeFileSync(p, buf);
  return p;
}
async function readAll(buf: Buffer): Promise<string[][]> {
  const out: string[][] = [];
  for await (const rows of readXlsxRows(save(buf))) out.push(...rows);
  return out;
}
async function rejectsXlsx(buf: Buffer, code?: string): Promise<void> {
  await assert.rejects(readAll(buf), (err: unknown) => {
    assert.ok(err instanceof XlsxError, `expected XlsxError, got ${String(err)}`);
    if (code) assert.equal(err.code, code);
    return true;
  });
}

test('numericCellText converts exactly, without floats', () => {
  assert.equal(numericCellText('8613800000001'), '8613800000001');
  assert.equal(numericCellText('8.6138E+12'), '8613800000000');
  assert.equal(numericCellText('8.613800000001E+12'), '8613800000001');
  assert.equal(numericCellText('1.23456789012345678E+17'), '123456789012345678');
  assert.equal(numericCellText('123.0'), '123');
  assert.equal(numericCellText('1.5E-3'), '0.0015');
  assert.equal(numericCellText('-2.5'), '-2.5');
  assert.equal(numericCellText('0'), '0');
  assert.equal(numericCellText('0.000'), '0');
  assert.equal(numericCellText('1E+400'), '1E+400');
  assert.equal(numericCellText('abc'), 'abc');
  assert.equal(columnIndex('A1'), 0);
  assert.equal(columnIndex('Z9'), 25);
  assert.equal(columnIndex('AA10'), 26);
  assert.equal(columnIndex('XFD1'), 16383);
  assert.equal(columnIndex('XFE1'), -1);
  assert.equal(columnIndex('12'), -1);
});

test('the scanner gives the same events whatever the chunking', () => {
  const xml =
    '<?xml version="1.0"?><!-- a > comment --><!DOCTYPE x [<!ENTITY e "boom">]><x:a b="1>2" c=\'&quot;\'>t&amp;u&#x41;&#66;<![CDATA[<raw>&amp;]]><x:self/></x:a>';
  const events = (size: number) => {
    const ev: string[] = [];
    const h: XmlHandler = {
      open: (n, a, s) => ev.push(`open ${n} ${a.trim()} ${s}`),
      close: (n) => ev.push(`close ${n}`),
      text: (t) => ev.push(`text ${t}`),
    };
    const s = new XlsxXmlScanner(h);
    for (let i = 0; i < xml.length; i += size) s.push(xml.slice(i, i + size));
    s.end();
    // Adjacent text events may split at chunk edges only inside CDATA; join them for comparison.
    return ev.join('|').replace(/\|text /g, '');
  };
  const whole = events(xml.length);
  assert.match(whole, /open a b="1>2" c='&quot;' false/);
  assert.match(whole, /t&uAB<raw>&amp;/);
  assert.match(whole, /open self {2}true/);
  for (let size = 1; size <= 9; size++) assert.equal(events(size), whole, `chunk size ${size}`);
});

test('shared strings, inline strings, numbers, booleans, rich text, entities, gaps', async () => {
  const shared = sharedStringsXml(['number', 'code', '+8613800000001', 'a<b>&"c"', 'line_x000D_end']).replace(
    '</sst>',
    // A rich-text item with a phonetic run that must not be part of the text.
    '<si><r><rPr><b/></rPr><t>rich</t></r><r><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si><si/></sst>',
  );
  const sheet = sheetXml(
    rowXml(1, [{ s: 0 }, { s: 1 }]) +
      rowXml(2, [{ s: 2 }, 123456]) +
      rowXml(3, [8613800000002, { raw: '<c r="B3" t="str"><f>A3&amp;""</f><v>x&amp;y</v></c>' }]) +
      '<row r="4"><c r="A4"><v>8.613800000003E+12</v></c><c r="D4" t="b"><v>1</v></c></row>' +
      '<row r="5"/><row r="6"><c r="A6" s="3"/><c r="B6" t="s"><v></v></c></row>' + // empty rows: skipped
      rowXml(8, [{ s: 3 }, { s: 4 }, { s: 5 }, { s: 6 }]) +
      // Cells without r: positions follow on; inline rich text; a namespace prefix.
      '<x:row xmlns:x="urn:x"><x:c t="inlineStr"><x:is><x:r><x:t>+86</x:t></x:r><x:r><x:t>13800000009</x:t></x:r></x:is></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>',
  );
  const rows = await readAll(xlsx({ sheet, sharedStrings: shared }));
  assert.deepEqual(rows, [
    ['number', 'code'],
    ['+8613800000001', '123456'],
    ['8613800000002', 'x&y'],
    ['8613800000003', '', '', 'TRUE'],
    ['a<b>&"c"', 'line\rend', 'rich text'], // the empty shared string leaves no trailing cell
    ['+8613800000009', '#N/A'],
  ]);
});

test('data descriptors, stored entries, a sheet found through the rels, and the sheet1.xml fallback', async () => {
  const sheet = sheetXml(rowXml(1, ['+8613800000001', { s: 0 }]));
  const sharedStrings = sharedStringsXml(['p1']);
  const expected = [['+8613800000001', 'p1']];
  assert.deepEqual(await readAll(xlsx({ sheet, sharedStrings, dataDescriptor: true })), expected);
  assert.deepEqual(await readAll(xlsx({ sheet, sharedStrings, method: 0 })), expected);
  assert.deepEqual(
    await readAll(
      xlsx({ sheet, sharedStrings, sheetPath: 'xl/worksheets/Numbers Sheet.xml', dataDescriptor: true }),
    ),
    expected,
  );
  assert.deepEqual(await readAll(xlsx({ sheet, sharedStrings, bare: true })), expected);
  // An archive comment after the directory does not hide it.
  const withComment = zip(
    [{ name: 'xl/worksheets/sheet1.xml', data: sheetXml(rowXml(1, [8613800000001])), dataDescriptor: true }],
    'made by a test',
  );
  assert.deepEqual(await readAll(withComment), [['8613800000001']]);
  const zipOnDisk = await XlsxZipReader.open(save(withComment));
  assert.equal(zipOnDisk.entries.length, 1);
  assert.equal(zipOnDisk.entry('XL/Worksheets/Sheet1.xml')?.name, 'xl/worksheets/sheet1.xml');
});

test('upload format: ZIP magic decides; .xls and a fake .xlsx are refused', () => {
  const x = xlsx({ sheet: sheetXml('') });
  assert.equal(detectUploadFormat(x.subarray(0, 8)), 'xlsx');
  assert.equal(detectUploadFormat(x.subarray(0, 8), 'numbers.csv', 'text/csv'), 'xlsx');
  assert.equal(detectUploadFormat(Buffer.from('number\n+86')), 'csv');
  assert.equal(detectUploadFormat(Buffer.from('')), 'csv');
  assert.throws(() => detectUploadFormat(Buffer.from('number\n'), 'numbers.xlsx'), XlsxError);
  assert.throws(() => detectUploadFormat(Buffer.from('number\n'), undefined, XLSX_CONTENT_TYPE), XlsxError);
  assert.throws(
    () => detectUploadFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])),
    /Excel 97/,
  );
});

test('malformed files are refused with XlsxError, never another error', async () => {
  const good = xlsx({
    sheet: sheetXml(rowXml(1, ['+8613800000001', { s: 0 }]) + rowXml(2, [8613800000002, 5])),
    sharedStrings: sharedStringsXml(['p']),
    dataDescriptor: true,
  });
  await rejectsXlsx(Buffer.from('just some text, not a zip at all'), 'XLSX_NOT_ZIP');
  await rejectsXlsx(Buffer.alloc(0), 'XLSX_NOT_ZIP');
  await rejectsXlsx(good.subarray(0, good.length - 30), 'XLSX_TRUNCATED'); // the end record is cut
  await rejectsXlsx(zip([{ name: 'docProps/app.xml', data: '<x/>' }]), 'XLSX_NO_SHEET');
  // Every truncation point and a sweep of single-byte corruptions: XlsxError or a clean read.
  for (let cut = 0; cut < good.length; cut += 7) await rejectsXlsx(good.subarray(0, cut));
  for (let i = 0; i < good.length; i += 3) {
    const bad = Buffer.from(good);
    bad[i] ^= 0x5a;
    try {
      await readAll(bad);
    } catch (err) {
      assert.ok(err instanceof XlsxError, `byte ${i}: ${String(err)}`);
    }
  }
  // Bad deflate data, CRC mismatch, encryption flag, unknown method.
  const entry = (data: string, patch: (b: Buffer) => void) => {
    const b = zip([{ name: 'xl/worksheets/sheet1.xml', data }]);
    patch(b);
    return b;
  };
  const sheet = sheetXml(rowXml(1, ['+8613800000001']));
  await rejectsXlsx(
    entry(sheet, (b) => b.fill(0xff, 40, 60)),
    'XLSX_CORRUPT',
  );
  const cdAt = (b: Buffer) => b.readUInt32LE(b.length - 6);
  await rejectsXlsx(
    entry(sheet, (b) => b.writeUInt32LE(1234, cdAt(b) + 16)),
    'XLSX_CORRUPT',
  );
  await rejectsXlsx(
    entry(sheet, (b) => b.writeUInt16LE(b.readUInt16LE(cdAt(b) + 8) | 1, cdAt(b) + 8)),
    'XLSX_ENCRYPTED',
  );
  await rejectsXlsx(
    entry(sheet, (b) => b.writeUInt16LE(12, cdAt(b) + 10)),
    'XLSX_UNSUPPORTED',
  );
  // Garbage and malformed XML inside a valid ZIP.
  await rejectsXlsx(
    xlsx({ sheet: '<worksheet><sheetData><row><c r="A1" t="s"><v>9</v></c></row>' }),
    'XLSX_BAD_XML',
  );
  await rejectsXlsx(xlsx({ sheet: '<worksheet><sheetData><row><c r="1A"><v>1</v></c>' }), 'XLSX_BAD_XML');
  await rejectsXlsx(
    xlsx({ sheet: `<worksheet><sheetData><row><c r="A1" ${'x'.repeat(70_000)}` }),
    'XLSX_BAD_XML',
  );
  await rejectsXlsx(xlsx({ sheet: `<worksheet><c><v>${'9'.repeat(70_000)}</v></c>` }), 'XLSX_TOO_LARGE');
  assert.deepEqual(await readAll(xlsx({ sheet: '\u0000\u0001 not xml at all >>> ' })), []);
  assert.deepEqual(await readAll(xlsx({ sheet: Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x3e]) })), []);
});

/** Retained heap (after a full GC), so garbage waiting for collection does not count. */
function retainedHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  return process.memoryUsage().heapUsed;
}

/** Writes a sheet of `n` rows (inline number, numeric param, text param); built in a function so
 *  none of its temporaries are alive when memory is measured. */
function bigSheet(n: number): { path: string; uncompressed: number } {
  const parts: string[] = [];
  for (let r = 1; r <= n; r++) {
    const num = String(8613800000000 + r);
    parts.push(
      `<row r="${r}" spans="1:3"><c r="A${r}" t="inlineStr"><is><t>+${num}</t></is></c><c r="B${r}"><v>${r}</v></c><c r="C${r}" t="inlineStr"><is><t>param ${r} for the template</t></is></c></row>`,
    );
  }
  const xml = Buffer.from(sheetXml(parts.join('')));
  return { path: save(xlsx({ sheet: xml, dataDescriptor: true })), uncompressed: xml.length };
}

test('a 200,000-row sheet streams with bounded memory', async () => {
  const N = 200_000;
  const { path, uncompressed } = bigSheet(N);
  const base = retainedHeap();
  let peak = Number.NEGATIVE_INFINITY;
  let count = 0;
  let last: string[] = [];
  for await (const rows of readXlsxRows(path)) {
    count += rows.length;
    last = rows[rows.length - 1];
    if (count % 20_000 < rows.length) peak = Math.max(peak, retainedHeap() - base);
  }
  assert.equal(count, N);
  assert.deepEqual(last, [`+${8613800000000 + N}`, String(N), `param ${N} for the template`]);
  assert.ok(uncompressed > 30 * 1024 * 1024, `fixture is ${uncompressed} bytes`);
  if (process.env.XLSX_TEST_VERBOSE) console.log({ peak, uncompressed });
  assert.ok(peak < uncompressed / 10, `retained heap grew ${peak} bytes for a ${uncompressed}-byte sheet`);
});

test('shared strings are held compactly (no slices pinning the XML chunks)', async () => {
  const N = 100_000;
  const strings = Array.from({ length: N }, (_, i) => `+86138${String(i).padStart(8, '0')}`);
  const sharedXml = Buffer.from(sharedStringsXml(strings));
  const rows = Array.from({ length: 10 }, (_, i) => rowXml(i + 1, [{ s: i * 1000 }])).join('');
  const path = save(xlsx({ sheet: sheetXml(rows), sharedStrings: sharedXml }));
  const base = retainedHeap();
  const it = readXlsxRows(path);
  const first = await it.next(); // the shared-string table is loaded and held while rows stream
  const held = retainedHeap() - base;
  assert.deepEqual(first.value?.[1], ['+8613800001000']);
  await it.return(undefined);
  if (process.env.XLSX_TEST_VERBOSE) console.log({ held, sharedXml: sharedXml.length });
  // ~14 chars + ~30 bytes of V8 overhead each; slices would pin the whole ${sharedXml.length} bytes.
  assert.ok(held < N * 60, `the table of ${N} strings retains ${held} bytes`);
});

describe('group send through the HTTP route', () => {
  let f: ApiFixture;
  before(async () => {
    f = await setupApi();
  });
  after(async () => {
    await f.cleanup();
  });
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

  test('an XLSX of 1,000 numbers reaches 100 %; bad files get a clear 400', async () => {
    const rows = [rowXml(1, [{ s: 0 }, { s: 1 }])];
    for (let i = 1; i <= 1000; i++)
      rows.push(rowXml(i + 1, [`+86138${String(i).padStart(8, '0')}`, 100000 + i]));
    const book = xlsx({
      sheet: sheetXml(rows.join('')),
      sharedStrings: sharedStringsXml(['手机号码', 'code']),
      dataDescriptor: true,
    });
    const up = await f.app.inject({
      method: 'POST',
      url: `/api/v1/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}&fileName=numbers.xlsx`,
      headers: { ...auth, 'content-type': XLSX_CONTENT_TYPE },
      payload: book,
    });
    assert.equal(up.statusCode, 201, up.body);
    const id = up.json().id as string;
    assert.equal(up.json().total, 1000);
    let task: { status: string; accepted: number; failed: number; progress: number } | undefined;
    for (let i = 0; i < 200; i++) {
      task = (await f.app.inject({ method: 'GET', url: `/api/v1/group-sends/${id}`, headers: auth })).json();
      if (task?.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(
      { status: task?.status, accepted: task?.accepted, failed: task?.failed, progress: task?.progress },
      { status: 'completed', accepted: 1000, failed: 0, progress: 1 },
    );
    const msgs = await f.app.inject({
      method: 'GET',
      url: '/api/v1/messages?to=%2B8613800000007',
      headers: auth,
    });
    assert.equal(msgs.json().items[0].taskId, id);
    // The spool file is gone; only the task's own files remain.
    const groupDir = join(f.config.dataDir, 'group-sends');
    assert.deepEqual(
      readdirSync(groupDir).filter((n) => n.endsWith('.xlsx')),
      [],
    );

    const post = (payload: Buffer, headers: Record<string, string> = {}) =>
      f.app.inject({
        method: 'POST',
        url: `/api/v1/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}`,
        headers: { ...auth, 'content-type': 'application/octet-stream', ...headers },
        payload,
      });
    const truncated = await post(book.subarray(0, book.length - 100));
    assert.equal(truncated.statusCode, 400);
    assert.equal(truncated.json().error.code, 'VALIDATION_FAILED');
    assert.match(truncated.json().error.message, /XLSX/);
    const fake = await post(Buffer.from('+8613800000001\n'), { 'content-type': XLSX_CONTENT_TYPE });
    assert.equal(fake.statusCode, 400);
    assert.match(fake.json().error.message, /not an XLSX/);
    const empty = await post(xlsx({ sheet: sheetXml('') }));
    assert.equal(empty.statusCode, 400);
    assert.match(empty.json().error.message, /no numbers/);
    assert.deepEqual(
      readdirSync(groupDir).filter((n) => n.endsWith('.xlsx')),
      [],
    );
    assert.ok(existsSync(join(groupDir, `${id}.rows`)));
  });

  test('over a real socket: a chunked XLSX body is spooled; more than 12 MiB is refused with 413', async () => {
    const base = await f.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${base}/api/v1/group-sends?app=${f.tenant.id}&templateId=${f.verify.id}&fileName=n.xlsx`;
    const rows = Array.from({ length: 50 }, (_, i) =>
      rowXml(i + 1, [`+86139${String(i).padStart(8, '0')}`, 200000 + i]),
    ).join('');
    const book = xlsx({ sheet: sheetXml(rows), dataDescriptor: true });
    // Tiny chunks: the format is decided on the first 8 bytes however the body arrives.
    const chunks = (buf: Buffer, size: number) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < buf.length; i += size) c.enqueue(buf.subarray(i, i + size));
          c.close();
        },
      });
    const ok = await fetch(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': XLSX_CONTENT_TYPE },
      body: chunks(book, 3),
      duplex: 'half',
    } as RequestInit);
    assert.equal(ok.status, 201, await ok.clone().text());
    assert.equal(((await ok.json()) as { total: number }).total, 50);
    const huge = Buffer.alloc(12 * 1024 * 1024 + 10, 0x41);
    book.copy(huge, 0, 0, 8); // looks like a ZIP
    const tooBig = await fetch(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: chunks(huge, 256 * 1024),
      duplex: 'half',
    } as RequestInit).catch((err: Error) => err);
    // The server answers 413 as soon as the limit is passed and stops reading; depending on timing
    // the client sees the 413 or a reset socket while it is still sending (never a 201).
    if (tooBig instanceof Error)
      assert.match(String(tooBig.cause ?? tooBig), /ECONNRESET|EPIPE|other side closed|socket/i);
    else {
      assert.equal(tooBig.status, 413);
      assert.match(
        ((await tooBig.json()) as { error: { message: string } }).error.message,
        /XLSX file is larger/,
      );
    }
    const groupDir = join(f.config.dataDir, 'group-sends');
    // After a reset the server may still be cleaning up: give it a moment.
    for (let i = 0; i < 40 && readdirSync(groupDir).some((n) => n.endsWith('.xlsx')); i++)
      await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(
      readdirSync(groupDir).filter((n) => n.endsWith('.xlsx')),
      [],
    );
  });
});
