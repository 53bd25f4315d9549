import type { ConnectorRecord } from '../store/records.js';
import type { ClaimedMessage } from '../store/store.js';

/**
 * What a submit came to. Every part of one message goes out together (one concatenation
 * reference); the result is for the whole message:
 * - `ok`: every part acknowledged; carrier ids as the SMSC wrote them (the engine normalises).
 * - `rejected`: the SMSC answered a part with an error status (not throttling) — final, the
 *   message is not retried. `statusCode` is the SMPP error name (`ESME_RSUBMITFAIL`), or
 *   `ESME_0x…` for a status the catalogue does not know.
 * - `retry`: no usable answer — response timeout, connection lost with the request in the
 *   window, no bound session, or throttling the link gave up waiting out. The message goes back
 *   to the queue; the SMSC may have taken some parts (at-least-once, bounded by the window).
 */
export type SubmitResult =
  | { kind: 'ok'; parts: Array<{ seq: number; carrierMsgId: string; submittedAt: number }> }
  | { kind: 'rejected'; statusCode: string; commandStatus: number; detail?: string }
  | { kind: 'retry'; reason: string };

/** One connector's way to the carrier, as the dispatcher sees it. */
export interface CarrierLink {
  readonly connectorId: string;
  /** At least one session is bound and can take a submit. */
  isReady(): boolean;
  /** Submits all parts of a message; never throws (failures are {@link SubmitResult}s). */
  submit(msg: ClaimedMessage): Promise<SubmitResult>;
  /** Unbinds gracefully (drains the window) and closes. */
  close(): Promise<void>;
  /** Sessions held now and requests outstanding, for status and metrics (optional). */
  stats?(): LinkStats;
  /**
   * Bind slots this node may hold changed (cluster leases); open or close sessions to match.
   * May return a promise that settles once the sessions it closed are unbound, so the caller
   * gives the slots back only then (the cluster never holds more binds than allowed).
   */
  setSessions?(n: number): void | Promise<void>;
}

/** A link's live numbers for {@link CarrierLink.stats}. */
export interface LinkStats {
  sessionsBound: number;
  sessionsWanted: number;
  windowUsed: number;
  windowSize: number;
}

/** A deliver_sm the engine must handle before the session answers it. */
export interface InboundDeliver {
  connectorId: string;
  /** The decoded deliver_sm / data_sm fields the handlers read. */
  pdu: {
    source_addr: string;
    source_addr_ton: number;
    destination_addr: string;
    esm_class: number;
    data_coding: number;
    short_message?: Buffer;
    tlvs: ReadonlyArray<{ tag: number; value: Buffer }>;
  };
}

/**
 * Called by a link for every deliver_sm. The session sends deliver_sm_resp when the promise
 * resolves (ESME_ROK) — i.e. after the receipt or MO is committed — and an error status (the
 * SMSC redelivers) when it rejects.
 */
export type DeliverHandler = (d: InboundDeliver) => Promise<void>;

/** Builds the link of one connector. `sessions` = bind slots this node holds (may be 0). */
export type CarrierLinkFactory = (
  connector: ConnectorRecord,
  ctx: { sessions: number; onDeliver: DeliverHandler },
) => CarrierLink;
