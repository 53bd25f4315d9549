/**
 * `XlsxXmlScanner`: a small incremental XML tag scanner (no DOM, no validation) for the parts of an
 * XLSX file. Feed it text chunks of any size; it calls the handler for each start tag, end tag and
 * text run, in order. Memory stays bounded by the longest single tag or text run, both capped, so
 * a 100 MB worksheet is scanned in a few KB.
 *
 * Enough XML for SpreadsheetML: namespace prefixes are dropped from element names (`x:row` → `row`),
 * entities (`&lt;` `&#x41;`…) are decoded in text, CDATA is passed through, comments, processing
 * instructions and DOCTYPE are skipped (a DOCTYPE's entities are never expanded, so "billion laughs"
 * files do nothing). Attributes are handed over raw; read them with {@link xmlAttr}.
 */
import { XlsxError } from './xlsx-error.js';

/** Longest tag (with its attributes): 64 KiB. Real cells and rows are tens of bytes. */
export const MAX_TAG_CHARS = 64 * 1024;
/** Longest text run between two tags: 1 MiB (an Excel cell holds ≤ 32,767 chars, ×6 when escaped). */
export const MAX_TEXT_CHARS = 1024 * 1024;

export interface XmlHandler {
  /** A start tag, or an empty-element tag when `selfClosing`. `attrs` is the raw attribute text. */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** A decoded text run (never split: the scanner waits for the next `<`). */
  text(text: string): void;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references; others stay literal. */
export function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (all, e: string) => {
    if (e[0] !== '#') return ENTITIES[e];
    const cp = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
}

const attrPatterns = new Map<string, RegExp>();

/**
 * The value of attribute `name` in raw attribute text, entity-decoded, or undefined. A namespace
 * prefix on the attribute is ignored (`r:id` matches `id`): the first match wins, and
 * SpreadsheetML never puts two attributes with the same local name on one element.
 */
export function xmlAttr(attrs: string, name: string): string | undefined {
  let re = attrPatterns.get(name);
  if (!re) {
    re = new RegExp(`(?:^|\\s)(?:[A-Za-z_][\\w.-]*:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    attrPatterns.set(name, re);
  }
  const m = re.exec(attrs);
  if (!m) return undefined;
  return decodeXmlEntities(m[1] ?? m[2] ?? '');
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

export class XlsxXmlScanner {
  private buf = '';
  private pos = 0;

  constructor(private readonly handler: XmlHandler) {}

  /** Scans `chunk`. @throws XlsxError XLSX_BAD_XML when a tag or text run exceeds its cap. */
  push(chunk: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    this.pos = 0;
    const buf = this.buf;
    const h = this.handler;
    for (;;) {
      const lt = buf.indexOf('<', this.pos);
      if (lt < 0) {
        if (buf.length - this.pos > MAX_TEXT_CHARS) throw new XlsxError('XLSX_BAD_XML', 'text run too long');
        return;
      }
      if (lt > this.pos) {
        h.text(decodeXmlEntities(buf.slice(this.pos, lt)));
        this.pos = lt;
      }
      const end = this.tagEnd(buf, lt);
      if (end < 0) {
        if (buf.length - lt > MAX_TAG_CHARS) throw new XlsxError('XLSX_BAD_XML', 'unterminated tag');
        return;
      }
      this.pos = end;
    }
  }

  /** Finishes the input: anything left is an unterminated tag (text after the root is ignored). */
  end(): void {
    const rest = this.buf.slice(this.pos);
    this.buf = '';
    this.pos = 0;
    if (rest.includes('<')) throw new XlsxError('XLSX_BAD_XML', 'the XML ends inside a tag');
  }

  /** Handles the markup at `lt`; returns the index after it, or -1 if it is not complete yet. */
  private tagEnd(buf: string, lt: number): number {
    const c1 = buf.charCodeAt(lt + 1);
    if (Number.isNaN(c1)) return -1;
    if (c1 === 0x3f /* ? */) {
      const e = buf.indexOf('?>', lt + 2);
      return e < 0 ? -1 : e + 2;
    }
    if (c1 === 0x21 /* ! */) {
      if (buf.length - lt < 9) return -1; // not enough to tell a comment from CDATA
      if (buf.startsWith('<!--', lt)) {
        const e = buf.indexOf('-->', lt + 4);
        return e < 0 ? -1 : e + 3;
      }
      if (buf.startsWith('<![CDATA[', lt)) {
        const e = buf.indexOf(']]>', lt + 9);
        if (e < 0) return -1;
        this.handler.text(buf.slice(lt + 9, e));
        return e + 3;
      }
      // DOCTYPE or another declaration: skipped, with an internal subset `[...]` if present.
      let depth = 0;
      for (let i = lt + 2; i < buf.length; i++) {
        const c = buf[i];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) return i + 1;
      }
      return -1;
    }
    // An element tag: find the '>' that is not inside a quoted attribute value.
    let quote = '';
    let gt = -1;
    for (let i = lt + 1; i < buf.length; i++) {
      const c = buf[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') {
        gt = i;
        break;
      } else if (c === '<') throw new XlsxError('XLSX_BAD_XML', "'<' inside a tag");
    }
    if (gt < 0) return -1;
    if (c1 === 0x2f /* / */) {
      this.handler.close(localName(buf.slice(lt + 2, gt).trim()));
      return gt + 1;
    }
    const selfClosing = buf.charCodeAt(gt - 1) === 0x2f;
    const inner = buf.slice(lt + 1, selfClosing ? gt - 1 : gt);
    const m = /^[^\s/>]+/.exec(inner);
    if (!m) throw new XlsxError('XLSX_BAD_XML', 'a tag without a name');
    this.handler.open(localName(m[0]), inner.slice(m[0].length), selfClosing);
    return gt + 1;
  }
}
