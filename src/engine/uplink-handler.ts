import { newSmsMsgId } from '../domain/ids.js';
import { normalizeNumber } from '../domain/phone.js';
import { decodeShortMessage, type PayloadAlphabet, unitsToText } from '../smpp/short-message-decoder.js';
import type { MoTextAssembler, Store } from '../store/store.js';
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

/** How long the parts of a concatenated MO wait for the rest: 5 minutes (handsets send them seconds apart). */
export const DEFAULT_MO_REASSEMBLY_TIMEOUT_MS = 5 * 60_000;

/** Joins stored payload units into text: units join before decoding (split escapes, surrogates). */
export const assembleMoText: MoTextAssembler = (alphabet, units) =>
  unitsToText(alphabet as PayloadAlphabet, Buffer.concat(units));

/**
 * MO (non-receipt deliver_sm) → the store, committed before `handle()` resolves, so the session's
 * deliver_sm_resp follows the commit and a crash before it makes the SMSC send the MO again.
 *
 * A single-part MO is one `insertMo` (app by channel number, uplink outbox row, opt-out block).
 * Each part of a concatenated MO is stored by `addMoPart` in the transaction that acknowledges
 * it — nothing is held in memory, so a crash or restart between two parts loses nothing, and on
 * a cluster the parts may arrive at different nodes. The part that completes the message commits
 * the MO in the same transaction. A message whose parts stop coming is stored with the parts that
 * did arrive after `timeoutMs` (`sweep`), rather than dropped.
 */
export class UplinkHandler {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #clock: () => number;
  readonly #timeoutMs: number;
  #received = 0;

  constructor(deps: { store: Store; log: Logger; clock?: () => number; reassemblyTimeoutMs?: number }) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#clock = deps.clock ?? Date.now;
    this.#timeoutMs = deps.reassemblyTimeoutMs ?? DEFAULT_MO_REASSEMBLY_TIMEOUT_MS;
  }

  /** Stores one MO, or one part of it. Rejects when the store write failed (the SMSC then retries). */
  async handle(d: InboundDeliver): Promise<void> {
    const { pdu } = d;
    const to = pdu.destination_addr.trim();
    const decoded = decodeShortMessage({ ...pdu, tlvs: [...pdu.tlvs] });
    const from = await this.#sender(moSender(pdu.source_addr, pdu.source_addr_ton), to);
    const c = decoded.concat;
    // A part numbered outside its total cannot be joined; its text is still the customer's.
    if (!c || c.total <= 1 || c.seq < 1 || c.seq > c.total) {
      await this.#insert(from, to, decoded.text, d.connectorId);
      return;
    }
    const r = await this.#store.addMoPart(
      {
        groupKey: JSON.stringify([from, to, c.refBits, c.ref, c.total]),
        seq: c.seq,
        total: c.total,
        alphabet: decoded.alphabet,
        units: decoded.units,
        from,
        to,
        connectorId: d.connectorId,
        receivedAt: this.#clock(),
      },
      newSmsMsgId,
      assembleMoText,
    );
    if (r.status !== 'complete') return;
    this.#received++;
    if (r.late) {
      this.#log.warn(
        { from, to, seq: c.seq, total: c.total },
        'MO part arrived after its message was stored incomplete; stored on its own',
      );
    }
  }

  /**
   * Stores messages whose parts stopped coming (with the parts that did arrive) and those two
   * nodes completed at once; purges old consumed parts. Call every few seconds.
   */
  async sweep(): Promise<void> {
    const now = this.#clock();
    const flushed = await this.#store.flushMoParts(now - this.#timeoutMs, now, newSmsMsgId, assembleMoText);
    for (const f of flushed) {
      this.#received++;
      if (f.received < f.total) {
        this.#log.warn(
          { from: f.mo.from, to: f.mo.to, received: f.received, total: f.total },
          'incomplete MO stored with the parts received',
        );
      }
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
   * `from` as the SMSC gave it (already E.164 when the SMSC said international); a national
   * sender is normalised here because that needs the app behind `to`.
   */
  async #sender(from: string, to: string): Promise<string> {
    return from.startsWith('+') ? from : moSender(from, TON_UNKNOWN, await this.#regionOf(to));
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
