/**
 * `XlsxZipReader`: reads the ZIP container of an XLSX file that sits on disk (the upload is spooled
 * to a temp file first). Only the central directory is held in memory (one small object per entry;
 * an XLSX has a few dozen); each entry's data is streamed from the file through
 * `zlib.createInflateRaw()`, so a sheet of any size is read with flat memory.
 *
 * Why the central directory and not the local headers: Excel, LibreOffice and most streaming
 * writers set general-purpose bit 3 (data descriptor), which leaves the sizes in the local header
 * zero; only the central directory at the end of the file has them.
 *
 * Supported: methods 0 (stored) and 8 (deflate), data descriptors, archive comments. Not
 * supported (a clear `XlsxError`): ZIP64 (never needed under the upload limit), encryption,
 * multi-disk archives, other methods.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { XlsxError } from './xlsx-error.js';

/** Largest uncompressed entry accepted: 1 GiB. A 1,000,000-row sheet with a few columns is ~100–200 MB;
 *  the bound stops a "zip bomb" from keeping the server busy for minutes. */
export const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;
/** Most entries in the archive: 10,000 (an XLSX has tens; bounds the central-directory memory). */
export const MAX_ENTRIES = 10_000;

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;

/** One central-directory entry. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the local file header. */
  localOffset: number;
}

export class XlsxZipReader {
  private readonly byName = new Map<string, ZipEntry>();

  private constructor(
    private readonly path: string,
    private readonly fileSize: number,
    readonly entries: readonly ZipEntry[],
  ) {
    for (const e of entries) this.byName.set(e.name.toLowerCase(), e);
  }

  /** Reads the central directory of the ZIP file at `path`. @throws XlsxError */
  static async open(path: string): Promise<XlsxZipReader> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const entries = await readCentralDirectory(fh, size);
      return new XlsxZipReader(path, size, entries);
    } finally {
      await fh.close();
    }
  }

  /** The entry named `name` (case-insensitive, as Office treats part names), or undefined. */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name.replace(/^\//, '').toLowerCase());
  }

  /**
   * The uncompressed bytes of `entry` as a stream. The stream errors with an `XlsxError` when the
   * data is corrupt, longer or shorter than the directory says, or fails its CRC-32.
   */
  async openEntry(entry: ZipEntry): Promise<Readable> {
    if (entry.flags & 1) throw new XlsxError('XLSX_ENCRYPTED');
    if (entry.method !== 0 && entry.method !== 8)
      throw new XlsxError('XLSX_UNSUPPORTED', `compression method ${entry.method} in ${entry.name}`);
    if (entry.uncompressedSize > MAX_ENTRY_BYTES)
      throw new XlsxError('XLSX_TOO_LARGE', `${entry.name} unpacks to more than ${MAX_ENTRY_BYTES} bytes`);
    const fh = await open(this.path, 'r');
    let local: Buffer;
    try {
      local = await readAt(fh, entry.localOffset, LOCAL_SIZE);
    } finally {
      await fh.close();
    }
    if (local.readUInt32LE(0) !== SIG_LOCAL)
      throw new XlsxError('XLSX_TRUNCATED', `no local header for ${entry.name}`);
    // The local name/extra lengths may differ from the central ones (extra fields often do).
    const start = entry.localOffset + LOCAL_SIZE + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + entry.compressedSize > this.fileSize)
      throw new XlsxError('XLSX_TRUNCATED', `${entry.name} runs past the end of the file`);
    const raw =
      entry.compressedSize === 0
        ? emptyStream()
        : createReadStream(this.path, { start, end: start + entry.compressedSize - 1 });
    const check = new EntryCheck(entry);
    const wrap = (err: Error) =>
      check.destroy(
        err instanceof XlsxError ? err : new XlsxError('XLSX_CORRUPT', `${entry.name}: ${err.message}`),
      );
    raw.on('error', wrap);
    if (entry.method === 0) {
      check.on('close', () => raw.destroy());
      return raw.pipe(check);
    }
    const inflate = createInflateRaw();
    inflate.on('error', wrap);
    // If the consumer stops early, tear the whole chain down so the file handle closes.
    check.on('close', () => {
      raw.destroy();
      inflate.destroy();
    });
    return raw.pipe(inflate).pipe(check);
  }
}

/** Counts bytes and computes the CRC-32 as they pass; fails on any disagreement with the directory. */
class EntryCheck extends Transform {
  private bytes = 0;
  private crc = 0;
  constructor(private readonly entry: ZipEntry) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.uncompressedSize) {
      cb(new XlsxError('XLSX_CORRUPT', `${this.entry.name} is longer than its declared size`));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    if (this.bytes !== this.entry.uncompressedSize)
      cb(new XlsxError('XLSX_CORRUPT', `${this.entry.name} is shorter than its declared size`));
    else if (this.crc >>> 0 !== this.entry.crc32 >>> 0)
      cb(new XlsxError('XLSX_CORRUPT', `${this.entry.name} fails its CRC-32 check`));
    else cb();
  }
}

function emptyStream(): Readable {
  const t = new Transform();
  t.end();
  return t;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead !== length) throw new XlsxError('XLSX_TRUNCATED');
  return buf;
}

async function readCentralDirectory(fh: FileHandle, size: number): Promise<ZipEntry[]> {
  if (size < EOCD_SIZE) throw new XlsxError('XLSX_NOT_ZIP');
  // The EOCD record is the last 22 bytes plus an archive comment of up to 65,535 bytes.
  const tailLen = Math.min(size, EOCD_SIZE + 0xffff);
  const tail = await readAt(fh, size - tailLen, tailLen);
  let at = -1;
  for (let i = tailLen - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tailLen) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    const head = await readAt(fh, 0, 4);
    throw head.readUInt32LE(0) === SIG_LOCAL
      ? new XlsxError('XLSX_TRUNCATED', 'the end of the ZIP archive is missing')
      : new XlsxError('XLSX_NOT_ZIP');
  }
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw new XlsxError('XLSX_UNSUPPORTED', 'ZIP64 archive');
  if (disk !== 0 || cdDisk !== 0) throw new XlsxError('XLSX_UNSUPPORTED', 'multi-part archive');
  if (count > MAX_ENTRIES) throw new XlsxError('XLSX_TOO_LARGE', `more than ${MAX_ENTRIES} ZIP entries`);
  if (cdOffset + cdSize > size - tailLen + at) throw new XlsxError('XLSX_TRUNCATED');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + CENTRAL_SIZE > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL)
      throw new XlsxError('XLSX_TRUNCATED', 'bad central directory');
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    if (p + CENTRAL_SIZE + nameLen > cd.length)
      throw new XlsxError('XLSX_TRUNCATED', 'bad central directory');
    const entry: ZipEntry = {
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc32: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
      name: cd.toString('utf8', p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLen),
    };
    if (
      entry.compressedSize === 0xffffffff ||
      entry.uncompressedSize === 0xffffffff ||
      entry.localOffset === 0xffffffff
    )
      throw new XlsxError('XLSX_UNSUPPORTED', 'ZIP64 entry');
    if (entry.localOffset + LOCAL_SIZE > cdOffset)
      throw new XlsxError('XLSX_TRUNCATED', `bad offset for ${entry.name}`);
    entries.push(entry);
    p += CENTRAL_SIZE + nameLen + extraLen + commentLen;
  }
  return entries;
}
