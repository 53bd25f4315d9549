/**
 * The one table that drives both encoding and decoding: for each PDU kind, its mandatory body
 * fields in wire order (SMPP 3.4 §4). Names are the spec's. Types derive from this table
 * (`pdu-types.ts`), so a field added here is a field everywhere.
 *
 * Field kinds:
 * - `cstring`: C-Octet string, `max` counts the terminating NUL as the spec does;
 *   `invalid` is the command_status to answer when a peer sends one that is too long.
 * - `u8`: 1-octet integer.
 * - `short_message`: `sm_length` (1 octet) then that many octets; `sm_length` is implied.
 * - `dest_address`: submit_multi's `number_of_dests` then the list (implied count).
 * - `unsuccess_sme`: submit_multi_resp's `no_unsuccess` then the list (implied count).
 */
import type { CommandName } from './command-ids.js';

export type FieldKind = 'cstring' | 'u8' | 'short_message' | 'dest_address' | 'unsuccess_sme';

export interface FieldDescriptor {
  readonly name: string;
  readonly kind: FieldKind;
  /** Max encoded size including the NUL (cstring only). */
  readonly max?: number;
  /** command_status for an over-long value (cstring only); default ESME_RINVCMDLEN. */
  readonly invalid?: number;
}

const c = <N extends string>(name: N, max: number, invalid?: number) =>
  ({ name, kind: 'cstring', max, invalid }) as const;
const u8 = <N extends string>(name: N) => ({ name, kind: 'u8' }) as const;
const sm = { name: 'short_message', kind: 'short_message' } as const;

// Statuses used for over-long strings (values from command-status.ts, kept literal so this
// table has no runtime dependency order issues).
const RINVSRCADR = 0x0a;
const RINVDSTADR = 0x0b;
const RINVMSGID = 0x0c;
const RINVPASWD = 0x0e;
const RINVSYSID = 0x0f;
const RINVSERTYP = 0x15;
const RINVSYSTYP = 0x53;
const RINVSCHED = 0x61;
const RINVEXPIRY = 0x62;

const bind = [
  c('system_id', 16, RINVSYSID),
  c('password', 9, RINVPASWD),
  c('system_type', 13, RINVSYSTYP),
  u8('interface_version'),
  u8('addr_ton'),
  u8('addr_npi'),
  c('address_range', 41),
] as const;
const bindResp = [c('system_id', 16, RINVSYSID)] as const;
const messageIdOnly = [c('message_id', 65, RINVMSGID)] as const;

const smFields = [
  c('service_type', 6, RINVSERTYP),
  u8('source_addr_ton'),
  u8('source_addr_npi'),
  c('source_addr', 21, RINVSRCADR),
  u8('dest_addr_ton'),
  u8('dest_addr_npi'),
  c('destination_addr', 21, RINVDSTADR),
  u8('esm_class'),
  u8('protocol_id'),
  u8('priority_flag'),
  c('schedule_delivery_time', 17, RINVSCHED),
  c('validity_period', 17, RINVEXPIRY),
  u8('registered_delivery'),
  u8('replace_if_present_flag'),
  u8('data_coding'),
  u8('sm_default_msg_id'),
  sm,
] as const;

/** Mandatory body fields per PDU kind, in wire order. */
export const PDU_FIELDS = {
  generic_nack: [],
  bind_receiver: bind,
  bind_receiver_resp: bindResp,
  bind_transmitter: bind,
  bind_transmitter_resp: bindResp,
  bind_transceiver: bind,
  bind_transceiver_resp: bindResp,
  outbind: [c('system_id', 16, RINVSYSID), c('password', 9, RINVPASWD)],
  unbind: [],
  unbind_resp: [],
  enquire_link: [],
  enquire_link_resp: [],
  submit_sm: smFields,
  submit_sm_resp: messageIdOnly,
  deliver_sm: smFields,
  deliver_sm_resp: messageIdOnly,
  submit_multi: [
    c('service_type', 6, RINVSERTYP),
    u8('source_addr_ton'),
    u8('source_addr_npi'),
    c('source_addr', 21, RINVSRCADR),
    { name: 'dest_address', kind: 'dest_address' },
    u8('esm_class'),
    u8('protocol_id'),
    u8('priority_flag'),
    c('schedule_delivery_time', 17, RINVSCHED),
    c('validity_period', 17, RINVEXPIRY),
    u8('registered_delivery'),
    u8('replace_if_present_flag'),
    u8('data_coding'),
    u8('sm_default_msg_id'),
    sm,
  ],
  submit_multi_resp: [c('message_id', 65, RINVMSGID), { name: 'unsuccess_sme', kind: 'unsuccess_sme' }],
  data_sm: [
    c('service_type', 6, RINVSERTYP),
    u8('source_addr_ton'),
    u8('source_addr_npi'),
    c('source_addr', 65, RINVSRCADR),
    u8('dest_addr_ton'),
    u8('dest_addr_npi'),
    c('destination_addr', 65, RINVDSTADR),
    u8('esm_class'),
    u8('registered_delivery'),
    u8('data_coding'),
  ],
  data_sm_resp: messageIdOnly,
  query_sm: [
    c('message_id', 65, RINVMSGID),
    u8('source_addr_ton'),
    u8('source_addr_npi'),
    c('source_addr', 21, RINVSRCADR),
  ],
  query_sm_resp: [c('message_id', 65, RINVMSGID), c('final_date', 17), u8('message_state'), u8('error_code')],
  cancel_sm: [
    c('service_type', 6, RINVSERTYP),
    c('message_id', 65, RINVMSGID),
    u8('source_addr_ton'),
    u8('source_addr_npi'),
    c('source_addr', 21, RINVSRCADR),
    u8('dest_addr_ton'),
    u8('dest_addr_npi'),
    c('destination_addr', 21, RINVDSTADR),
  ],
  cancel_sm_resp: [],
  replace_sm: [
    c('message_id', 65, RINVMSGID),
    u8('source_addr_ton'),
    u8('source_addr_npi'),
    c('source_addr', 21, RINVSRCADR),
    c('schedule_delivery_time', 17, RINVSCHED),
    c('validity_period', 17, RINVEXPIRY),
    u8('registered_delivery'),
    u8('sm_default_msg_id'),
    sm,
  ],
  replace_sm_resp: [],
  alert_notification: [
    u8('source_addr_ton'),
    u8('source_addr_npi'),
    c('source_addr', 65, RINVSRCADR),
    u8('esme_addr_ton'),
    u8('esme_addr_npi'),
    c('esme_addr', 65),
  ],
} as const satisfies Record<CommandName, readonly FieldDescriptor[]>;

export type PduFieldTable = typeof PDU_FIELDS;
