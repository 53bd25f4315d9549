/**
 * PDU types, derived from the field table in `pdu-descriptors.ts` (one source per shape).
 * A decoded PDU is a plain object of fixed shape: the header, every mandatory field of its
 * kind in table order, and `tlvs` (in wire order, unknown tags included).
 *
 * `command_length`, `sm_length`, `number_of_dests` and `no_unsuccess` are implied by the data
 * and computed by the encoder, so they are not stored.
 */
import type { CommandName } from './command-ids.js';
import type { FieldKind, PduFieldTable } from './pdu-descriptors.js';
import type { Tlv } from './tlv.js';

/** submit_multi destination: an SME address (`dest_flag` 1) or a distribution list name (2). */
export type DestAddress =
  | { dest_flag: 1; dest_addr_ton: number; dest_addr_npi: number; destination_addr: string }
  | { dest_flag: 2; dl_name: string };

/** submit_multi_resp entry for a destination the SMSC refused. */
export interface UnsuccessSme {
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  error_status_code: number;
}

type ValueOfKind<K extends FieldKind> = K extends 'cstring'
  ? string
  : K extends 'u8'
    ? number
    : K extends 'short_message'
      ? Buffer
      : K extends 'dest_address'
        ? DestAddress[]
        : UnsuccessSme[];

/** Mandatory body fields of PDU kind `N`. */
export type PduBody<N extends CommandName> = {
  -readonly [F in PduFieldTable[N][number] as F['name']]: ValueOfKind<F['kind']>;
};

/** Header common to every PDU (command_length is implied). */
export interface PduHeader<N extends CommandName> {
  command: N;
  command_id: number;
  command_status: number;
  sequence_number: number;
  tlvs: Tlv[];
}

/** A decoded (or fully specified) PDU. Narrow the union with `pdu.command === 'submit_sm'`. */
export type Pdu<N extends CommandName = CommandName> = N extends CommandName
  ? PduHeader<N> & PduBody<N>
  : never;

/**
 * What `encodePdu` accepts: `command` plus any subset of the fields; missing strings encode
 * as empty, missing integers as 0, a missing short_message as empty, `command_id` is derived
 * from `command`, `sequence_number` and `command_status` default to 0.
 */
export type PduInput<N extends CommandName = CommandName> = N extends CommandName
  ? {
      command: N;
      command_id?: number;
      command_status?: number;
      sequence_number?: number;
      tlvs?: Tlv[];
    } & Partial<PduBody<N>>
  : never;

export type SubmitSm = Pdu<'submit_sm'>;
export type SubmitSmResp = Pdu<'submit_sm_resp'>;
export type DeliverSm = Pdu<'deliver_sm'>;
export type DataSm = Pdu<'data_sm'>;
export type BindTransceiver = Pdu<'bind_transceiver'>;

/** The fields of one submit_sm part as the client sends it (no header; TLVs optional). */
export type SubmitSmFields = Partial<PduBody<'submit_sm'>> & { tlvs?: Tlv[] };
