/**
 * `XlsxError`: why an uploaded XLSX file could not be read. Each has a stable `code`; the
 * group-send route answers all of them with `400 VALIDATION_FAILED` and the message, because every
 * one of them is a problem with the user's file, never with the server.
 */

/** Stable codes, one per kind of broken or unsupported file. */
export const XLSX_ERRORS = {
  /** Not a ZIP archive (no end-of-central-directory record), or an old binary `.xls`. */
  XLSX_NOT_ZIP: 'the file is not an XLSX workbook (not a ZIP archive)',
  /** Offsets or sizes point outside the file: cut short during upload or corrupt. */
  XLSX_TRUNCATED: 'the XLSX file is truncated or corrupt',
  /** An entry is password-protected (ZIP encryption); Excel's own encryption is not a ZIP at all. */
  XLSX_ENCRYPTED: 'the XLSX file is encrypted; save it without a password',
  /** A compression method other than stored (0) or deflate (8), or a ZIP64 archive. */
  XLSX_UNSUPPORTED: 'the XLSX file uses a ZIP feature that is not supported',
  /** Inflate failed, or the data disagrees with its CRC-32 or size. */
  XLSX_CORRUPT: 'the XLSX file is corrupt',
  /** No worksheet found. */
  XLSX_NO_SHEET: 'the XLSX file has no worksheet',
  /** Malformed XML (unterminated tag, over-long row or cell). */
  XLSX_BAD_XML: 'the XLSX worksheet is malformed',
  /** A size bound was exceeded (entry, shared strings, row). */
  XLSX_TOO_LARGE: 'the XLSX file is too large',
} as const;

export type XlsxErrorCode = keyof typeof XLSX_ERRORS;

export class XlsxError extends Error {
  override readonly name = 'XlsxError';
  constructor(
    readonly code: XlsxErrorCode,
    detail?: string,
  ) {
    super(detail ? `${XLSX_ERRORS[code]}: ${detail}` : XLSX_ERRORS[code]);
  }
}
