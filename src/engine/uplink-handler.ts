import { newSmsMsgId } from '../domain/ids.js';
import { Reassembler, type ReassemblerOptions } from '../smpp/reassembler.js';
import { decodeShortMessage } from '../smpp/short-message-decoder.js';
import type { Store } from '../store/store.js';
import type { InboundDeliver } from './carrier-link.js';
import type { Logger } from './logger.js';

/** TON 1 = international: the address is a full number without its `+`. */
const TON_INTERNATIONAL = 1;

/** The handset's number as E.164 when the SMSC says it is international, else as sent. */
export function moSender(addr: string, ton: number): string {
  const a = addr.trim();
  if (a.startsWith('+')) return a;
  if (ton === TON_INTERNATIONAL && /^\d+$/.test(a)) return `+${a}`;
  return a;
}

/**
 * MO (non-receipt deliver_sm) → `store.insertMo`, which finds the app by channel number,
 * writes the uplink outbox row and applies opt-out (`R`, `TD`, `STOP`, `UNSUBSCRIBE`) in one
 * transaction. `handle()` resolves after that commit, so deliver_sm_resp follows it.
 *
 * Concatenated MO: the parts of an unfinished message are acknowledged as they arrive and held
 * in a bounded {@link Reassembler}; the whole text is committed when the last part comes. A group
 * that never completes is committed with the text that did arrive when it times out (`sweep`),
 * rather than dropped. (A crash loses held parts the SMSC already considers delivered — the cost
 * of not making the SMSC wait minutes for a response.)
 */
export class UplinkHandler {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #clock: () => number;
  readonly #reassembler: Reassembler<string>;
  #received = 0;

  constructor(deps: { store: Store; log: Logger; clock?: () => number; reassembly?: ReassemblerOptions }) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#clock = deps.clock ?? Date.now;
    this.#reassembler = new Reassembler<string>({ now: this.#clock, ...deps.reassembly });
  }

  /** Stores one MO (or holds one part of it). Rejects when the store write failed. */
  async handle(d: InboundDeliver): Promise<void> {
    const { pdu } = d;
    const from = moSender(pdu.source_addr, pdu.source_addr_ton);
    const to = pdu.destination_addr.trim();
    const decoded = decodeShortMessage({ ...pdu, tlvs: [...pdu.tlvs] });
    const r = this.#reassembler.add(from, to, decoded, d.connectorId);
    if (r.status !== 'complete') return;
    await this.#insert(from, to, r.text, d.connectorId);
  }

  /** Commits the partial text of groups that timed out. Call every few seconds. */
  async sweep(): Promise<void> {
    for (const g of this.#reassembler.sweep()) {
      const [from, to] = g.key.split('\u0000');
      const connectorId = (g.contexts[0] as string | undefined) ?? null;
      this.#log.warn(
        { from, to, received: g.received, total: g.total },
        'incomplete MO stored with the parts received',
      );
      await this.#insert(from, to, g.partialText, connectorId).catch((err) =>
        this.#log.error({ err }, 'storing an incomplete MO failed'),
      );
    }
  }

  /** MOs committed since start. */
  get received(): number {
    return this.#received;
  }

  async #insert(from: string, to: string, body: string, connectorId: string | null): Promise<void> {
    await this.#store.insertMo({
      smsMsgId: newSmsMsgId(),
      from,
      to,
      body,
      connectorId,
      receivedAt: this.#clock(),
    });
    this.#received++;
  }
}
