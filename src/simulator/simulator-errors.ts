/**
 * The simulator's error catalogue: each error has a stable `code` (for logs, the CLI and the
 * management API) and a fixed message template.
 */

/** Every code a simulator error can carry. */
export const SIMULATOR_ERRORS = {
  /** MO injection with no bound receiver/transceiver to deliver to. Bind an ESME first. */
  SIM_NO_RECEIVER: 'no SMPP receiver or transceiver is bound to the simulator',
  /** The pending delivery queue is full (see maxPending). */
  SIM_QUEUE_FULL: 'the simulator delivery queue is full',
  /** The simulator was stopped before the delivery completed. */
  SIM_STOPPED: 'the simulator stopped',
  /** Every redelivery attempt failed (ESME refused or never answered). */
  SIM_UNDELIVERED: 'the deliver_sm was not accepted after all redelivery attempts',
  /** Bad input to injectMo (empty from/to). */
  SIM_BAD_MO: 'an MO needs a non-empty from and to',
} as const;

export type SimulatorErrorCode = keyof typeof SIMULATOR_ERRORS;

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  constructor(
    readonly code: SimulatorErrorCode,
    detail?: string,
  ) {
    super(detail ? `${SIMULATOR_ERRORS[code]}: ${detail}` : SIMULATOR_ERRORS[code]);
  }
}
