/**
 * Test helpers: a tiny ZIP writer (local headers, optional data descriptors, central directory,
 * deflate or stored entries) and an XLSX builder on top of it, so fixtures are made at test time.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Buffer | string;
  /** 8 deflate (default) or 0 stored. */
  method?: 0 | 8;
  /** Set bit 3: zero sizes/CRC in the local header, a data descriptor after the data. */
  dataDescriptor?: boolean;
}

/** A ZIP archive of `entries`, with an optional archive comment. */
export function zip(entries: ZipInput[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const name = Buffer.from(e.name, 'utf8');
    const flags = (e.dataDescriptor ? 0x08 : 0) | 0x800; // bit 11: UTF-8 names
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.dataDescriptor ? 0 : crc, 14);
    local.writeUInt32LE(e.dataDescriptor ? 0 : body.length, 18);
    local.writeUInt32LE(e.dataDescriptor ? 0 : data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const parts = [local, name, body];
    if (e.dataDescriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(data.length, 12);
      parts.push(dd);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    for (const p of parts) offset += p.length;
    locals.push(...parts);
  }
  const cd = Buffer.concat(centrals);
  const c = Buffer.from(comment, 'utf8');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(c.length, 20);
  return Buffer.concat([...locals, cd, eocd, c]);
}

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Column letters of a zero-based index: 0 → A, 26 → AA. */
export function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A cell as it should be written: a plain string becomes an inline string, a number a numeric cell. */
export type Cell = string | number | { s: number } | { raw: string };

/** `<row>` XML for `cells` at 1-based row `r`. */
export function rowXml(r: number, cells: Cell[]): string {
  let x = `<row r="${r}">`;
  cells.forEach((c, i) => {
    const ref = `${colName(i)}${r}`;
    if (typeof c === 'number') x += `<c r="${ref}"><v>${c}</v></c>`;
    else if (typeof c === 'string') x += `<c r="${ref}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`;
    else if ('s' in c) x += `<c r="${ref}" t="s"><v>${c.s}</v></c>`;
    else x += c.raw;
  });
  return `${x}</row>`;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function sheetXml(rowsXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${RNS}"><dimension ref="A1"/><sheetData>${rowsXml}</sheetData></worksheet>`;
}

export function sharedStringsXml(strings: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')}</sst>`;
}

export interface WorkbookInput {
  /** The sheet XML (use sheetXml(rowXml(...)…)). */
  sheet: string | Buffer;
  sharedStrings?: string | Buffer;
  /** Where the sheet lives: default `xl/worksheets/sheet1.xml`; the rels point at it. */
  sheetPath?: string;
  /** Write the sheet and shared strings with data descriptors (bit 3), as Excel does. */
  dataDescriptor?: boolean;
  method?: 0 | 8;
  /** Leave out workbook.xml and its rels (then the reader falls back to sheet1.xml). */
  bare?: boolean;
}

/** A minimal but well-formed XLSX workbook. */
export function xlsx(w: WorkbookInput): Buffer {
  const sheetPath = w.sheetPath ?? 'xl/worksheets/sheet1.xml';
  const entries: ZipInput[] = [
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
    },
  ];
  if (!w.bare) {
    entries.push(
      {
        name: '_rels/.rels',
        data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RNS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      },
      {
        name: 'xl/workbook.xml',
        data: `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${RNS}"><sheets><sheet name="Numbers" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Type="${RNS}/worksheet" Target="worksheets/other.xml"/><Relationship Id="rId7" Type="${RNS}/worksheet" Target="/${sheetPath}"/><Relationship Id="rId9" Type="${RNS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      },
      { name: 'xl/worksheets/other.xml', data: sheetXml(rowXml(1, ['+8619999999999'])) },
    );
  }
  if (w.sharedStrings !== undefined)
    entries.push({
      name: 'xl/sharedStrings.xml',
      data: w.sharedStrings,
      dataDescriptor: w.dataDescriptor,
      method: w.method,
    });
  entries.push({ name: sheetPath, data: w.sheet, dataDescriptor: w.dataDescriptor, method: w.method });
  return zip(entries);
}
