/**
 * SMPP 3.4 `command_status` catalogue (spec §5.1.3), defined once: numeric code, stable
 * name, a description, and whether a sender may retry the same request later.
 *
 * `retryable` is our policy, not the spec's: it marks statuses that say "not now" (queue full,
 * throttled, system error) rather than "never" (bad address, bad length).
 */
export interface CommandStatusInfo {
  readonly code: number;
  readonly name: string;
  readonly description: string;
  readonly retryable: boolean;
}

const ENTRIES = [
  [0x00, 'ESME_ROK', 'No error', false],
  [0x01, 'ESME_RINVMSGLEN', 'Message length is invalid', false],
  [0x02, 'ESME_RINVCMDLEN', 'Command length is invalid', false],
  [0x03, 'ESME_RINVCMDID', 'Invalid command ID', false],
  [0x04, 'ESME_RINVBNDSTS', 'Incorrect BIND status for given command', true],
  [0x05, 'ESME_RALYBND', 'ESME already in bound state', false],
  [0x06, 'ESME_RINVPRTFLG', 'Invalid priority flag', false],
  [0x07, 'ESME_RINVREGDLVFLG', 'Invalid registered delivery flag', false],
  [0x08, 'ESME_RSYSERR', 'System error', true],
  [0x0a, 'ESME_RINVSRCADR', 'Invalid source address', false],
  [0x0b, 'ESME_RINVDSTADR', 'Invalid destination address', false],
  [0x0c, 'ESME_RINVMSGID', 'Message ID is invalid', false],
  [0x0d, 'ESME_RBINDFAIL', 'Bind failed', true],
  [0x0e, 'ESME_RINVPASWD', 'Invalid password', false],
  [0x0f, 'ESME_RINVSYSID', 'Invalid system ID', false],
  [0x11, 'ESME_RCANCELFAIL', 'Cancel SM failed', false],
  [0x13, 'ESME_RREPLACEFAIL', 'Replace SM failed', false],
  [0x14, 'ESME_RMSGQFUL', 'Message queue full', true],
  [0x15, 'ESME_RINVSERTYP', 'Invalid service type', false],
  [0x33, 'ESME_RINVNUMDESTS', 'Invalid number of destinations', false],
  [0x34, 'ESME_RINVDLNAME', 'Invalid distribution list name', false],
  [0x40, 'ESME_RINVDESTFLAG', 'Destination flag is invalid (submit_multi)', false],
  [0x42, 'ESME_RINVSUBREP', "Invalid 'submit with replace' request", false],
  [0x43, 'ESME_RINVESMCLASS', 'Invalid esm_class field data', false],
  [0x44, 'ESME_RCNTSUBDL', 'Cannot submit to distribution list', false],
  [0x45, 'ESME_RSUBMITFAIL', 'submit_sm or submit_multi failed', true],
  [0x48, 'ESME_RINVSRCTON', 'Invalid source address TON', false],
  [0x49, 'ESME_RINVSRCNPI', 'Invalid source address NPI', false],
  [0x50, 'ESME_RINVDSTTON', 'Invalid destination address TON', false],
  [0x51, 'ESME_RINVDSTNPI', 'Invalid destination address NPI', false],
  [0x53, 'ESME_RINVSYSTYP', 'Invalid system_type field', false],
  [0x54, 'ESME_RINVREPFLAG', 'Invalid replace_if_present flag', false],
  [0x55, 'ESME_RINVNUMMSGS', 'Invalid number of messages', false],
  [0x58, 'ESME_RTHROTTLED', 'Throttling error (ESME has exceeded allowed message limits)', true],
  [0x61, 'ESME_RINVSCHED', 'Invalid scheduled delivery time', false],
  [0x62, 'ESME_RINVEXPIRY', 'Invalid message validity period (expiry time)', false],
  [0x63, 'ESME_RINVDFTMSGID', 'Predefined message invalid or not found', false],
  [0x64, 'ESME_RX_T_APPN', 'ESME receiver temporary app error code', true],
  [0x65, 'ESME_RX_P_APPN', 'ESME receiver permanent app error code', false],
  [0x66, 'ESME_RX_R_APPN', 'ESME receiver reject message error code', false],
  [0x67, 'ESME_RQUERYFAIL', 'query_sm request failed', false],
  [0xc0, 'ESME_RINVOPTPARSTREAM', 'Error in the optional part of the PDU body', false],
  [0xc1, 'ESME_ROPTPARNOTALLWD', 'Optional parameter not allowed', false],
  [0xc2, 'ESME_RINVPARLEN', 'Invalid parameter length', false],
  [0xc3, 'ESME_RMISSINGOPTPARAM', 'Expected optional parameter missing', false],
  [0xc4, 'ESME_RINVOPTPARAMVAL', 'Invalid optional parameter value', false],
  [0xfe, 'ESME_RDELIVERYFAILURE', 'Delivery failure (data_sm_resp)', true],
  [0xff, 'ESME_RUNKNOWNERR', 'Unknown error', true],
] as const;

type StatusName = (typeof ENTRIES)[number][1];

/** `CommandStatus.ESME_RTHROTTLED === 0x58`, etc. */
export const CommandStatus = Object.freeze(
  Object.fromEntries(ENTRIES.map(([code, name]) => [name, code])) as { readonly [K in StatusName]: number },
);

/** Every catalogued status, in code order. */
export const COMMAND_STATUSES: readonly CommandStatusInfo[] = Object.freeze(
  ENTRIES.map(([code, name, description, retryable]) =>
    Object.freeze({ code, name, description, retryable }),
  ),
);

const BY_CODE = new Map<number, CommandStatusInfo>(COMMAND_STATUSES.map((s) => [s.code, s]));

/**
 * Catalogue entry for a status code. Codes outside the table (reserved or vendor-specific,
 * 0x400–0x4FF) get a synthesised entry named `ESME_0x…`, not retryable.
 */
export function commandStatusInfo(code: number): CommandStatusInfo {
  return (
    BY_CODE.get(code >>> 0) ?? {
      code: code >>> 0,
      name: `ESME_0x${(code >>> 0).toString(16).padStart(8, '0')}`,
      description:
        code >= 0x400 && code <= 0x4ff ? 'SMSC vendor-specific error' : 'Reserved / unknown status',
      retryable: false,
    }
  );
}

/** Stable name of a status (`ESME_RTHROTTLED`), for logs and stored error codes. */
export function commandStatusName(code: number): string {
  return commandStatusInfo(code).name;
}

/** True for `ESME_RTHROTTLED` and `ESME_RMSGQFUL`: the SMSC asks us to slow down. */
export function isThrottleStatus(code: number): boolean {
  return code === 0x58 || code === 0x14;
}
