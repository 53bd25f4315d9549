/**
 * Streaming CSV record parser (RFC 4180 with the usual leniencies): feed it text chunks of any size,
 * get back the records completed so far. Quoted fields may contain commas, `""` and newlines;
 * CRLF and LF both end a record; a leading BOM is dropped. Memory stays bounded by the longest
 * record, so a 1,000,000-row upload is never held whole.
 */

/** Longest record accepted: 64 KiB (a number plus a few params; more means a broken file). */
export const MAX_RECORD_CHARS = 64 * 1024;

export class CsvRecordParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  /** A quote seen inside a quoted field: either `""` or the closing quote; decided by the next char. */
  private quotePending = false;
  private recordChars = 0;
  private started = false;
  /** Last char was CR (to swallow the LF of a CRLF split across chunks). */
  private afterCr = false;

  constructor(private readonly delimiter = ',') {}

  /** Parses `chunk`; returns the records it completed. @throws Error when a record exceeds MAX_RECORD_CHARS. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.afterCr) {
        this.afterCr = false;
        if (c === '\n') continue;
      }
      if (++this.recordChars > MAX_RECORD_CHARS)
        throw new Error(`a CSV record is longer than ${MAX_RECORD_CHARS} characters`);
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false; // the pending quote closed the field; fall through to handle c
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          this.field += c;
          continue;
        }
      }
      if (c === '"' && this.field === '') {
        this.inQuotes = true;
      } else if (c === this.delimiter) {
        this.record.push(this.field);
        this.field = '';
      } else if (c === '\n' || c === '\r') {
        this.afterCr = c === '\r';
        this.endRecord(out);
      } else {
        this.field += c;
      }
    }
    return out;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): string[][] {
    const out: string[][] = [];
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.field !== '' || this.record.length > 0) this.endRecord(out);
    return out;
  }

  private endRecord(out: string[][]): void {
    this.record.push(this.field);
    // Blank lines are skipped rather than returned as [''].
    if (!(this.record.length === 1 && this.record[0].trim() === '')) out.push(this.record);
    this.record = [];
    this.field = '';
    this.recordChars = 0;
  }
}
