/**
 * Table-driven SMPP 3.4 codec over Buffers. `PDU_FIELDS` (pdu-descriptors.ts) lists each
 * kind's fields in wire order; both directions walk that list.
 *
 * Decoding never throws: it returns `{ ok: false, error }` with the command_status to answer
 * with and whether the session can go on (recoverable → generic_nack, keep the bind;
 * unrecoverable → the byte stream is no longer trustworthy, close).
 */
import { CommandId, type CommandName, commandNameOf, isResponseId } from './command-ids.js';
import { CommandStatus } from './command-status.js';
import { type FieldDescriptor, PDU_FIELDS } from './pdu-descriptors.js';
import type { DestAddress, Pdu, PduInput, UnsuccessSme } from './pdu-types.js';
import { SmppEncodeError } from './smpp-errors.js';
import type { Tlv } from './tlv.js';

/** SMPP header size: command_length, command_id, command_status, sequence_number. */
export const HEADER_LENGTH = 16;

/** Why a frame could not be decoded, and what to answer. */
export interface PduDecodeError {
  /** command_status to put in the generic_nack (or the response) we send back. */
  status: number;
  /** The frame's sequence_number when the header could be read (echo it in the nack). */
  sequence_number?: number;
  /** The frame's command_id when the header could be read. */
  command_id?: number;
  /** true: answer generic_nack and keep the session; false: close the session. */
  recoverable: boolean;
  message: string;
}

export type DecodeResult = { ok: true; pdu: Pdu } | { ok: false; error: PduDecodeError };

// Thrown only inside this module and always caught by decodePdu.
class Fail {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

// Sentinel: the body ended before this field (allowed for responses, see decodeBody).
const END = Symbol('end');

function readCString(
  buf: Buffer,
  pos: number,
  end: number,
  f: FieldDescriptor,
): [string, number] | typeof END {
  if (pos >= end) return END;
  const max = f.max ?? 256;
  const limit = Math.min(end, pos + max);
  const nul = buf.indexOf(0, pos);
  if (nul < 0 || nul >= end)
    throw new Fail(CommandStatus.ESME_RINVCMDLEN, `${f.name}: missing NUL terminator`);
  if (nul >= limit)
    throw new Fail(f.invalid ?? CommandStatus.ESME_RINVCMDLEN, `${f.name}: longer than ${max - 1}`);
  return [buf.toString('latin1', pos, nul), nul + 1];
}

function need(pos: number, n: number, end: number, what: string): void {
  if (pos + n > end) throw new Fail(CommandStatus.ESME_RINVCMDLEN, `${what}: body too short`);
}

const ADDR21 = {
  name: 'destination_addr',
  kind: 'cstring',
  max: 21,
  invalid: CommandStatus.ESME_RINVDSTADR,
} as const;
const DLNAME = { name: 'dl_name', kind: 'cstring', max: 21, invalid: CommandStatus.ESME_RINVDLNAME } as const;

function defaultFor(f: FieldDescriptor): unknown {
  switch (f.kind) {
    case 'cstring':
      return '';
    case 'u8':
      return 0;
    case 'short_message':
      return Buffer.alloc(0);
    case 'dest_address':
    case 'unsuccess_sme':
      return [];
  }
}

/**
 * Decodes ONE complete frame (as yielded by `PduFramer`). Body views (`short_message`, TLV
 * values) are `subarray`s of `buf`, not copies.
 */
export function decodePdu(buf: Buffer): DecodeResult {
  if (buf.length < HEADER_LENGTH) {
    return fail(
      CommandStatus.ESME_RINVCMDLEN,
      false,
      `frame of ${buf.length} bytes is shorter than the header`,
    );
  }
  const length = buf.readUInt32BE(0);
  const id = buf.readUInt32BE(4);
  const status = buf.readUInt32BE(8);
  const seq = buf.readUInt32BE(12);
  if (length !== buf.length) {
    return fail(
      CommandStatus.ESME_RINVCMDLEN,
      false,
      `command_length ${length} != frame size ${buf.length}`,
      seq,
      id,
    );
  }
  const name = commandNameOf(id);
  if (name === undefined) {
    return fail(CommandStatus.ESME_RINVCMDID, true, `unknown command_id 0x${id.toString(16)}`, seq, id);
  }
  try {
    const pdu: Record<string, unknown> = {
      command: name,
      command_id: id,
      command_status: status,
      sequence_number: seq,
      tlvs: null,
    };
    let pos = decodeBody(buf, HEADER_LENGTH, length, name, pdu);
    const tlvs: Tlv[] = [];
    while (pos < length) {
      if (pos + 4 > length) throw new Fail(CommandStatus.ESME_RINVOPTPARSTREAM, 'truncated TLV header');
      const tag = buf.readUInt16BE(pos);
      const len = buf.readUInt16BE(pos + 2);
      pos += 4;
      if (pos + len > length)
        throw new Fail(CommandStatus.ESME_RINVOPTPARSTREAM, `TLV 0x${tag.toString(16)} overruns body`);
      tlvs.push({ tag, value: buf.subarray(pos, pos + len) });
      pos += len;
    }
    pdu.tlvs = tlvs;
    return { ok: true, pdu: pdu as unknown as Pdu };
  } catch (e) {
    if (e instanceof Fail) return fail(e.status, true, `${name}: ${e.message}`, seq, id);
    return fail(CommandStatus.ESME_RSYSERR, true, `${name}: ${String(e)}`, seq, id);
  }
}

function fail(
  status: number,
  recoverable: boolean,
  message: string,
  sequence_number?: number,
  command_id?: number,
): DecodeResult {
  const error: PduDecodeError = { status, recoverable, message };
  if (sequence_number !== undefined) error.sequence_number = sequence_number;
  if (command_id !== undefined) error.command_id = command_id;
  return { ok: false, error };
}

function decodeBody(
  buf: Buffer,
  pos: number,
  end: number,
  name: CommandName,
  out: Record<string, unknown>,
): number {
  const fields: readonly FieldDescriptor[] = PDU_FIELDS[name];
  // Responses with an error status often carry no body at all (spec §4.4.2 for submit_sm_resp);
  // when a response body simply stops, the remaining fields take their defaults.
  const lenient = isResponseId(CommandId[name]);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (lenient && pos >= end) {
      for (let j = i; j < fields.length; j++) out[fields[j].name] = defaultFor(fields[j]);
      return pos;
    }
    switch (f.kind) {
      case 'cstring': {
        const r = readCString(buf, pos, end, f);
        if (r === END) throw new Fail(CommandStatus.ESME_RINVCMDLEN, `${f.name}: body too short`);
        out[f.name] = r[0];
        pos = r[1];
        break;
      }
      case 'u8':
        need(pos, 1, end, f.name);
        out[f.name] = buf[pos++];
        break;
      case 'short_message': {
        need(pos, 1, end, 'sm_length');
        const n = buf[pos++];
        if (pos + n > end) throw new Fail(CommandStatus.ESME_RINVMSGLEN, `sm_length ${n} overruns body`);
        out[f.name] = buf.subarray(pos, pos + n);
        pos += n;
        break;
      }
      case 'dest_address': {
        need(pos, 1, end, 'number_of_dests');
        const n = buf[pos++];
        const list: DestAddress[] = [];
        for (let k = 0; k < n; k++) {
          need(pos, 1, end, 'dest_flag');
          const flag = buf[pos++];
          if (flag === 1) {
            need(pos, 2, end, 'dest_address');
            const ton = buf[pos];
            const npi = buf[pos + 1];
            const r = readCString(buf, pos + 2, end, ADDR21);
            if (r === END) throw new Fail(CommandStatus.ESME_RINVCMDLEN, 'dest_address: body too short');
            list.push({ dest_flag: 1, dest_addr_ton: ton, dest_addr_npi: npi, destination_addr: r[0] });
            pos = r[1];
          } else if (flag === 2) {
            const r = readCString(buf, pos, end, DLNAME);
            if (r === END) throw new Fail(CommandStatus.ESME_RINVCMDLEN, 'dl_name: body too short');
            list.push({ dest_flag: 2, dl_name: r[0] });
            pos = r[1];
          } else {
            throw new Fail(CommandStatus.ESME_RINVDESTFLAG, `dest_flag ${flag}`);
          }
        }
        out[f.name] = list;
        break;
      }
      case 'unsuccess_sme': {
        need(pos, 1, end, 'no_unsuccess');
        const n = buf[pos++];
        const list: UnsuccessSme[] = [];
        for (let k = 0; k < n; k++) {
          need(pos, 2, end, 'unsuccess_sme');
          const ton = buf[pos];
          const npi = buf[pos + 1];
          const r = readCString(buf, pos + 2, end, ADDR21);
          if (r === END) throw new Fail(CommandStatus.ESME_RINVCMDLEN, 'unsuccess_sme: body too short');
          pos = r[1];
          need(pos, 4, end, 'error_status_code');
          list.push({
            dest_addr_ton: ton,
            dest_addr_npi: npi,
            destination_addr: r[0],
            error_status_code: buf.readUInt32BE(pos),
          });
          pos += 4;
        }
        out[f.name] = list;
        break;
      }
    }
  }
  return pos;
}

// ---------------------------------------------------------------------------------------------
// Encoding

// C-Octet strings are single-byte: NUL ends them and code points above U+00FF cannot be written.
const ABOVE_LATIN1 = /[\u0100-\uffff]/;

function cstrSize(v: unknown, f: FieldDescriptor): number {
  const s = v === undefined ? '' : v;
  if (typeof s !== 'string') throw new SmppEncodeError(`${f.name}: expected a string`);
  const n = Buffer.byteLength(s, 'latin1') + 1;
  if (f.max !== undefined && n > f.max)
    throw new SmppEncodeError(`${f.name}: "${s}" is longer than ${f.max - 1}`);
  if (s.includes('\0') || ABOVE_LATIN1.test(s))
    throw new SmppEncodeError(`${f.name}: contains NUL or a non-Latin-1 character`);
  return n;
}

function u8Value(v: unknown, name: string): number {
  const n = v === undefined ? 0 : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255)
    throw new SmppEncodeError(`${name}: ${String(v)} is not an octet`);
  return n;
}

function bodySize(fields: readonly FieldDescriptor[], p: Record<string, unknown>): number {
  let size = 0;
  for (const f of fields) {
    const v = p[f.name];
    switch (f.kind) {
      case 'cstring':
        size += cstrSize(v, f);
        break;
      case 'u8':
        u8Value(v, f.name);
        size += 1;
        break;
      case 'short_message': {
        const n = v === undefined ? 0 : (v as Uint8Array).length;
        if (n > 255) throw new SmppEncodeError(`short_message: ${n} octets > 255 (use message_payload)`);
        size += 1 + n;
        break;
      }
      case 'dest_address': {
        const list = (v ?? []) as DestAddress[];
        if (list.length > 255) throw new SmppEncodeError('dest_address: more than 255 destinations');
        size += 1;
        for (const d of list) {
          size +=
            d.dest_flag === 1 ? 3 + cstrSize(d.destination_addr, ADDR21) : 1 + cstrSize(d.dl_name, DLNAME);
        }
        break;
      }
      case 'unsuccess_sme': {
        const list = (v ?? []) as UnsuccessSme[];
        if (list.length > 255) throw new SmppEncodeError('unsuccess_sme: more than 255 entries');
        size += 1;
        for (const u of list) size += 6 + cstrSize(u.destination_addr, ADDR21);
        break;
      }
    }
  }
  return size;
}

function writeCStr(buf: Buffer, pos: number, v: unknown): number {
  const s = (v ?? '') as string;
  pos += buf.write(s, pos, 'latin1');
  buf[pos] = 0;
  return pos + 1;
}

/**
 * True when a response with an error status should go out without its mandatory body, as
 * spec §4.4.2 describes (and as several SMSCs do): every mandatory field is empty and there
 * are no TLVs. Keeps decode → encode byte-identical for such frames.
 */
function omitBody(
  name: CommandName,
  p: Record<string, unknown>,
  fields: readonly FieldDescriptor[],
): boolean {
  if (!isResponseId(CommandId[name]) || !p.command_status || fields.length === 0) return false;
  if (p.tlvs && (p.tlvs as Tlv[]).length > 0) return false;
  for (const f of fields) {
    const v = p[f.name];
    if (v === undefined) continue;
    if (f.kind === 'cstring' && v !== '') return false;
    if (f.kind === 'u8' && v !== 0) return false;
    if ((f.kind === 'dest_address' || f.kind === 'unsuccess_sme') && (v as unknown[]).length > 0)
      return false;
  }
  return true;
}

/**
 * Encodes a PDU: computes the exact length, allocates one Buffer, writes, and asserts the
 * bytes written equal the length.
 * @throws SmppEncodeError when a field is out of range (too long string, non-octet integer,
 *   short_message over 255 octets, TLV over 65535): fix the input, it will never encode.
 */
export function encodePdu(input: PduInput | Pdu): Buffer {
  const p = input as unknown as Record<string, unknown>;
  const name = input.command;
  const fields: readonly FieldDescriptor[] | undefined = PDU_FIELDS[name];
  if (!fields) throw new SmppEncodeError(`unknown PDU kind ${String(name)}`);
  const omit = omitBody(name, p, fields);
  const tlvs = (p.tlvs ?? []) as Tlv[];
  let length = HEADER_LENGTH + (omit ? 0 : bodySize(fields, p));
  for (const t of tlvs) {
    if (t.value.length > 0xffff)
      throw new SmppEncodeError(`TLV 0x${t.tag.toString(16)}: value over 65535 octets`);
    length += 4 + t.value.length;
  }
  const buf = Buffer.allocUnsafe(length);
  buf.writeUInt32BE(length, 0);
  buf.writeUInt32BE(CommandId[name], 4);
  buf.writeUInt32BE(((p.command_status as number | undefined) ?? 0) >>> 0, 8);
  buf.writeUInt32BE(((p.sequence_number as number | undefined) ?? 0) >>> 0, 12);
  let pos = HEADER_LENGTH;
  if (!omit) {
    for (const f of fields) {
      const v = p[f.name];
      switch (f.kind) {
        case 'cstring':
          pos = writeCStr(buf, pos, v);
          break;
        case 'u8':
          buf[pos++] = (v as number | undefined) ?? 0;
          break;
        case 'short_message': {
          const b = (v ?? Buffer.alloc(0)) as Uint8Array;
          buf[pos++] = b.length;
          buf.set(b, pos);
          pos += b.length;
          break;
        }
        case 'dest_address': {
          const list = (v ?? []) as DestAddress[];
          buf[pos++] = list.length;
          for (const d of list) {
            buf[pos++] = d.dest_flag;
            if (d.dest_flag === 1) {
              buf[pos++] = d.dest_addr_ton;
              buf[pos++] = d.dest_addr_npi;
              pos = writeCStr(buf, pos, d.destination_addr);
            } else {
              pos = writeCStr(buf, pos, d.dl_name);
            }
          }
          break;
        }
        case 'unsuccess_sme': {
          const list = (v ?? []) as UnsuccessSme[];
          buf[pos++] = list.length;
          for (const u of list) {
            buf[pos++] = u.dest_addr_ton;
            buf[pos++] = u.dest_addr_npi;
            pos = writeCStr(buf, pos, u.destination_addr);
            buf.writeUInt32BE(u.error_status_code >>> 0, pos);
            pos += 4;
          }
          break;
        }
      }
    }
  }
  for (const t of tlvs) {
    buf.writeUInt16BE(t.tag, pos);
    buf.writeUInt16BE(t.value.length, pos + 2);
    buf.set(t.value, pos + 4);
    pos += 4 + t.value.length;
  }
  if (pos !== length) throw new SmppEncodeError(`internal: wrote ${pos} bytes, computed ${length}`);
  return buf;
}

/**
 * Fills every field of `input` with its default so the result has the same shape as a
 * decoded PDU (useful to compare a built PDU with a decoded one).
 */
export function completePdu<N extends CommandName>(input: PduInput<N>): Pdu<N> {
  const out: Record<string, unknown> = {
    command: input.command,
    command_id: CommandId[input.command],
    command_status: input.command_status ?? 0,
    sequence_number: input.sequence_number ?? 0,
    tlvs: input.tlvs ?? [],
  };
  const src = input as unknown as Record<string, unknown>;
  for (const f of PDU_FIELDS[input.command] as readonly FieldDescriptor[])
    out[f.name] = src[f.name] ?? defaultFor(f);
  return out as unknown as Pdu<N>;
}
