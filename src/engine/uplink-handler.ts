import { newSmsMsgId } from '../domain/ids.js';
import { normalizeNumber } from '../domain/phone.js';
import { Reassembler, type ReassemblerOptions } from '../smpp/reassembler.js';
import { decodeShortMessage } from '../smpp/short-message-decoder.js';
import type { Store } from '../store/store.js';
import type { InboundDeliver } from './carrier-link.js';
import type { Logger } from './logger.js';

/** TON 1 = international: the address is a full number without its `+`. */
const TON_INTERNATIONAL = 1;
/** TON 0 = unknown: how an address is read once its TON no longer matters. */
const TON_UNKNOWN = 0;

/**
 * The handset's number as E.164 when the SMSC says it is international, else as sent — except
 * that for a mainland app (`region: 'cn'`) a national number (`15100000001`) becomes E.164
 * (`+8615100000001`) the way the send API normalises `to` ({@link normalizeNumber}), so the
 * uplink `from` matches the `originTo` of the messages it answers and opt-out blocks match later
 * sends. International apps (and unknown channels, `region` omitted) keep the address as sent:
 * there is no country to assume. Addresses that do not normalise (short codes, alphanumerics)
 * are kept as sent.
 */
export function moSender(addr: string, ton: number, region?: 'cn' | 'intl'): string {
  const a = addr.trim();
  if (a.startsWith('+')) return a;
  if (ton === TON_INTERNATIONAL && /^\d+$/.test(a)) return `+${a}`;
  if (region === 'cn') {
    const n = normalizeNumber(a, { region: 'cn' });
    if (n.ok) return n.e164;
  }
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

  /** The app region behind the channel number `to` (undefined when no app owns it). */
  async #regionOf(to: string): Promise<'cn' | 'intl' | undefined> {
    const match = await this.#store.resolveChannel(to);
    return match ? (await this.#store.getApp(match.appId))?.region : undefined;
  }

  /**
   * `from` is the sender as the SMSC gave it (already E.164 when the SMSC said international);
   * national senders are normalised here, once per complete MO, because that needs the app.
   */
  async #insert(from: string, to: string, body: string, connectorId: string | null): Promise<void> {
    const sender = from.startsWith('+') ? from : moSender(from, TON_UNKNOWN, await this.#regionOf(to));
    await this.#store.insertMo({
      smsMsgId: newSmsMsgId(),
      from: sender,
      to,
      body,
      connectorId,
      receivedAt: this.#clock(),
    });
    this.#received++;
  }
}
