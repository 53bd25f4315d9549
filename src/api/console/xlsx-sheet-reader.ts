/**
 * `readXlsxRows`: the rows of the first worksheet of an XLSX file on disk, as arrays of cell text —
 * the same shape `CsvRecordParser` yields, so the group-send upload treats both formats alike.
 *
 * How: {@link XlsxZipReader} finds the parts; `xl/workbook.xml` + `xl/_rels/workbook.xml.rels`
 * name the first sheet (else `xl/worksheets/sheet1.xml`); `xl/sharedStrings.xml` is loaded into an
 * array; the sheet is streamed through {@link XlsxXmlScanner} and rows are yielded in batches as
 * each chunk completes them.
 *
 * Memory: the worksheet is streamed (bounded by one chunk plus one row). The shared-string table is
 * held whole, because any cell may point at any entry: about 40 bytes + the text per string, e.g.
 * 1,000,000 distinct 14-character numbers ≈ 55 MB. It is capped at {@link MAX_SHARED_STRINGS} strings
 * and {@link MAX_SHARED_STRING_CHARS} characters; past that the file is refused (`XLSX_TOO_LARGE`).
 *
 * Cells: `t="s"` shared string, `t="inlineStr"` (`<is><t>`), `t="str"` formula text, `t="b"`
 * → `TRUE`/`FALSE`, `t="e"`/`t="d"` as written, numbers (`t="n"` or none) as exact decimal text
 * ({@link numericCellText}). Dates stored as numbers come out as Excel serial numbers. Missing
 * cells are `''`; rows with no non-empty cell are skipped, like blank CSV lines.
 */
import type { Readable } from 'node:stream';
import { MAX_RECORD_CHARS } from './csv-record-parser.js';
import { columnIndex, decodeOoxmlEscapes, detachString, numericCellText } from './xlsx-cell-text.js';
import { XlsxError } from './xlsx-error.js';
import { XlsxXmlScanner, type XmlHandler, xmlAttr } from './xlsx-xml-scanner.js';
import { XlsxZipReader, type ZipEntry } from './xlsx-zip-reader.js';

/** Most shared strings: 2,000,000 (a 1,000,000-row file with one distinct param per row). */
export const MAX_SHARED_STRINGS = 2_000_000;
/** Most characters over all shared strings: 64 Mi (bounds the table to roughly 150 MB). */
export const MAX_SHARED_STRING_CHARS = 64 * 1024 * 1024;
/** Largest workbook.xml / .rels part read whole: 4 MiB (they are a few KB). */
const MAX_SMALL_PART_BYTES = 4 * 1024 * 1024;

async function* textChunks(stream: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream) yield decoder.decode(chunk as Buffer, { stream: true });
    yield decoder.decode();
  } finally {
    stream.destroy();
  }
}

/** Scans a whole (small) part with `handler`. */
async function scanPart(zip: XlsxZipReader, entry: ZipEntry, handler: XmlHandler): Promise<void> {
  const scanner = new XlsxXmlScanner(handler);
  for await (const text of textChunks(await zip.openEntry(entry))) scanner.push(text);
  scanner.end();
}

/** `target` of a relationship in `xl/_rels/workbook.xml.rels`, resolved to a part name. */
function resolveTarget(target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/** The first worksheet and the shared-string part, if any. @throws XlsxError XLSX_NO_SHEET */
export async function locateParts(
  zip: XlsxZipReader,
): Promise<{ sheet: ZipEntry; sharedStrings: ZipEntry | undefined }> {
  let sheetRid: string | undefined;
  let firstRid: string | undefined;
  const workbook = zip.entry('xl/workbook.xml');
  if (workbook && workbook.uncompressedSize <= MAX_SMALL_PART_BYTES) {
    await scanPart(zip, workbook, {
      open(name, attrs) {
        if (name !== 'sheet' || sheetRid) return;
        const rid = xmlAttr(attrs, 'id');
        firstRid ??= rid;
        // The first sheet the user sees: skip hidden ones when a visible one exists.
        if (!/^(hidden|veryHidden)$/.test(xmlAttr(attrs, 'state') ?? '')) sheetRid = rid;
      },
      close() {},
      text() {},
    });
  }
  sheetRid ??= firstRid;
  const targets = new Map<string, string>();
  let sharedTarget: string | undefined;
  const rels = zip.entry('xl/_rels/workbook.xml.rels');
  if (rels && rels.uncompressedSize <= MAX_SMALL_PART_BYTES) {
    await scanPart(zip, rels, {
      open(name, attrs) {
        if (name !== 'Relationship') return;
        const id = xmlAttr(attrs, 'Id');
        const target = xmlAttr(attrs, 'Target');
        if (!id || !target) return;
        targets.set(id, resolveTarget(target));
        if (/\/sharedStrings$/.test(xmlAttr(attrs, 'Type') ?? '')) sharedTarget = resolveTarget(target);
      },
      close() {},
      text() {},
    });
  }
  const byRel = sheetRid ? targets.get(sheetRid) : undefined;
  const sheet =
    (byRel ? zip.entry(byRel) : undefined) ??
    zip.entry('xl/worksheets/sheet1.xml') ??
    zip.entries.find((e) => /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name));
  if (!sheet) throw new XlsxError('XLSX_NO_SHEET');
  const sharedStrings =
    (sharedTarget ? zip.entry(sharedTarget) : undefined) ?? zip.entry('xl/sharedStrings.xml');
  return { sheet, sharedStrings };
}

/** Loads the shared-string table (see the module comment for its memory bound). */
export async function readSharedStrings(zip: XlsxZipReader, entry: ZipEntry): Promise<string[]> {
  const strings: string[] = [];
  let chars = 0;
  let inSi = false;
  let inT = false;
  let phonetic = 0; // inside <rPh> (phonetic guide runs, not part of the text)
  let text = '';
  const finish = () => {
    if (strings.length >= MAX_SHARED_STRINGS)
      throw new XlsxError('XLSX_TOO_LARGE', `more than ${MAX_SHARED_STRINGS} shared strings`);
    chars += text.length;
    if (chars > MAX_SHARED_STRING_CHARS)
      throw new XlsxError('XLSX_TOO_LARGE', `shared strings exceed ${MAX_SHARED_STRING_CHARS} characters`);
    strings.push(detachString(decodeOoxmlEscapes(text)));
    text = '';
  };
  await scanPart(zip, entry, {
    open(name, _attrs, selfClosing) {
      if (name === 'si') {
        if (selfClosing) finish();
        else inSi = true;
      } else if (name === 'rPh' && !selfClosing) phonetic++;
      else if (name === 't' && inSi && !selfClosing) inT = true;
    },
    close(name) {
      if (name === 'si' && inSi) {
        inSi = false;
        finish();
      } else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (name === 't') inT = false;
    },
    text(t) {
      if (inT && phonetic === 0) {
        text += t;
        if (text.length > MAX_RECORD_CHARS)
          throw new XlsxError('XLSX_TOO_LARGE', 'a shared string is too long');
      }
    },
  });
  return strings;
}

/** Collects the cells of `<sheetData>` into rows; `take()` hands over the completed ones. */
class SheetRowCollector implements XmlHandler {
  private rows: string[][] = [];
  private cells: string[] = [];
  private rowChars = 0;
  private col = -1;
  private type = 'n';
  private value = '';
  private inCell = false;
  private inV = false;
  private inIs = false;
  private inT = false;
  private phonetic = 0;

  constructor(private readonly shared: readonly string[]) {}

  take(): string[][] {
    const out = this.rows;
    this.rows = [];
    return out;
  }

  open(name: string, attrs: string, selfClosing: boolean): void {
    switch (name) {
      case 'row':
        this.cells = [];
        this.rowChars = 0;
        this.col = -1;
        if (selfClosing) this.endRow();
        break;
      case 'c': {
        const ref = xmlAttr(attrs, 'r');
        const idx = ref === undefined ? -1 : columnIndex(ref);
        if (ref !== undefined && idx < 0) throw new XlsxError('XLSX_BAD_XML', `bad cell reference ${ref}`);
        this.col = idx >= 0 ? idx : this.col + 1;
        this.type = xmlAttr(attrs, 't') ?? 'n';
        this.value = '';
        this.inCell = !selfClosing;
        break;
      }
      case 'v':
        if (this.inCell && !selfClosing) this.inV = true;
        break;
      case 'is':
        if (this.inCell && !selfClosing) this.inIs = true;
        break;
      case 't':
        if (this.inIs && !selfClosing) this.inT = true;
        break;
      case 'rPh':
        if (!selfClosing) this.phonetic++;
        break;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
        this.inV = false;
        break;
      case 't':
        this.inT = false;
        break;
      case 'is':
        this.inIs = false;
        break;
      case 'rPh':
        this.phonetic = Math.max(0, this.phonetic - 1);
        break;
      case 'c':
        if (this.inCell) this.endCell();
        break;
      case 'row':
        this.endRow();
        break;
    }
  }

  text(t: string): void {
    if (this.inV || (this.inT && this.phonetic === 0)) {
      this.value += t;
      if (this.rowChars + this.value.length > MAX_RECORD_CHARS)
        throw new XlsxError('XLSX_TOO_LARGE', `a row is longer than ${MAX_RECORD_CHARS} characters`);
    }
  }

  private endCell(): void {
    this.inCell = this.inV = this.inIs = this.inT = false;
    const v = this.value;
    let text: string;
    switch (v.trim() === '' ? '' : this.type) {
      case '':
        text = '';
        break;
      case 's': {
        const i = Number(v.trim());
        if (!Number.isInteger(i) || i < 0 || i >= this.shared.length)
          throw new XlsxError('XLSX_BAD_XML', `shared string index ${v.trim()} out of range`);
        text = this.shared[i];
        break;
      }
      case 'inlineStr':
      case 'str':
        text = decodeOoxmlEscapes(v);
        break;
      case 'b':
        text = v.trim() === '1' ? 'TRUE' : v.trim() === '0' ? 'FALSE' : v;
        break;
      case 'n':
        text = numericCellText(v.trim());
        break;
      default: // 'e' (error such as #N/A), 'd' (ISO date)
        text = v;
    }
    if (text === '') return;
    this.rowChars += text.length;
    if (this.rowChars > MAX_RECORD_CHARS)
      throw new XlsxError('XLSX_TOO_LARGE', `a row is longer than ${MAX_RECORD_CHARS} characters`);
    while (this.cells.length < this.col) this.cells.push('');
    this.cells[this.col] = text;
  }

  private endRow(): void {
    if (this.cells.some((c) => c.trim() !== '')) this.rows.push(this.cells);
    this.cells = [];
    this.rowChars = 0;
    this.col = -1;
  }
}

/**
 * The rows of the first worksheet of the XLSX file at `path`, in batches (one per chunk of the
 * sheet). Stop iterating at any time; the file streams are closed.
 * @throws XlsxError for any file that is not a readable XLSX workbook.
 */
export async function* readXlsxRows(path: string): AsyncGenerator<string[][]> {
  const zip = await XlsxZipReader.open(path);
  const { sheet, sharedStrings } = await locateParts(zip);
  const shared = sharedStrings ? await readSharedStrings(zip, sharedStrings) : [];
  const rows = new SheetRowCollector(shared);
  const scanner = new XlsxXmlScanner(rows);
  for await (const text of textChunks(await zip.openEntry(sheet))) {
    scanner.push(text);
    const done = rows.take();
    if (done.length > 0) yield done;
  }
  scanner.end();
  const done = rows.take();
  if (done.length > 0) yield done;
}
