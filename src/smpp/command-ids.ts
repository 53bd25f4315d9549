/**
 * SMPP 3.4 `command_id` values (spec §5.1.2.1), defined once.
 *
 * Responses are the request id with bit 31 set (`0x80000000`); `generic_nack` is the only
 * response without a matching request.
 */
export const CommandId = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
} as const;

/** A PDU kind, spelled as in the spec (`submit_sm`, `deliver_sm_resp`, ...). */
export type CommandName = keyof typeof CommandId;

/** Bit 31 of `command_id`: set on every response PDU. */
export const RESPONSE_BIT = 0x80000000;

const NAME_BY_ID = new Map<number, CommandName>(
  (Object.keys(CommandId) as CommandName[]).map((name) => [CommandId[name], name]),
);

/** Name for a numeric `command_id`, or `undefined` when the id is not an SMPP 3.4 PDU. */
export function commandNameOf(id: number): CommandName | undefined {
  return NAME_BY_ID.get(id >>> 0);
}

/** True when `id` has the response bit set (includes `generic_nack`). */
export function isResponseId(id: number): boolean {
  return (id & RESPONSE_BIT) !== 0;
}

/**
 * The response kind that answers a request kind, or `undefined` for PDUs that take no
 * response (`outbind`, `alert_notification`) and for responses themselves.
 */
export function responseNameFor(name: CommandName): CommandName | undefined {
  if (name === 'outbind' || name === 'alert_notification' || isResponseId(CommandId[name])) return undefined;
  return commandNameOf((CommandId[name] | RESPONSE_BIT) >>> 0);
}
