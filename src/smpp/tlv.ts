/**
 * Optional parameters (TLVs, SMPP 3.4 §5.3). A TLV is kept as its tag and raw value bytes, so
 * tags we do not know survive decode → encode unchanged; typed accessors read the value on
 * demand.
 */

/** One TLV as it sits on the wire: 16-bit tag, raw value (its length is `value.length`). */
export interface Tlv {
  tag: number;
  value: Buffer;
}

/** Tag constants, named as in the SMPP 3.4 spec (§5.3.2). */
export const TlvTag = {
  dest_addr_subunit: 0x0005,
  dest_network_type: 0x0006,
  dest_bearer_type: 0x0007,
  dest_telematics_id: 0x0008,
  source_addr_subunit: 0x000d,
  source_network_type: 0x000e,
  source_bearer_type: 0x000f,
  source_telematics_id: 0x0010,
  qos_time_to_live: 0x0017,
  payload_type: 0x0019,
  additional_status_info_text: 0x001d,
  receipted_message_id: 0x001e,
  ms_msg_wait_facilities: 0x0030,
  privacy_indicator: 0x0201,
  source_subaddress: 0x0202,
  dest_subaddress: 0x0203,
  user_message_reference: 0x0204,
  user_response_code: 0x0205,
  source_port: 0x020a,
  destination_port: 0x020b,
  sar_msg_ref_num: 0x020c,
  language_indicator: 0x020d,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  sc_interface_version: 0x0210,
  callback_num_pres_ind: 0x0302,
  callback_num_atag: 0x0303,
  number_of_messages: 0x0304,
  callback_num: 0x0381,
  dpf_result: 0x0420,
  set_dpf: 0x0421,
  ms_availability_status: 0x0422,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  delivery_failure_reason: 0x0425,
  more_messages_to_send: 0x0426,
  message_state: 0x0427,
  ussd_service_op: 0x0501,
  display_time: 0x1201,
  sms_signal: 0x1203,
  ms_validity: 0x1204,
  alert_on_message_delivery: 0x130c,
  its_reply_type: 0x1380,
  its_session_info: 0x1383,
} as const;

export type TlvName = keyof typeof TlvTag;

const TAG_NAMES = new Map<number, TlvName>((Object.keys(TlvTag) as TlvName[]).map((n) => [TlvTag[n], n]));

/** Spec name of a tag (`receipted_message_id`), or `undefined` for vendor/unknown tags. */
export function tlvNameOf(tag: number): TlvName | undefined {
  return TAG_NAMES.get(tag);
}

/** First TLV with `tag`, or `undefined`. Linear scan: PDUs carry a handful of TLVs. */
export function findTlv(tlvs: readonly Tlv[], tag: number): Tlv | undefined {
  for (const t of tlvs) if (t.tag === tag) return t;
  return undefined;
}

/**
 * Unsigned big-endian integer value of a TLV (1, 2 or 4 octets; `network_error_code`'s 3 octets
 * also read as one integer). `undefined` when the TLV is absent or its length is 0 or > 4.
 */
export function tlvUint(tlvs: readonly Tlv[], tag: number): number | undefined {
  const t = findTlv(tlvs, tag);
  if (!t || t.value.length === 0 || t.value.length > 4) return undefined;
  return t.value.readUIntBE(0, t.value.length);
}

/**
 * C-Octet string value of a TLV (Latin-1, trailing NULs dropped; a missing terminator is
 * tolerated because several SMSCs omit it in `receipted_message_id`).
 */
export function tlvString(tlvs: readonly Tlv[], tag: number): string | undefined {
  const t = findTlv(tlvs, tag);
  if (!t) return undefined;
  let end = t.value.indexOf(0);
  if (end < 0) end = t.value.length;
  return t.value.toString('latin1', 0, end);
}

/** Raw value bytes of a TLV (a view, not a copy), or `undefined`. */
export function tlvBytes(tlvs: readonly Tlv[], tag: number): Buffer | undefined {
  return findTlv(tlvs, tag)?.value;
}

/** Builds an integer TLV of `size` octets (1, 2, 3 or 4). */
export function uintTlv(tag: number, value: number, size: 1 | 2 | 3 | 4): Tlv {
  const b = Buffer.allocUnsafe(size);
  b.writeUIntBE(value, 0, size);
  return { tag, value: b };
}

/** Builds a NUL-terminated C-Octet string TLV (Latin-1). */
export function cstringTlv(tag: number, value: string): Tlv {
  const b = Buffer.alloc(Buffer.byteLength(value, 'latin1') + 1);
  b.write(value, 0, 'latin1');
  return { tag, value: b };
}

/** Builds an octet-string TLV (e.g. `message_payload`); the buffer is used as-is. */
export function octetsTlv(tag: number, value: Buffer | Uint8Array): Tlv {
  return { tag, value: Buffer.isBuffer(value) ? value : Buffer.from(value) };
}

/** `network_error_code` (3 octets): network type (1 = ANSI-136, 2 = IS-95, 3 = GSM, ...) and error. */
export function readNetworkErrorCode(
  tlvs: readonly Tlv[],
): { network_type: number; error_code: number } | undefined {
  const v = tlvBytes(tlvs, TlvTag.network_error_code);
  if (v?.length !== 3) return undefined;
  return { network_type: v[0], error_code: v.readUInt16BE(1) };
}
