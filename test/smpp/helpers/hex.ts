/**
 * Builders for hand-written hex fixtures. They are deliberately independent of the codec:
 * each helper spells out the wire bytes (C-Octet string = bytes + 00, etc.).
 */
export const cs = (s: string): string => Buffer.from(`${s}\0`, 'latin1').toString('hex');
export const u8 = (n: number): string => n.toString(16).padStart(2, '0');
export const u16 = (n: number): string => n.toString(16).padStart(4, '0');
export const u32 = (n: number): string => n.toString(16).padStart(8, '0');
export const oct = (s: string | Buffer): string =>
  (typeof s === 'string' ? Buffer.from(s, 'latin1') : s).toString('hex');
export const tlv = (tag: number, valueHex: string): string => u16(tag) + u16(valueHex.length / 2) + valueHex;

/** A whole frame: header (length computed from the parts) + body hex parts. */
export function frame(commandId: number, status: number, seq: number, ...body: string[]): string {
  const b = body.join('');
  return u32(16 + b.length / 2) + u32(commandId) + u32(status) + u32(seq) + b;
}

export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
