/**
 * Delivery receipts: parse them from deliver_sm / data_sm (TLVs preferred, text as the
 * fallback) and format the de-facto receipt text (SMPP 3.4 Appendix B) for the simulator.
 *
 * Text form: `id:IIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm[ss] done date:YYMMDDhhmm[ss]
 * stat:DDDDDDD err:EEE text:...`. Keys are matched case-insensitively, any may be missing,
 * unknown keys are ignored.
 */
import { decodeShortMessage } from './short-message-decoder.js';
import { readNetworkErrorCode, type Tlv, TlvTag, tlvString, tlvUint } from './tlv.js';

export { type MessageIdMode, normalizeMessageId } from './message-id.js';

/** message_state values (SMPP 3.4 §5.3.2.35; SKIPPED from v5.0). */
export const MessageState = {
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
  SKIPPED: 9,
} as const;

/** The 7-letter `stat:` words, the same strings Huawei forwards as status-report `status`. */
export type ReceiptStat =
  | 'ENROUTE'
  | 'DELIVRD'
  | 'EXPIRED'
  | 'DELETED'
  | 'UNDELIV'
  | 'ACCEPTD'
  | 'UNKNOWN'
  | 'REJECTD'
  | 'SKIPPED';

const STAT_BY_STATE: Record<number, ReceiptStat> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
  9: 'SKIPPED',
};
const STATE_BY_STAT: Record<string, number> = Object.fromEntries(
  Object.entries(STAT_BY_STATE).map(([k, v]) => [v, Number(k)]),
);
// Spellings seen in the wild, mapped to the 7-letter word.
const STAT_ALIASES: Record<string, ReceiptStat> = {
  DELIVERED: 'DELIVRD',
  UNDELIVERABLE: 'UNDELIV',
  ACCEPTED: 'ACCEPTD',
  REJECTED: 'REJECTD',
};

/** `stat:` word for a message_state value, or `undefined` when the value is out of range. */
export function statForMessageState(state: number): ReceiptStat | undefined {
  return STAT_BY_STATE[state];
}

/** message_state for a `stat:` word (case-insensitive, long spellings accepted), or `undefined`. */
export function messageStateForStat(stat: string): number | undefined {
  const s = stat.toUpperCase();
  return STATE_BY_STAT[STAT_ALIASES[s] ?? s];
}

/** True when esm_class marks an SMSC delivery receipt (0x04) or intermediate notification (0x20). */
export function isDeliveryReceipt(esmClass: number): boolean {
  const type = esmClass & 0x3c;
  return type === 0x04 || type === 0x20;
}

export interface ReceiptText {
  id?: string;
  sub?: string;
  dlvrd?: string;
  submit_date?: string;
  done_date?: string;
  stat?: string;
  err?: string;
  text?: string;
}

export interface DeliveryReceipt {
  /** receipted_message_id TLV when present, else `id:` from the text. */
  message_id: string | undefined;
  /** Where `message_id` came from (the text's `id:` may be written in another base). */
  message_id_from: 'tlv' | 'text';
  /** Upper-case 7-letter stat (from message_state TLV, else the text, long spellings mapped). */
  stat: ReceiptStat | string | undefined;
  /** message_state TLV, else derived from `stat`. */
  message_state: number | undefined;
  /** `err:` from the text (kept as written, e.g. `"000"`). */
  err: string | undefined;
  network_error: { network_type: number; error_code: number } | undefined;
  submit_date: Date | undefined;
  done_date: Date | undefined;
  /** Everything read from the text form (raw strings). */
  fields: ReceiptText;
  /** The decoded short message (the receipt text), so callers need not decode it again. */
  text: string;
}

const KEY_RE = /(?:^|[\s,;])(id|sub|dlvrd|submit[ _]date|done[ _]date|stat|err|text)\s*:/gi;

/** Parses the receipt text form. Missing keys are simply absent. Never throws. */
export function parseReceiptText(body: string): ReceiptText {
  const out: ReceiptText = {};
  const found: Array<{ key: string; start: number; valueStart: number }> = [];
  KEY_RE.lastIndex = 0;
  for (let m = KEY_RE.exec(body); m !== null; m = KEY_RE.exec(body)) {
    const key = m[1].toLowerCase().replace(/[ _]/, '_') as keyof ReceiptText;
    found.push({ key, start: m.index, valueStart: m.index + m[0].length });
    if (key === 'text') break; // text runs to the end; keys inside it are content
  }
  for (let i = 0; i < found.length; i++) {
    const f = found[i];
    const end = i + 1 < found.length ? found[i + 1].start : body.length;
    const raw = body.slice(f.valueStart, end);
    const key = f.key as keyof ReceiptText;
    if (out[key] === undefined) out[key] = key === 'text' ? raw.replace(/^\s/, '') : raw.trim();
  }
  return out;
}

/**
 * Parses `YYMMDDhhmm` or `YYMMDDhhmmss` as a time in the SMSC's zone, given as minutes east
 * of UTC (default 0). Returns `undefined` for anything else.
 */
export function parseReceiptDate(s: string | undefined, utcOffsetMinutes = 0): Date | undefined {
  if (!s || !/^\d{10}(\d{2})?$/.test(s)) return undefined;
  const n = (i: number) => Number(s.slice(i, i + 2));
  const [yy, mo, dd, hh, mi] = [n(0), n(2), n(4), n(6), n(8)];
  const ss = s.length === 12 ? n(10) : 0;
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) return undefined;
  return new Date(Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss) - utcOffsetMinutes * 60_000);
}

/**
 * Reads a delivery receipt from a deliver_sm/data_sm. Returns `undefined` when the PDU is
 * not a receipt (esm_class) and carries neither receipt TLVs nor an `id:`/`stat:` text.
 */
export function parseDeliveryReceipt(
  pdu: { esm_class: number; data_coding: number; short_message?: Buffer; tlvs: readonly Tlv[] },
  opts: { utcOffsetMinutes?: number } = {},
): DeliveryReceipt | undefined {
  const tlvId = tlvString(pdu.tlvs, TlvTag.receipted_message_id);
  const tlvState = tlvUint(pdu.tlvs, TlvTag.message_state);
  const text = decodeShortMessage(pdu).text;
  const fields = parseReceiptText(text);
  if (!isDeliveryReceipt(pdu.esm_class) && tlvId === undefined && fields.id === undefined) return undefined;
  if (tlvId === undefined && fields.id === undefined && fields.stat === undefined && tlvState === undefined)
    return undefined;
  const textStat = fields.stat
    ? (STAT_ALIASES[fields.stat.toUpperCase()] ?? fields.stat.toUpperCase())
    : undefined;
  const stat = (tlvState !== undefined ? statForMessageState(tlvState) : undefined) ?? textStat;
  return {
    message_id: tlvId !== undefined && tlvId !== '' ? tlvId : fields.id,
    message_id_from: tlvId !== undefined && tlvId !== '' ? 'tlv' : 'text',
    stat,
    message_state: tlvState ?? (stat !== undefined ? messageStateForStat(stat) : undefined),
    err: fields.err,
    network_error: readNetworkErrorCode(pdu.tlvs),
    submit_date: parseReceiptDate(fields.submit_date, opts.utcOffsetMinutes),
    done_date: parseReceiptDate(fields.done_date, opts.utcOffsetMinutes),
    fields,
    text,
  };
}

export interface FormatReceiptInput {
  id: string;
  stat: ReceiptStat;
  submitDate: Date;
  doneDate: Date;
  /** Default 1. */
  sub?: number;
  /** Default 1 for DELIVRD, else 0. */
  dlvrd?: number;
  /** Default 0 (written as 3 digits). */
  err?: number | string;
  /** First 20 characters are kept. Default ''. */
  text?: string;
  /** Write 12-digit dates with seconds. Default false (10 digits, as Appendix B). */
  dateSeconds?: boolean;
  /** Zone the dates are written in, minutes east of UTC. Default 0. */
  utcOffsetMinutes?: number;
}

/** Formats a receipt date as YYMMDDhhmm[ss]. */
export function formatReceiptDate(d: Date, seconds = false, utcOffsetMinutes = 0): string {
  const t = new Date(d.getTime() + utcOffsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const base = `${p(t.getUTCFullYear() % 100)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}`;
  return seconds ? base + p(t.getUTCSeconds()) : base;
}

/** Formats the Appendix B receipt text. */
export function formatReceiptText(r: FormatReceiptInput): string {
  const n3 = (n: number) => String(n).padStart(3, '0');
  const err = typeof r.err === 'string' ? r.err : n3(r.err ?? 0);
  const sec = r.dateSeconds === true;
  return (
    `id:${r.id} sub:${n3(r.sub ?? 1)} dlvrd:${n3(r.dlvrd ?? (r.stat === 'DELIVRD' ? 1 : 0))} ` +
    `submit date:${formatReceiptDate(r.submitDate, sec, r.utcOffsetMinutes)} done date:${formatReceiptDate(r.doneDate, sec, r.utcOffsetMinutes)} ` +
    `stat:${r.stat} err:${err} text:${(r.text ?? '').slice(0, 20)}`
  );
}
