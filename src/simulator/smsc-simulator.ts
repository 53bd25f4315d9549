/**
 * The SMSC simulator: an SMPP 3.4 SMSC built on `SmppServer` (src/smpp) that behaves like a
 * carrier. It accepts binds, answers submit_sm with a unique message id, and sends a delivery
 * receipt (deliver_sm, esm_class 0x04, Appendix B text AND the receipted_message_id /
 * message_state TLVs) after a delay — one per submit_sm, so one per part of a long message.
 * What happens to each submit is decided by `decideSubmit` (scenario.ts: magic numbers and rules).
 *
 * Like a real SMSC it keeps what it owes: a receipt or MO that no bound receiver takes, or that
 * the ESME does not acknowledge (no deliver_sm_resp, or an error status), is redelivered later,
 * so an ESME crash loses nothing. Pending deliveries wait in one bounded due-time queue (one
 * timer). Receipts go to ANY receiving bind of the submitter's system_id (round robin), which
 * exercises cross-bind receipt matching in the ESME.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { encodeGsm7, isGsm7Char } from '../domain/gsm7.js';
import type { ConcatMode } from '../domain/segments.js';
import type { Pdu, PduInput } from '../smpp/pdu-types.js';
import { formatReceiptText, MessageState, type ReceiptStat } from '../smpp/receipt.js';
import type { SmppSession } from '../smpp/session.js';
import type { SessionConfig } from '../smpp/session-config.js';
import { buildShortMessageParts, type TextEncodingPolicy } from '../smpp/short-message-builder.js';
import { decodeShortMessage } from '../smpp/short-message-decoder.js';
import { SmppServer } from '../smpp/smpp-server.js';
import { cstringTlv, octetsTlv, type Tlv, TlvTag, uintTlv } from '../smpp/tlv.js';
import { DueQueue } from './due-queue.js';
import { decideSubmit, resolveScenarioConfig, type ScenarioConfig, type SubmitPlan } from './scenario.js';
import { SimulatorError } from './simulator-errors.js';

const ESME_RTHROTTLED = 0x58;
const ESME_RINVPASWD = 0x0e;
const ESME_RINVSYSID = 0x0f;
const ESM_CLASS_RECEIPT = 0x04;

/** How message ids are written. Real SMSCs mostly use hex; some (SMPP 3.3 habit) decimal. */
export type MessageIdFormat = 'hex' | 'decimal';

/** Minimal logger (pino-compatible subset). */
export interface SimulatorLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
}

export interface SmscSimulatorOptions {
  /** Listen address. Default 127.0.0.1 (loopback only: it is a test peer). */
  host?: string;
  /** Listen port; 0 (default) = any free port. */
  port?: number;
  /** Accepted credentials. Default: any system_id / password is accepted. */
  credentials?: Array<{ systemId: string; password: string }>;
  /** system_id written in bind responses. Default `SwiftletSim`. */
  systemId?: string;
  /** Format of the message_id in submit_sm_resp. Default `hex`. */
  messageIdFormat?: MessageIdFormat;
  /**
   * Format of the `id:` in the receipt TEXT. Default: same as `messageIdFormat`. The
   * receipted_message_id TLV always carries the id exactly as in submit_sm_resp (SMPP 3.4
   * §5.3.2.12). `messageIdFormat: 'hex'` + `receiptIdFormat: 'decimal'` mimics the common
   * SMSC mix (SMPP 3.3 habit) that Kannel's `msg-id-type = 0x01` expects.
   */
  receiptIdFormat?: MessageIdFormat;
  /** Outcomes, delays and rules (see scenario.ts). */
  scenario?: Partial<ScenarioConfig>;
  /**
   * Send receipts only when submit_sm asked for one (registered_delivery bits 0-1: 1 = always,
   * 2 = on failure only), as SMSCs do. Default true; false sends a receipt for every submit.
   */
  honourRegisteredDelivery?: boolean;
  /** Wait before delivering again a deliver_sm that was refused, unanswered or had no receiver. Default 5 000 ms. */
  redeliveryDelayMs?: number;
  /** How long to wait for a deliver_sm_resp before counting the attempt as failed. Default 10 000 ms. */
  deliverTimeoutMs?: number;
  /** Delivery attempts (sent deliver_sm) before a receipt / MO is dropped. Default 50. */
  maxDeliveryAttempts?: number;
  /** A receipt / MO not delivered within this time is dropped, bound or not. Default 24 h. */
  deliveryValidityMs?: number;
  /** Pending receipts and MOs held at once; beyond it new ones are dropped (counted). Default 100 000. */
  maxPending?: number;
  /** Session settings of accepted connections; window defaults to 100 here (a fast SMSC). */
  session?: Partial<SessionConfig>;
  /** [0,1) source for rule probabilities. Default Math.random. */
  random?: () => number;
  log?: SimulatorLogger;
}

/** A submit_sm as the simulator saw it (emitted as `submit`, for tests and the console). */
export interface SimulatedSubmit {
  systemId: string;
  /** Message id given in submit_sm_resp; undefined when refused or not answered. */
  messageId: string | undefined;
  source: string;
  destination: string;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** Decoded text of this part (UDH stripped). */
  text: string;
  /** Concatenation info when the part is one of several. */
  concat?: { ref: number; total: number; seq: number };
  plan: SubmitPlan;
  /** Set when answered ESME_RTHROTTLED (first attempt of THROTTLED_ONCE). */
  throttled: boolean;
  pdu: Pdu<'submit_sm'>;
}

/** A receipt the simulator delivered (emitted as `receipt`). */
export interface SimulatedReceipt {
  systemId: string;
  messageId: string;
  stat: ReceiptStat;
  attempts: number;
}

export interface SimulatorStats {
  binds: number;
  boundSessions: number;
  submits: number;
  accepted: number;
  rejected: number;
  throttled: number;
  unanswered: number;
  receiptsScheduled: number;
  receiptsSent: number;
  moInjected: number;
  moDelivered: number;
  /** deliver_sm attempts that failed (refused, timed out, no receiver) and were rescheduled. */
  redeliveries: number;
  /** Receipts / MOs given up (queue full, attempts or validity exhausted). */
  dropped: number;
  pending: number;
}

/** The counters of a simulator that has done nothing yet. */
export function emptySimulatorStats(): SimulatorStats {
  return {
    binds: 0,
    boundSessions: 0,
    submits: 0,
    accepted: 0,
    rejected: 0,
    throttled: 0,
    unanswered: 0,
    receiptsScheduled: 0,
    receiptsSent: 0,
    moInjected: 0,
    moDelivered: 0,
    redeliveries: 0,
    dropped: 0,
    pending: 0,
  };
}

export interface SmscSimulatorEvents {
  submit: [submit: SimulatedSubmit];
  receipt: [receipt: SimulatedReceipt];
  mo: [mo: { systemId: string; from: string; to: string; text: string; parts: number }];
  bound: [info: { systemId: string; bindType: string }];
}

/** An MO to inject. */
export interface InjectMo {
  /** Sender (the handset), e.g. `+8613900000001`. */
  from: string;
  /** Recipient: the channel number (+ extension). */
  to: string;
  text: string;
  /** Deliver to binds of this system_id. Default: any bound receiver / transceiver. */
  systemId?: string;
  /** Alphabet policy; default `auto` (GSM-7 when possible, else UCS-2). */
  encoding?: TextEncodingPolicy;
  /** How long texts are split; default `udh8`. */
  concat?: ConcatMode;
}

interface DeliveryJob {
  kind: 'receipt' | 'mo';
  /** Deliver only to binds of this system_id. */
  systemId: string;
  /** Remaining deliver_sm to send, in order (MO parts stay in order on one bind). */
  pdus: Array<Omit<PduInput<'deliver_sm'>, 'command'>>;
  attempts: number;
  createdAt: number;
  receipt?: { messageId: string; stat: ReceiptStat };
  mo?: { from: string; to: string; text: string; parts: number };
  settle?: { resolve: () => void; reject: (e: Error) => void };
}

const MAX_THROTTLE_MEMORY = 10_000;

export class SmscSimulator extends EventEmitter<SmscSimulatorEvents> {
  readonly #o: SmscSimulatorOptions;
  readonly #scenario: ScenarioConfig;
  readonly #server: SmppServer;
  readonly #queue: DueQueue<DeliveryJob>;
  readonly #random: () => number;
  // Submits answered ESME_RTHROTTLED once; the next identical one is accepted.
  readonly #throttledOnce = new Map<string, true>();
  #idSeq: bigint;
  #rr = 0;
  #stopped = false;
  /** `boundSessions` and `pending` are read live in `stats()`. */
  readonly #stats = emptySimulatorStats();

  constructor(opts: SmscSimulatorOptions = {}) {
    super();
    this.#o = opts;
    this.#scenario = resolveScenarioConfig(opts.scenario);
    this.#random = opts.random ?? Math.random;
    // Ids start from the clock so a restarted simulator does not reuse the ids it gave before.
    this.#idSeq = BigInt(Date.now()) * 1000n;
    this.#queue = new DueQueue<DeliveryJob>({ run: (job) => this.#runJob(job), maxSize: opts.maxPending });
    this.#server = new SmppServer({
      systemId: opts.systemId ?? 'SwiftletSim',
      sessionConfig: { windowSize: 100, ...opts.session },
      handler: {
        authenticate: (req) => this.#authenticate(req.system_id, req.password),
        onSubmitSm: (pdu, s) => this.#onSubmit(pdu, s),
      },
    });
    this.#server.on('bound', (s) => {
      this.#stats.binds++;
      this.#o.log?.debug({ systemId: s.systemId, bindType: s.bindType }, 'simulator: bound');
      this.emit('bound', { systemId: s.systemId, bindType: s.bindType ?? '' });
    });
  }

  /** Starts listening; resolves with the port. */
  async listen(): Promise<number> {
    const port = await this.#server.listen(this.#o.port ?? 0, this.#o.host ?? '127.0.0.1');
    this.#o.log?.info({ port }, 'simulator: listening');
    return port;
  }

  /** The listening port (0 before `listen`). */
  get port(): number {
    return this.#server.port;
  }

  /** The scenario in force (defaults filled). */
  get scenario(): Readonly<ScenarioConfig> {
    return this.#scenario;
  }

  /** The underlying SMPP server (sessions, for tests and diagnostics). */
  get server(): SmppServer {
    return this.#server;
  }

  stats(): SimulatorStats {
    return { ...this.#stats, boundSessions: this.#server.boundSessions().length, pending: this.#queue.size };
  }

  /**
   * Stops: pending receipts and MOs are dropped (a restarted simulator owes nothing), every
   * session is closed, the port is released. Pending `injectMo` promises reject SIM_STOPPED.
   */
  async close(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const job of this.#queue.stop()) job.settle?.reject(new SimulatorError('SIM_STOPPED'));
    await this.#server.close();
  }

  /**
   * Injects an MO: builds the deliver_sm part(s) (GSM-7 or UCS-2, concatenated with a UDH when
   * long) and delivers them, in order, to a bound receiver / transceiver. Resolves once every
   * part was acknowledged with ESME_ROK; redelivers like a receipt until then.
   * @throws SimulatorError SIM_NO_RECEIVER (nothing bound that can receive, and no systemId
   *   given), SIM_BAD_MO, SIM_QUEUE_FULL; rejects SIM_UNDELIVERED / SIM_STOPPED later.
   */
  injectMo(mo: InjectMo): Promise<void> {
    if (!mo.from || !mo.to) return Promise.reject(new SimulatorError('SIM_BAD_MO'));
    let systemId = mo.systemId;
    if (systemId === undefined) {
      const receivers = this.#receivers(undefined);
      if (receivers.length === 0) return Promise.reject(new SimulatorError('SIM_NO_RECEIVER'));
      systemId = receivers[0].systemId;
    }
    const built = buildShortMessageParts(mo.text, {
      encoding: mo.encoding ?? 'auto',
      concat: mo.concat ?? 'udh8',
    });
    const src = address(mo.from);
    const dst = address(mo.to);
    const pdus = built.parts.map((p) => ({
      source_addr_ton: src.ton,
      source_addr_npi: src.npi,
      source_addr: src.addr,
      dest_addr_ton: dst.ton,
      dest_addr_npi: dst.npi,
      destination_addr: dst.addr,
      esm_class: p.esm_class,
      data_coding: p.data_coding,
      short_message: p.short_message,
      tlvs: p.tlvs,
    }));
    return new Promise<void>((resolve, reject) => {
      const job: DeliveryJob = {
        kind: 'mo',
        systemId: systemId as string,
        pdus,
        attempts: 0,
        createdAt: Date.now(),
        mo: { from: mo.from, to: mo.to, text: mo.text, parts: pdus.length },
        settle: { resolve, reject },
      };
      if (!this.#queue.push(job, Date.now())) {
        reject(new SimulatorError(this.#stopped ? 'SIM_STOPPED' : 'SIM_QUEUE_FULL'));
        return;
      }
      this.#stats.moInjected++;
    });
  }

  // ----------------------------------------------------------------------------- binds

  #authenticate(systemId: string, password: string): number {
    const creds = this.#o.credentials;
    if (!creds || creds.length === 0) return 0;
    const c = creds.find((x) => x.systemId === systemId);
    if (!c) return ESME_RINVSYSID;
    return c.password === password ? 0 : ESME_RINVPASWD;
  }

  // ----------------------------------------------------------------------------- submits

  #nextIds(): { messageId: string; receiptId: string } {
    const n = this.#idSeq++;
    const fmt = this.#o.messageIdFormat ?? 'hex';
    const rfmt = this.#o.receiptIdFormat ?? fmt;
    const write = (f: MessageIdFormat) => (f === 'hex' ? n.toString(16) : n.toString(10));
    return { messageId: write(fmt), receiptId: write(rfmt) };
  }

  async #onSubmit(
    pdu: Pdu<'submit_sm'>,
    s: SmppSession,
  ): Promise<{ command_status: number; message_id?: string } | undefined> {
    this.#stats.submits++;
    const plan = decideSubmit(pdu.destination_addr, this.#scenario, this.#random);
    const decoded = decodeShortMessage(pdu);
    const seen: SimulatedSubmit = {
      systemId: s.systemId,
      messageId: undefined,
      source: pdu.source_addr,
      destination: pdu.destination_addr,
      dataCoding: pdu.data_coding,
      esmClass: pdu.esm_class,
      registeredDelivery: pdu.registered_delivery,
      text: decoded.text,
      concat: decoded.concat
        ? { ref: decoded.concat.ref, total: decoded.concat.total, seq: decoded.concat.seq }
        : undefined,
      plan,
      throttled: false,
      pdu,
    };
    if (plan.responseDelayMs > 0) await new Promise((r) => setTimeout(r, plan.responseDelayMs));

    if (plan.throttleFirstAttempt) {
      // The same part again (same destination, text and part number; the concatenation
      // reference may change when a sender rebuilds the message) is the retry.
      const key = createHash('sha1')
        .update(
          `${s.systemId}\u0000${pdu.destination_addr}\u0000${decoded.concat?.seq ?? 0}/${decoded.concat?.total ?? 1}\u0000${decoded.text}`,
        )
        .digest('base64');
      if (!this.#throttledOnce.delete(key)) {
        this.#throttledOnce.set(key, true);
        if (this.#throttledOnce.size > MAX_THROTTLE_MEMORY)
          this.#throttledOnce.delete(this.#throttledOnce.keys().next().value as string);
        this.#stats.throttled++;
        seen.throttled = true;
        this.emit('submit', seen);
        return { command_status: ESME_RTHROTTLED };
      }
    }
    switch (plan.response.kind) {
      case 'none':
        this.#stats.unanswered++;
        this.emit('submit', seen);
        // Never answer: resolve only when the session is gone (the session then writes nothing).
        await s.closed();
        return undefined;
      case 'error':
        this.#stats.rejected++;
        this.emit('submit', seen);
        return { command_status: plan.response.commandStatus };
      case 'accept':
        break;
    }
    const { messageId, receiptId } = this.#nextIds();
    seen.messageId = messageId;
    this.#stats.accepted++;
    this.emit('submit', seen);
    if (plan.receipt && this.#wantsReceipt(pdu.registered_delivery, plan.receipt.stat)) {
      this.#scheduleReceipt(s.systemId, pdu, decoded.text, messageId, receiptId, plan.receipt);
    }
    return { command_status: 0, message_id: messageId };
  }

  #wantsReceipt(registeredDelivery: number, stat: ReceiptStat): boolean {
    if (this.#o.honourRegisteredDelivery === false) return true;
    const mode = registeredDelivery & 0x03;
    return mode === 1 || mode === 3 || (mode === 2 && stat !== 'DELIVRD');
  }

  #scheduleReceipt(
    systemId: string,
    sub: Pdu<'submit_sm'>,
    text: string,
    messageId: string,
    receiptId: string,
    r: NonNullable<SubmitPlan['receipt']>,
  ): void {
    const submitDate = new Date();
    const doneDate = new Date(submitDate.getTime() + r.delayMs);
    // data_coding 0 = GSM-7 (one septet per octet): characters outside it become '?'.
    const gsmText = Array.from(text, (ch) => (isGsm7Char(ch) ? ch : '?')).join('');
    const body = formatReceiptText({
      id: receiptId,
      stat: r.stat,
      submitDate,
      doneDate,
      err: r.err,
      text: gsmText,
    });
    const tlvs: Tlv[] = [
      cstringTlv(TlvTag.receipted_message_id, messageId),
      uintTlv(TlvTag.message_state, MessageState[STATE_NAME[r.stat]], 1),
    ];
    if (r.stat !== 'DELIVRD') {
      // network_error_code: type 3 (GSM), then the 2-octet error, the same number as err:.
      const v = Buffer.alloc(3);
      v[0] = 3;
      v.writeUInt16BE(Number(r.err) & 0xffff, 1);
      tlvs.push(octetsTlv(TlvTag.network_error_code, v));
    }
    const job: DeliveryJob = {
      kind: 'receipt',
      systemId,
      pdus: [
        {
          // A receipt travels back: from the handset (the original destination) to the sender.
          source_addr_ton: sub.dest_addr_ton,
          source_addr_npi: sub.dest_addr_npi,
          source_addr: sub.destination_addr,
          dest_addr_ton: sub.source_addr_ton,
          dest_addr_npi: sub.source_addr_npi,
          destination_addr: sub.source_addr,
          esm_class: ESM_CLASS_RECEIPT,
          data_coding: 0,
          short_message: Buffer.from(encodeGsm7(body) ?? Buffer.from(body, 'latin1')),
          tlvs,
        },
      ],
      attempts: 0,
      createdAt: Date.now(),
      receipt: { messageId, stat: r.stat },
    };
    if (this.#queue.push(job, Date.now() + r.delayMs)) this.#stats.receiptsScheduled++;
    else {
      this.#stats.dropped++;
      this.#o.log?.warn({ messageId: receiptId }, 'simulator: receipt dropped, delivery queue full');
    }
  }

  // ----------------------------------------------------------------------------- delivery

  #receivers(systemId: string | undefined): SmppSession[] {
    return this.#server
      .boundSessions(systemId)
      .filter((s) => s.bindType === 'receiver' || s.bindType === 'transceiver');
  }

  #reschedule(job: DeliveryJob, why: string): void {
    const now = Date.now();
    const validity = this.#o.deliveryValidityMs ?? 24 * 3_600_000;
    const maxAttempts = this.#o.maxDeliveryAttempts ?? 50;
    if (job.attempts >= maxAttempts || now - job.createdAt >= validity) {
      this.#stats.dropped++;
      this.#o.log?.warn({ kind: job.kind, attempts: job.attempts, why }, 'simulator: delivery given up');
      job.settle?.reject(new SimulatorError('SIM_UNDELIVERED', why));
      return;
    }
    this.#stats.redeliveries++;
    if (!this.#queue.push(job, now + (this.#o.redeliveryDelayMs ?? 5_000))) {
      this.#stats.dropped++;
      job.settle?.reject(new SimulatorError(this.#stopped ? 'SIM_STOPPED' : 'SIM_QUEUE_FULL'));
    }
  }

  #runJob(job: DeliveryJob): void {
    void this.#deliver(job);
  }

  async #deliver(job: DeliveryJob): Promise<void> {
    const targets = this.#receivers(job.systemId);
    if (targets.length === 0) {
      this.#reschedule(job, 'no receiver bound');
      return;
    }
    const s = targets[this.#rr++ % targets.length];
    job.attempts++;
    while (job.pdus.length > 0) {
      let resp: Pdu;
      try {
        resp = await s.request({ ...job.pdus[0], command: 'deliver_sm' } as PduInput, {
          timeoutMs: this.#o.deliverTimeoutMs ?? 10_000,
        });
      } catch (err) {
        if (this.#stopped) job.settle?.reject(new SimulatorError('SIM_STOPPED'));
        else this.#reschedule(job, (err as Error).message);
        return;
      }
      if (resp.command_status !== 0) {
        this.#reschedule(job, `deliver_sm_resp status 0x${resp.command_status.toString(16)}`);
        return;
      }
      job.pdus.shift();
    }
    if (job.receipt) {
      this.#stats.receiptsSent++;
      this.emit('receipt', {
        systemId: job.systemId,
        messageId: job.receipt.messageId,
        stat: job.receipt.stat,
        attempts: job.attempts,
      });
    } else if (job.mo) {
      this.#stats.moDelivered++;
      this.emit('mo', { systemId: job.systemId, ...job.mo });
    }
    job.settle?.resolve();
  }
}

const STATE_NAME: Record<ReceiptStat, keyof typeof MessageState> = {
  ENROUTE: 'ENROUTE',
  DELIVRD: 'DELIVERED',
  EXPIRED: 'EXPIRED',
  DELETED: 'DELETED',
  UNDELIV: 'UNDELIVERABLE',
  ACCEPTD: 'ACCEPTED',
  UNKNOWN: 'UNKNOWN',
  REJECTD: 'REJECTED',
  SKIPPED: 'SKIPPED',
};

/** SMPP address for a number: `+` means international (TON 1, NPI 1, `+` dropped); alphanumeric TON 5. */
function address(n: string): { ton: number; npi: number; addr: string } {
  const t = n.trim();
  if (t.startsWith('+')) return { ton: 1, npi: 1, addr: t.slice(1) };
  if (/^\d+$/.test(t)) return { ton: 0, npi: 1, addr: t };
  return { ton: 5, npi: 0, addr: t };
}
