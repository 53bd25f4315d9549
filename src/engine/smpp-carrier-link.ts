import { commandStatusName, isThrottleStatus } from '../smpp/command-status.js';
import type { SubmitSmFields } from '../smpp/pdu-types.js';
import { buildSubmitSmParts, type TextEncodingPolicy } from '../smpp/short-message-builder.js';
import { type PartResult, SmppClient, type SmppClientOptions } from '../smpp/smpp-client.js';
import type { ConnectorRecord } from '../store/records.js';
import type { ClaimedMessage } from '../store/store.js';
import type {
  CarrierLink,
  CarrierLinkFactory,
  DeliverHandler,
  LinkStats,
  SubmitResult,
} from './carrier-link.js';
import type { Logger } from './logger.js';

/** TON/NPI values used on addresses (SMPP 3.4 §5.2.5–6). */
const TON_UNKNOWN = 0;
const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;
const NPI_UNKNOWN = 0;
const NPI_ISDN = 1;

/** The submit_sm fields common to every part of `msg` on `connector` (text fields come later). */
export function submitBase(msg: ClaimedMessage['message']): SubmitSmFields {
  const from = msg.channelNumber;
  const numeric = /^\d+$/.test(from);
  return {
    service_type: '',
    source_addr_ton: numeric ? TON_UNKNOWN : TON_ALPHANUMERIC,
    source_addr_npi: numeric ? NPI_ISDN : NPI_UNKNOWN,
    source_addr: from,
    dest_addr_ton: TON_INTERNATIONAL,
    dest_addr_npi: NPI_ISDN,
    destination_addr: msg.to.replace(/^\+/, ''),
    // Ask for a final receipt (success or failure): receipts are what status reports are made of.
    registered_delivery: 1,
  };
}

/** The parts of `msg` as the connector wants them (concat mode, alphabet, packing). */
export function buildParts(connector: ConnectorRecord, msg: ClaimedMessage['message']): SubmitSmFields[] {
  const encoding: TextEncodingPolicy =
    msg.encoding === 'UCS2' ? 'ucs2' : connector.textMode === 'latin1' ? 'latin1' : 'auto';
  return buildSubmitSmParts(submitBase(msg), msg.content, {
    concat: connector.concat,
    encoding,
    gsm7Packed: connector.textMode === 'gsm7-packed',
  });
}

/**
 * Carrier ids per stored part. Normally one wire part per stored part. When the wire split
 * differs from the billing split (`payload` mode sends one PDU; Latin-1 parts are larger),
 * stored part i takes the id of wire part min(i, wireParts): one receipt then settles them all.
 */
export function partsFromResults(results: Array<PartResult & { ok: true }>, total: number, at: number) {
  const n = Math.max(1, total);
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    carrierMsgId: results[Math.min(i, results.length - 1)].message_id,
    submittedAt: at,
  }));
}

/** Options of the SMPP link factory; `clientOptions` overrides are for tests. */
export interface SmppLinkOptions {
  log: Logger;
  clientOptions?: Partial<SmppClientOptions>;
  clock?: () => number;
  /**
   * How long a submit_sm waits for its submit_sm_resp before the message is retried
   * (`config.engine.submitTimeoutMs`). Default: the session's request expiry (30 s).
   */
  submitTimeoutMs?: number;
}

/**
 * A connector's link made of `sessions` SMPP clients (one bind each, or a transmitter+receiver
 * pair), using src/smpp's client: window, enquire_link, reconnect with back-off, per-client
 * throughput (connector tps ÷ binds) with AIMD back-off on ESME_RTHROTTLED / ESME_RMSGQFUL.
 * A message goes to the bound client with the fewest submits in progress, all its parts on one
 * bind, in order. Receipts are accepted on any bind (the receipt handler matches by connector).
 */
export class SmppCarrierLink implements CarrierLink {
  readonly connectorId: string;
  readonly #c: ConnectorRecord;
  readonly #onDeliver: DeliverHandler;
  readonly #o: SmppLinkOptions;
  readonly #clock: () => number;
  #clients: SmppClient[] = [];
  #closed = false;

  constructor(
    connector: ConnectorRecord,
    ctx: { sessions: number; onDeliver: DeliverHandler },
    opts: SmppLinkOptions,
  ) {
    this.connectorId = connector.id;
    this.#c = connector;
    this.#onDeliver = ctx.onDeliver;
    this.#o = opts;
    this.#clock = opts.clock ?? Date.now;
    void this.setSessions(ctx.sessions);
  }

  isReady(): boolean {
    return !this.#closed && this.#clients.some((c) => c.state === 'bound');
  }

  /** Resolves once the sessions closed here are unbound (never rejects). */
  setSessions(n: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    while (this.#clients.length < n) this.#clients.push(this.#newClient());
    const closing: Promise<void>[] = [];
    while (this.#clients.length > n) {
      const c = this.#clients.pop() as SmppClient;
      // Graceful: the unbind waits for the window to drain.
      closing.push(
        c
          .close()
          .catch((err) => this.#o.log.warn({ err, connectorId: this.connectorId }, 'smpp unbind failed')),
      );
    }
    return Promise.all(closing).then(() => undefined);
  }

  stats(): LinkStats {
    let bound = 0;
    let used = 0;
    for (const c of this.#clients) {
      if (c.state === 'bound') bound++;
      used += c.transmitter?.inFlight().length ?? 0;
    }
    return {
      sessionsBound: bound,
      sessionsWanted: this.#clients.length,
      windowUsed: used,
      windowSize: this.#c.window,
    };
  }

  async submit(claimed: ClaimedMessage): Promise<SubmitResult> {
    const client = this.#pick();
    if (!client) return { kind: 'retry', reason: 'no bound session' };
    const msg = claimed.message;
    let parts: SubmitSmFields[];
    try {
      parts = buildParts(this.#c, msg);
    } catch (err) {
      return {
        kind: 'rejected',
        statusCode: 'E200035',
        commandStatus: -1,
        detail: `encoding failed: ${(err as Error).message}`,
      };
    }
    const results = await client.submit(parts, { timeoutMs: this.#o.submitTimeoutMs });
    const failed = results.find((r): r is PartResult & { ok: false } => !r.ok);
    if (!failed)
      return {
        kind: 'ok',
        parts: partsFromResults(results as Array<PartResult & { ok: true }>, msg.total, this.#clock()),
      };
    const st = failed.command_status;
    if (st !== undefined && st !== 0 && !isThrottleStatus(st)) {
      return { kind: 'rejected', statusCode: commandStatusName(st), commandStatus: st };
    }
    const reason =
      st !== undefined && isThrottleStatus(st)
        ? `throttled (${commandStatusName(st)})`
        : (failed.error?.message ?? 'submit failed');
    return { kind: 'retry', reason };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const clients = this.#clients;
    this.#clients = [];
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  }

  #pick(): SmppClient | undefined {
    let best: SmppClient | undefined;
    for (const c of this.#clients) {
      if (c.state !== 'bound') continue;
      if (!best || c.activeSubmits < best.activeSubmits) best = c;
    }
    return best;
  }

  #newClient(): SmppClient {
    const c = this.#c;
    const client = new SmppClient({
      host: c.host,
      port: c.port,
      tls: c.tls,
      mode: c.bindMode === 'transmitter_receiver' ? 'pair' : 'transceiver',
      bind: { system_id: c.systemId, password: c.password, system_type: c.systemType },
      session: { windowSize: c.window },
      throughput: c.tps > 0 ? c.tps / Math.max(1, c.binds) : undefined,
      onDeliver: async (pdu) => {
        await this.#onDeliver({ connectorId: c.id, pdu });
      },
      ...this.#o.clientOptions,
    });
    const log = this.#o.log;
    client.on('bound', () => log.info({ connectorId: c.id }, 'smpp bound'));
    client.on('disconnected', (info) =>
      log.warn(
        { connectorId: c.id, reason: info.reason, inFlight: info.inFlight.length },
        'smpp disconnected',
      ),
    );
    client.on('bindFailed', (err) => log.warn({ connectorId: c.id, err }, 'smpp bind failed'));
    client.start();
    return client;
  }
}

/** The default {@link CarrierLinkFactory}: SMPP links. */
export function createSmppLinkFactory(opts: SmppLinkOptions): CarrierLinkFactory {
  return (connector, ctx) => new SmppCarrierLink(connector, ctx, opts);
}
