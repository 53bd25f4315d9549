/**
 * One SMPP session over one socket (net.Socket or tls.TLSSocket), for either side: an ESME
 * (our client) or an SMSC (our server / simulator).
 *
 * States (one transition function, illegal moves throw):
 *
 *   open ──bind sent/received──▶ binding ──bind_resp OK──▶ bound ──unbind──▶ unbinding
 *     │                            │                         │                  │
 *     └────────────────────────────┴──────── any failure ────┴──────────────────┴──▶ closed
 *
 * - open:      TCP connected, nothing bound. Only bind (and enquire_link) may pass.
 * - binding:   a bind is in flight (ESME) or being authenticated (SMSC).
 * - bound:     requests flow both ways, within the window.
 * - unbinding: unbind sent or received; no new requests, the window drains.
 * - closed:    terminal. `closeReason` says why, and alone decides whether to reconnect.
 *
 * Outstanding requests live in a `RequestWindow`; ONE sweeper timer per session expires
 * them, expires window waiters, sends enquire_link on idle and enforces the inactivity and
 * write timeouts. On close every outstanding request is rejected with `SmppClosedError`
 * carrying its PDU, and `inFlight()` keeps listing them, so the engine can requeue.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { CommandId, type CommandName, isResponseId, RESPONSE_BIT, responseNameFor } from './command-ids.js';
import { CommandStatus } from './command-status.js';
import { decodePdu, encodePdu, type PduDecodeError } from './pdu-codec.js';
import { PduFramer } from './pdu-framer.js';
import type { Pdu, PduInput } from './pdu-types.js';
import { resolveSessionConfig, type SessionConfig } from './session-config.js';
import {
  SmppBadResponseError,
  SmppClosedError,
  SmppNotBoundError,
  SmppStatusError,
  SmppTimeoutError,
  SmppWindowFullError,
} from './smpp-errors.js';
import { type PendingEntry, RequestWindow, type WindowEntry } from './window.js';

export type SessionState = 'open' | 'binding' | 'bound' | 'unbinding' | 'closed';

/**
 * Why a session closed. Every reason except `explicit` means the owner should reconnect
 * (with back-off).
 * - explicit:           we called `close()` / `unbind()`.
 * - unbindByPeer:       the peer sent unbind.
 * - connection:         socket error or closed by the peer.
 * - invalidStream:      unrecoverable framing/decoding error.
 * - bindFailed:         bind refused or timed out.
 * - enquireLinkTimeout: no enquire_link_resp in time (dead link).
 * - inactivity:         nothing received for inactivityTimeoutMs.
 * - writeTimeout:       socket did not drain for writeTimeoutMs.
 */
export type CloseReason =
  | 'explicit'
  | 'unbindByPeer'
  | 'connection'
  | 'invalidStream'
  | 'bindFailed'
  | 'enquireLinkTimeout'
  | 'inactivity'
  | 'writeTimeout';

export type BindType = 'transmitter' | 'receiver' | 'transceiver';

export const BIND_COMMAND: Record<BindType, 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'> = {
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
  transceiver: 'bind_transceiver',
};

/** What a handler returns for an incoming request: fields merged into the default response. */
export type ResponseFields = {
  command_status?: number;
  message_id?: string;
  system_id?: string;
  tlvs?: PduInput['tlvs'];
} & Record<string, unknown>;

/** Bind parameters (ESME side). interface_version defaults to 0x34. */
export interface BindParams {
  bindType: BindType;
  system_id: string;
  password?: string;
  system_type?: string;
  interface_version?: number;
  addr_ton?: number;
  addr_npi?: number;
  address_range?: string;
}

export interface SessionHandler {
  /**
   * An incoming request other than bind/unbind/enquire_link (deliver_sm on an ESME,
   * submit_sm on an SMSC, ...). Return response fields, or a promise of them: the response
   * is written only after the promise resolves (commit first, then ack). Returning nothing
   * answers ESME_ROK. A throw/rejection answers ESME_RX_T_APPN for deliver_sm/data_sm (the
   * SMSC retries later) and ESME_RSYSERR otherwise. Not called for alert_notification's
   * missing response (it gets none).
   */
  onRequest?(
    pdu: Pdu,
    session: SmppSession,
  ): ResponseFields | undefined | void | Promise<ResponseFields | undefined | void>;
  /**
   * SMSC side: a bind request arrived in state open. Return `command_status` 0 to accept
   * (and optionally the `system_id` to answer with). Default: refuse with ESME_RBINDFAIL.
   */
  onBind?(
    pdu: Pdu<'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'>,
    session: SmppSession,
  ): ResponseFields | Promise<ResponseFields>;
}

export interface SessionEvents {
  state: [state: SessionState, previous: SessionState];
  bound: [bindType: BindType, systemId: string];
  close: [info: { reason: CloseReason; error: Error | undefined; inFlight: WindowEntry[] }];
  /** A response whose sequence_number matches nothing outstanding. */
  unexpectedResponse: [pdu: Pdu];
  /** A request expired without response (its promise rejected with SmppTimeoutError). */
  expired: [entry: WindowEntry];
  /** A malformed PDU was answered with generic_nack; the session goes on. */
  recoverableError: [error: PduDecodeError];
  outbind: [pdu: Pdu<'outbind'>];
  /** Every PDU received / sent (decoded), for tracing. */
  pdu: [direction: 'in' | 'out', pdu: Pdu | PduInput];
}

const LEGAL: Record<SessionState, readonly SessionState[]> = {
  open: ['binding', 'closed'],
  binding: ['bound', 'closed'],
  bound: ['unbinding', 'closed'],
  unbinding: ['closed'],
  closed: [],
};

const MAX_SEQ = 0x7fffffff;

export interface SessionOptions {
  /** 'esme' (client, default) or 'smsc' (server side of a connection). */
  role?: 'esme' | 'smsc';
  config?: Partial<SessionConfig>;
  handler?: SessionHandler;
}

export interface RequestOptions {
  /** Response expiry for this request; default config.requestExpiryTimeoutMs. */
  timeoutMs?: number;
  /** How long to wait for a window slot; default config.windowWaitTimeoutMs. */
  windowWaitMs?: number;
}

export class SmppSession extends EventEmitter<SessionEvents> {
  readonly role: 'esme' | 'smsc';
  readonly config: Readonly<SessionConfig>;
  readonly #socket: Socket;
  readonly #framer: PduFramer;
  readonly #window: RequestWindow;
  readonly #handler: SessionHandler;
  #state: SessionState = 'open';
  #closeReason: CloseReason | undefined;
  #closeError: Error | undefined;
  #closedInFlight: WindowEntry[] = [];
  #seq = 0;
  #bindType: BindType | undefined;
  #systemId = '';
  #sweeper: NodeJS.Timeout | undefined;
  #lastReceivedAt: number;
  #lastSentAt: number;
  #enquirePending = false;
  // Back-pressure: while the socket is not writable, frames queue here in order.
  #outQueue: Buffer[] = [];
  #blockedSince: number | undefined;
  #queuedEntries: PendingEntry[] = [];
  #drainWaiters: Array<() => void> = [];
  #closedPromise: Promise<void>;
  #resolveClosed!: () => void;

  constructor(socket: Socket, opts: SessionOptions = {}) {
    super();
    this.role = opts.role ?? 'esme';
    this.config = resolveSessionConfig(opts.config);
    this.#socket = socket;
    this.#handler = opts.handler ?? {};
    this.#framer = new PduFramer(this.config.maxPduLength);
    this.#window = new RequestWindow(this.config.windowSize);
    this.#lastReceivedAt = this.#lastSentAt = this.config.now();
    this.#closedPromise = new Promise((r) => {
      this.#resolveClosed = r;
    });
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => this.#flush());
    socket.on('error', (err) => {
      this.#closeError ??= err;
    });
    socket.on('close', () => this.#finish('connection', this.#closeError));
    this.#sweeper = setInterval(() => this.#sweep(), this.config.sweepIntervalMs);
    this.#sweeper.unref?.();
  }

  /** Peer address, for logs and authentication. */
  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  /** Current state. */
  get state(): SessionState {
    return this.#state;
  }
  /** Why the session closed (undefined while open). */
  get closeReason(): CloseReason | undefined {
    return this.#closeReason;
  }
  /** The error that closed it, when there was one. */
  get closeError(): Error | undefined {
    return this.#closeError;
  }
  get bindType(): BindType | undefined {
    return this.#bindType;
  }
  /** The peer's system_id (ESME: from bind_resp; SMSC: from the bind). */
  get systemId(): string {
    return this.#systemId;
  }
  isBound(): boolean {
    return this.#state === 'bound';
  }
  isClosed(): boolean {
    return this.#state === 'closed';
  }
  /** Resolves once the session is closed. */
  closed(): Promise<void> {
    return this.#closedPromise;
  }
  /** Requests currently in the window; after close, the ones that were outstanding at close. */
  inFlight(): WindowEntry[] {
    return this.#state === 'closed' ? [...this.#closedInFlight] : this.#window.list();
  }
  /** Window occupancy, waiters, high-water mark and outcome counters. */
  windowStats(): { size: number; count: number; waiting: number; peak: number } & RequestWindow['counters'] {
    return {
      size: this.#window.size,
      count: this.#window.count,
      waiting: this.#window.waiting,
      peak: this.#window.peak,
      ...this.#window.counters,
    };
  }

  // Reads the state without TypeScript's narrowing (it changes across awaits).
  #current(): SessionState {
    return this.#state;
  }

  #setState(next: SessionState): void {
    const prev = this.#state;
    if (prev === next) return;
    if (!LEGAL[prev].includes(next)) throw new Error(`illegal SMPP session transition ${prev} → ${next}`);
    this.#state = next;
    this.emit('state', next, prev);
  }

  // ------------------------------------------------------------------------------- outgoing

  /**
   * ESME: binds. Resolves with the bind_resp; on refusal or timeout the session closes
   * (reason `bindFailed`) and the promise rejects with SmppStatusError / SmppTimeoutError.
   */
  async bind(params: BindParams): Promise<Pdu> {
    if (this.#state !== 'open') throw new SmppNotBoundError(this.#state);
    this.#setState('binding');
    const pdu: PduInput = {
      command: BIND_COMMAND[params.bindType],
      system_id: params.system_id,
      password: params.password ?? '',
      system_type: params.system_type ?? '',
      interface_version: params.interface_version ?? 0x34,
      addr_ton: params.addr_ton ?? 0,
      addr_npi: params.addr_npi ?? 0,
      address_range: params.address_range ?? '',
    };
    let resp: Pdu;
    try {
      resp = await this.#request(pdu, { timeoutMs: this.config.bindTimeoutMs }, true);
    } catch (err) {
      this.close('bindFailed', err as Error);
      throw err;
    }
    if (resp.command_status !== CommandStatus.ESME_ROK) {
      const err = new SmppStatusError('SMPP_ERR_BIND_FAILED', resp.command_status, resp);
      this.close('bindFailed', err);
      throw err;
    }
    this.#bindType = params.bindType;
    this.#systemId = (resp as Pdu<'bind_transceiver_resp'>).system_id ?? '';
    this.#setState('bound');
    this.emit('bound', params.bindType, this.#systemId);
    return resp;
  }

  /**
   * Sends a request and resolves with its response PDU (any command_status: the caller
   * reads it). Waits up to windowWaitMs for a window slot.
   * @throws SmppNotBoundError (not bound), SmppTimeoutError (window wait or response),
   *   SmppClosedError (session closed first: `sent` says whether it may have arrived),
   *   SmppStatusError SMPP_ERR_NACK (peer answered generic_nack), SmppEncodeError.
   */
  request(pdu: PduInput, opts: RequestOptions = {}): Promise<Pdu> {
    return this.#request(pdu, opts, false);
  }

  /** Like `request`, but fails at once with SmppWindowFullError when no slot is free. */
  trySend(pdu: PduInput, opts: RequestOptions = {}): Promise<Pdu> {
    if (this.#state === 'bound' && !this.#window.hasFreeSlot())
      return Promise.reject(new SmppWindowFullError(this.#window.size));
    return this.#request(pdu, opts, false);
  }

  #request(pdu: PduInput, opts: RequestOptions, binding: boolean): Promise<Pdu> {
    const allowed =
      this.#state === 'bound' ||
      (binding && this.#state === 'binding') ||
      (pdu.command === 'unbind' && this.#state === 'unbinding') ||
      (pdu.command === 'enquire_link' && this.#state !== 'closed');
    if (!allowed)
      return Promise.reject(
        this.#state === 'closed'
          ? new SmppClosedError(pdu, false, this.#closeReason ?? 'explicit')
          : new SmppNotBoundError(this.#state),
      );
    if (responseNameFor(pdu.command) === undefined) {
      // No response will come (outbind, alert_notification, responses): send and forget.
      return this.#sendNoResponse(pdu).then(() => undefined as never);
    }
    const now = this.config.now();
    if (this.#seq >= MAX_SEQ) this.#seq = 0;
    const seq = ++this.#seq;
    const withSeq = { ...pdu, sequence_number: seq } as PduInput;
    return new Promise<Pdu>((resolve, reject) => {
      const entry: PendingEntry = {
        sequence_number: seq,
        pdu: withSeq,
        offeredAt: now,
        acceptedAt: undefined,
        sentAt: undefined,
        doneAt: undefined,
        expiresAt: Number.POSITIVE_INFINITY,
        timeoutMs: opts.timeoutMs ?? this.config.requestExpiryTimeoutMs,
        resolve,
        reject,
      };
      const go = () => {
        this.#window.accept(entry, this.config.now());
        this.#writeEntry(entry);
      };
      if (this.#window.hasFreeSlot()) go();
      else this.#window.wait(entry, now + (opts.windowWaitMs ?? this.config.windowWaitTimeoutMs), go);
    });
  }

  #writeEntry(entry: PendingEntry): void {
    let bytes: Buffer;
    try {
      bytes = encodePdu(entry.pdu);
    } catch (err) {
      this.#window.take(entry.sequence_number);
      entry.doneAt = this.config.now();
      entry.reject(err as Error);
      this.#window.wake();
      return;
    }
    this.emit('pdu', 'out', entry.pdu);
    this.#writeFrame(bytes, entry);
  }

  async #sendNoResponse(pdu: PduInput): Promise<void> {
    if (this.#seq >= MAX_SEQ) this.#seq = 0;
    const seq = pdu.sequence_number ?? ++this.#seq;
    const full = { ...pdu, sequence_number: seq } as PduInput;
    this.emit('pdu', 'out', full);
    this.#writeFrame(encodePdu(full));
  }

  /** Writes in order, honouring back-pressure: after write() returns false, queue until 'drain'. */
  #writeFrame(bytes: Buffer, entry?: PendingEntry): void {
    if (this.#state === 'closed' || this.#socket.destroyed) return;
    if (this.#blockedSince !== undefined) {
      this.#outQueue.push(bytes);
      if (entry) this.#queuedEntries.push(entry);
      return;
    }
    if (entry) entry.sentAt = this.config.now();
    this.#lastSentAt = this.config.now();
    if (!this.#socket.write(bytes)) this.#blockedSince = this.config.now();
  }

  #flush(): void {
    this.#blockedSince = undefined;
    while (this.#outQueue.length > 0 && this.#blockedSince === undefined) {
      const bytes = this.#outQueue.shift() as Buffer;
      const entry = this.#queuedEntries[0];
      if (
        entry &&
        entry.sentAt === undefined &&
        entry.pdu.sequence_number === bytes.readUInt32BE(12) &&
        bytes.readUInt32BE(4) === CommandId[entry.pdu.command]
      ) {
        this.#queuedEntries.shift();
        entry.sentAt = this.config.now();
      }
      this.#lastSentAt = this.config.now();
      if (!this.#socket.write(bytes)) this.#blockedSince = this.config.now();
    }
    if (this.#blockedSince === undefined) for (const w of this.#drainWaiters.splice(0)) w();
  }

  /**
   * Writes bytes as they are, in order with everything else (fault injection for the
   * simulator and scripted test SMSCs: malformed PDUs, unsolicited generic_nack). Not for
   * normal traffic, which goes through `request()`.
   */
  writeRaw(bytes: Buffer): void {
    this.#writeFrame(bytes);
  }

  /** Destroys the socket at once (simulates a connection reset); reason `connection`. */
  destroy(error?: Error): void {
    this.close('connection', error);
  }

  /**
   * Graceful unbind: stop taking new requests, let the window drain (bounded by
   * unbindTimeoutMs), send unbind, wait for unbind_resp (bounded too), close `explicit`.
   * Requests still outstanding after the drain are rejected with SmppClosedError.
   */
  async unbind(): Promise<void> {
    if (this.#state !== 'bound') {
      if (this.#state !== 'closed') this.close('explicit');
      return this.closed();
    }
    this.#setState('unbinding');
    for (const w of this.#window.takeWaiters()) {
      w.doneAt = this.config.now();
      w.reject(new SmppClosedError(w.pdu, false, 'explicit'));
    }
    const deadline = this.config.now() + this.config.unbindTimeoutMs;
    while (this.#window.count > 0 && this.config.now() < deadline && this.#current() === 'unbinding') {
      await new Promise((r) => setTimeout(r, Math.min(this.config.sweepIntervalMs, 50)));
    }
    if (this.#current() === 'unbinding') {
      try {
        await this.#request({ command: 'unbind' }, { timeoutMs: this.config.unbindTimeoutMs }, false);
      } catch {
        // No unbind_resp: close anyway, the outcome is the same.
      }
    }
    this.close('explicit');
    return this.closed();
  }

  /**
   * Closes now (idempotent). Outstanding requests are rejected with SmppClosedError and
   * listed by `inFlight()`. Frames still queued behind back-pressure are dropped (their
   * requests are among the rejected ones, with `sent: false`).
   */
  close(reason: CloseReason = 'explicit', error?: Error): void {
    if (this.#state === 'closed') return;
    this.#finish(reason, error);
    if (reason === 'explicit' || reason === 'unbindByPeer' || reason === 'bindFailed') this.#socket.end();
    else this.#socket.destroy();
  }

  #finish(reason: CloseReason, error: Error | undefined): void {
    if (this.#state === 'closed') return;
    this.#closeReason = reason;
    this.#closeError = error;
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    this.#setState('closed');
    const { entries, waiters } = this.#window.drainAll();
    this.#closedInFlight = entries;
    const now = this.config.now();
    for (const e of entries) {
      e.doneAt = now;
      this.#window.counters.failedOnClose++;
      e.reject(new SmppClosedError(e.pdu, e.sentAt !== undefined, reason, error));
    }
    for (const w of waiters) {
      w.doneAt = now;
      this.#window.counters.failedOnClose++;
      w.reject(new SmppClosedError(w.pdu, false, reason, error));
    }
    this.#outQueue = [];
    this.#queuedEntries = [];
    for (const w of this.#drainWaiters.splice(0)) w();
    this.emit('close', { reason, error, inFlight: [...entries] });
    this.#resolveClosed();
  }

  // ------------------------------------------------------------------------------- incoming

  #onData(chunk: Buffer): void {
    this.#lastReceivedAt = this.config.now();
    const frames = this.#framer.push(chunk);
    for (const f of frames) {
      if (this.#state === 'closed') return;
      this.#onFrame(f);
    }
    const ferr = this.#framer.error;
    if (ferr && this.#state !== 'closed')
      this.close('invalidStream', new SmppBadResponseError(CommandStatus.ESME_RINVCMDLEN, ferr.message));
  }

  #onFrame(frame: Buffer): void {
    const r = decodePdu(frame);
    if (!r.ok) {
      const e = r.error;
      if (!e.recoverable) {
        this.close('invalidStream', new SmppBadResponseError(e.status, e.message));
        return;
      }
      if (e.command_id !== undefined && isResponseId(e.command_id) && e.sequence_number !== undefined) {
        // A response we cannot read: fail the request it answers; never nack a response.
        const entry = this.#window.take(e.sequence_number);
        if (entry) {
          entry.doneAt = this.config.now();
          entry.reject(new SmppBadResponseError(e.status, e.message));
          this.#window.wake();
        }
        this.emit('recoverableError', e);
        return;
      }
      this.#respondRaw({
        command: 'generic_nack',
        command_status: e.status,
        sequence_number: e.sequence_number ?? 0,
      });
      this.emit('recoverableError', e);
      return;
    }
    const pdu = r.pdu;
    this.emit('pdu', 'in', pdu);
    if (isResponseId(pdu.command_id)) this.#onResponse(pdu);
    else this.#onRequest(pdu);
  }

  #onResponse(pdu: Pdu): void {
    const entry = this.#window.get(pdu.sequence_number);
    const expected =
      entry &&
      (pdu.command === 'generic_nack' ||
        (CommandId[entry.pdu.command] | RESPONSE_BIT) >>> 0 === pdu.command_id);
    if (!entry || !expected) {
      this.emit('unexpectedResponse', pdu);
      return;
    }
    this.#window.take(pdu.sequence_number);
    entry.doneAt = this.config.now();
    this.#window.counters.matched++;
    if (entry.pdu.command === 'enquire_link') this.#enquirePending = false;
    if (pdu.command === 'generic_nack')
      entry.reject(new SmppStatusError('SMPP_ERR_NACK', pdu.command_status, pdu));
    else entry.resolve(pdu);
    this.#window.wake();
  }

  #respondRaw(p: PduInput): void {
    this.emit('pdu', 'out', p);
    this.#writeFrame(encodePdu(p));
  }

  #respond(req: Pdu, fields: ResponseFields | undefined): void {
    const name = responseNameFor(req.command) as CommandName;
    const resp = {
      ...(fields ?? {}),
      command: name,
      sequence_number: req.sequence_number,
      command_status: fields?.command_status ?? 0,
    } as PduInput;
    let bytes: Buffer;
    try {
      bytes = encodePdu(resp);
    } catch {
      bytes = encodePdu({
        command: name,
        sequence_number: req.sequence_number,
        command_status: CommandStatus.ESME_RSYSERR,
      } as PduInput);
    }
    this.emit('pdu', 'out', resp);
    this.#writeFrame(bytes);
  }

  #onRequest(pdu: Pdu): void {
    switch (pdu.command) {
      case 'enquire_link':
        this.#respond(pdu, undefined);
        return;
      case 'unbind':
        this.#respond(pdu, undefined);
        if (this.#state === 'bound') this.#setState('unbinding');
        this.close('unbindByPeer');
        return;
      case 'outbind':
        this.emit('outbind', pdu);
        return;
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.#onBindRequest(pdu);
        return;
      case 'alert_notification':
        void this.#callHandler(pdu);
        return;
    }
    if (this.#state !== 'bound') {
      this.#respond(pdu, { command_status: CommandStatus.ESME_RINVBNDSTS });
      return;
    }
    void this.#callHandler(pdu);
  }

  async #callHandler(pdu: Pdu): Promise<void> {
    const h = this.#handler.onRequest;
    const noResponse = pdu.command === 'alert_notification';
    let fields: ResponseFields | undefined;
    try {
      fields = h ? ((await h(pdu, this)) ?? undefined) : undefined;
    } catch {
      if (noResponse) return;
      fields = {
        command_status:
          pdu.command === 'deliver_sm' || pdu.command === 'data_sm'
            ? CommandStatus.ESME_RX_T_APPN
            : CommandStatus.ESME_RSYSERR,
      };
    }
    if (noResponse || this.#state === 'closed') return;
    this.#respond(pdu, fields);
  }

  async #onBindRequest(pdu: Pdu<'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'>): Promise<void> {
    if (this.role !== 'smsc' || this.#state !== 'open') {
      this.#respond(pdu, {
        command_status: this.#state === 'bound' ? CommandStatus.ESME_RALYBND : CommandStatus.ESME_RINVBNDSTS,
      });
      return;
    }
    this.#setState('binding');
    let fields: ResponseFields;
    try {
      fields = this.#handler.onBind
        ? await this.#handler.onBind(pdu, this)
        : { command_status: CommandStatus.ESME_RBINDFAIL };
    } catch {
      fields = { command_status: CommandStatus.ESME_RBINDFAIL };
    }
    if (this.#current() !== 'binding') return;
    const status = fields.command_status ?? 0;
    this.#respond(pdu, { system_id: '', ...fields, command_status: status });
    if (status !== CommandStatus.ESME_ROK) {
      this.close('bindFailed', new SmppStatusError('SMPP_ERR_BIND_FAILED', status));
      return;
    }
    this.#bindType =
      pdu.command === 'bind_transmitter'
        ? 'transmitter'
        : pdu.command === 'bind_receiver'
          ? 'receiver'
          : 'transceiver';
    this.#systemId = pdu.system_id;
    this.#setState('bound');
    this.emit('bound', this.#bindType, this.#systemId);
  }

  // ------------------------------------------------------------------------------- sweeper

  #sweep(): void {
    if (this.#state === 'closed') return;
    const now = this.config.now();
    const { entries, waiters } = this.#window.expire(now);
    for (const e of entries) {
      e.doneAt = now;
      this.#window.counters.expired++;
      e.reject(
        new SmppTimeoutError(
          e.pdu.command.startsWith('bind') ? 'bind' : e.pdu.command === 'unbind' ? 'unbind' : 'response',
          e.pdu,
          e.timeoutMs,
        ),
      );
      this.emit('expired', e);
      if (e.pdu.command === 'enquire_link') {
        this.close('enquireLinkTimeout', new SmppTimeoutError('response', e.pdu, e.timeoutMs));
        return;
      }
    }
    for (const w of waiters) {
      w.doneAt = now;
      this.#window.counters.windowWaitTimeouts++;
      w.reject(new SmppTimeoutError('windowWait', w.pdu, now - w.offeredAt));
    }
    if (entries.length > 0) this.#window.wake();
    const c = this.config;
    if (
      this.#blockedSince !== undefined &&
      c.writeTimeoutMs > 0 &&
      now - this.#blockedSince >= c.writeTimeoutMs
    ) {
      this.close('writeTimeout', new SmppTimeoutError('write', undefined, c.writeTimeoutMs));
      return;
    }
    if (c.inactivityTimeoutMs > 0 && now - this.#lastReceivedAt >= c.inactivityTimeoutMs) {
      this.close('inactivity');
      return;
    }
    const idleSince = Math.max(this.#lastReceivedAt, this.#lastSentAt);
    if (
      c.enquireLinkIntervalMs > 0 &&
      this.#state === 'bound' &&
      !this.#enquirePending &&
      now - idleSince >= c.enquireLinkIntervalMs
    ) {
      this.#enquirePending = true;
      // With a full window the link is busy and request expiry already detects a dead peer,
      // so a keepalive is only sent when a slot is free (it never queues behind traffic).
      if (!this.#window.hasFreeSlot()) return;
      this.#request({ command: 'enquire_link' }, {}, false).catch(() => {
        this.#enquirePending = false;
      });
    }
  }
}
