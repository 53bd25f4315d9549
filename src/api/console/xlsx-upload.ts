/**
 * The XLSX side of a group-send upload: telling an XLSX body from a CSV one, and spooling it to a
 * temp file (a ZIP's directory is at its end, so the file must be whole before it can be read; on
 * disk it costs no memory).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { XlsxError } from './xlsx-error.js';

/** The XLSX media type browsers send for `.xlsx` files. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Largest XLSX upload: 12 MiB, MSGSMS's limit for the Group SMS Assistant (spec §14). A compact
 * 1,000,000-number workbook fits; override with `GroupSendOptions.maxXlsxUploadBytes`.
 */
export const MAX_XLSX_UPLOAD_BYTES = 12 * 1024 * 1024;

/** Bytes needed to tell the formats apart: 8 (the OLE2 signature is 8 bytes long). */
export const HEAD_BYTES = 8;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * `'xlsx'` or `'csv'` for an upload that starts with `head`. The content decides (ZIP magic
 * `PK\x03\x04`); a `.xlsx` name or the XLSX media type on a body that is not a ZIP is refused
 * rather than parsed as CSV garbage.
 * @throws XlsxError for `.xls` (Excel 97–2003) and password-protected workbooks (both OLE2 files),
 *   and for a declared XLSX that is not a ZIP.
 */
export function detectUploadFormat(head: Buffer, fileName?: string, contentType?: string): 'csv' | 'xlsx' {
  if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) return 'xlsx';
  if (head.subarray(0, 8).equals(OLE2_MAGIC))
    throw new XlsxError(
      'XLSX_NOT_ZIP',
      'an Excel 97–2003 (.xls) or password-protected workbook; save it as .xlsx without a password, or as CSV',
    );
  const declared =
    /\.xlsx$/i.test(fileName ?? '') || (contentType ?? '').toLowerCase().startsWith(XLSX_CONTENT_TYPE);
  if (declared) throw new XlsxError('XLSX_NOT_ZIP');
  return 'csv';
}

/**
 * Reads at least `n` bytes from `it` (fewer only at the end of the body); returns them and whether
 * the body ended.
 */
export async function readHead(
  it: AsyncIterator<Buffer>,
  n = HEAD_BYTES,
): Promise<{ head: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let len = 0;
  while (len < n) {
    const r = await it.next();
    if (r.done) return { head: Buffer.concat(parts), done: true };
    parts.push(r.value);
    len += r.value.length;
  }
  return { head: Buffer.concat(parts), done: false };
}

/**
 * Writes `head` and then the rest of `it` to `path`, with back-pressure. Returns the byte count.
 * @throws the error from `tooLarge()` as soon as more than `maxBytes` arrive (the caller deletes
 *   the partial file).
 */
export async function spoolUpload(
  head: Buffer,
  it: AsyncIterator<Buffer> | null,
  path: string,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<number> {
  const out = createWriteStream(path);
  try {
    let bytes = head.length;
    if (bytes > maxBytes) throw tooLarge();
    if (head.length > 0 && !out.write(head)) await once(out, 'drain');
    if (it) {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        bytes += r.value.length;
        if (bytes > maxBytes) throw tooLarge();
        if (!out.write(r.value)) await once(out, 'drain');
      }
    }
    out.end();
    await once(out, 'close');
    return bytes;
  } catch (err) {
    // A write may still be in flight; its late ERR_STREAM_DESTROYED must not become uncaught.
    out.on('error', () => {});
    out.destroy();
    throw err;
  }
}
