/**
 * An SMPP 3.4 server (SMSC side): listens, authenticates binds through a callback, runs one
 * `SmppSession` per connection, dispatches incoming requests to handler callbacks and sends
 * deliver_sm to bound receivers/transceivers of a system_id. The simulator builds on it;
 * tests use it as a scriptable SMSC (the handler can be swapped at any time).
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { CommandStatus } from './command-status.js';
import type { Pdu, PduInput } from './pdu-types.js';
import { type BindType, type RequestOptions, type ResponseFields, SmppSession } from './session.js';
import type { SessionConfig } from './session-config.js';
import { SmppNotBoundError } from './smpp-errors.js';

export interface BindRequest {
  bindType: BindType;
  system_id: string;
  password: string;
  system_type: string;
  interface_version: number;
  remoteAddress: string | undefined;
  pdu: Pdu;
}

type Handler<N extends Pdu['command']> = (
  pdu: Pdu<N>,
  session: SmppSession,
) => ResponseFields | undefined | void | Promise<ResponseFields | undefined | void>;

/**
 * Callbacks per request kind. Each returns response fields (or a promise of them); omitted
 * ones use the defaults below. `onRequest` catches any kind without its own callback.
 */
export interface SmppServerHandler {
  /** Decide a bind. Return a command_status (0 = accept) or fields. Default: accept all. */
  authenticate?(
    req: BindRequest,
    session: SmppSession,
  ): number | ResponseFields | Promise<number | ResponseFields>;
  /** Default: ESME_ROK with a fresh hex message_id. */
  onSubmitSm?: Handler<'submit_sm'>;
  /** Default: ESME_ROK with a fresh hex message_id. */
  onDataSm?: Handler<'data_sm'>;
  /** Default: ESME_ROK with a fresh message_id and no unsuccess_sme. */
  onSubmitMulti?: Handler<'submit_multi'>;
  /** Default: ESME_RQUERYFAIL (no message store here). */
  onQuerySm?: Handler<'query_sm'>;
  /** Default: ESME_RCANCELFAIL. */
  onCancelSm?: Handler<'cancel_sm'>;
  /** Default: ESME_RREPLACEFAIL. */
  onReplaceSm?: Handler<'replace_sm'>;
  /** deliver_sm received (unusual for an SMSC) and anything else. Default: ESME_ROK. */
  onRequest?: Handler<Pdu['command']>;
}

export interface SmppServerOptions {
  handler?: SmppServerHandler;
  /** Session timeouts and window for every accepted connection. */
  sessionConfig?: Partial<SessionConfig>;
  /** system_id we answer binds with. Default 'Swiftlet'. */
  systemId?: string;
  /** Serve SMPP over TLS with these options. */
  tls?: tls.TlsOptions;
}

export interface SmppServerEvents {
  /** A connection was accepted (state open). */
  session: [session: SmppSession];
  bound: [session: SmppSession];
  sessionClosed: [session: SmppSession];
}

/** Receives-capable bind types (may be sent deliver_sm). */
const CAN_RECEIVE: ReadonlySet<BindType> = new Set(['receiver', 'transceiver']);
const CAN_TRANSMIT: ReadonlySet<BindType> = new Set(['transmitter', 'transceiver']);

export class SmppServer extends EventEmitter<SmppServerEvents> {
  /** Swappable at any time; applies to requests that arrive afterwards. */
  handler: SmppServerHandler;
  readonly #opts: SmppServerOptions;
  readonly #server: net.Server;
  readonly #sessions = new Set<SmppSession>();
  #rr = 0;
  #nextId = 1;

  constructor(opts: SmppServerOptions = {}) {
    super();
    this.#opts = opts;
    this.handler = opts.handler ?? {};
    const onSocket = (socket: net.Socket) => this.#accept(socket);
    this.#server = opts.tls ? tls.createServer(opts.tls, onSocket) : net.createServer(onSocket);
  }

  /** Listens (port 0 = any free port) and resolves with the bound port. */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.port);
      });
    });
  }

  get port(): number {
    const a = this.#server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  /** Every live session. */
  sessions(): SmppSession[] {
    return [...this.#sessions];
  }

  /** Bound sessions, optionally only those of `systemId`. */
  boundSessions(systemId?: string): SmppSession[] {
    return this.sessions().filter((s) => s.isBound() && (systemId === undefined || s.systemId === systemId));
  }

  /** A fresh message id (hex counter), as the default handlers use. */
  nextMessageId(): string {
    return (this.#nextId++).toString(16);
  }

  /**
   * Sends a deliver_sm (MO or receipt) to a bound receiver/transceiver of `systemId`, round
   * robin across them, and resolves with the deliver_sm_resp.
   * @throws SmppNotBoundError when that system_id has no receiving bind.
   */
  deliver(
    systemId: string,
    pdu: Omit<PduInput<'deliver_sm'>, 'command'>,
    opts?: RequestOptions,
  ): Promise<Pdu> {
    const targets = this.boundSessions(systemId).filter(
      (s) => s.bindType !== undefined && CAN_RECEIVE.has(s.bindType),
    );
    if (targets.length === 0)
      return Promise.reject(new SmppNotBoundError(`not bound as receiver for ${systemId}`));
    const s = targets[this.#rr++ % targets.length];
    return s.request({ ...pdu, command: 'deliver_sm' } as PduInput, opts);
  }

  /** Stops listening and closes every session (explicit). */
  async close(): Promise<void> {
    const closing = new Promise<void>((r) => this.#server.close(() => r()));
    for (const s of this.#sessions) s.close('explicit');
    await Promise.all(this.sessions().map((s) => s.closed()));
    await closing;
  }

  #accept(socket: net.Socket): void {
    const session = new SmppSession(socket, {
      role: 'smsc',
      config: this.#opts.sessionConfig,
      handler: {
        onBind: (pdu, s) => this.#authenticate(pdu, s),
        onRequest: (pdu, s) => this.#dispatch(pdu, s),
      },
    });
    this.#sessions.add(session);
    session.on('bound', () => this.emit('bound', session));
    session.on('close', () => {
      this.#sessions.delete(session);
      this.emit('sessionClosed', session);
    });
    this.emit('session', session);
  }

  async #authenticate(
    pdu: Pdu<'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'>,
    s: SmppSession,
  ): Promise<ResponseFields> {
    const bindType: BindType =
      pdu.command === 'bind_transmitter'
        ? 'transmitter'
        : pdu.command === 'bind_receiver'
          ? 'receiver'
          : 'transceiver';
    const auth = this.handler.authenticate;
    const systemId = this.#opts.systemId ?? 'Swiftlet';
    if (!auth) return { command_status: 0, system_id: systemId };
    const r = await auth(
      {
        bindType,
        system_id: pdu.system_id,
        password: pdu.password,
        system_type: pdu.system_type,
        interface_version: pdu.interface_version,
        remoteAddress: s.remoteAddress,
        pdu,
      },
      s,
    );
    return typeof r === 'number' ? { command_status: r, system_id: systemId } : { system_id: systemId, ...r };
  }

  #dispatch(
    pdu: Pdu,
    s: SmppSession,
  ): ResponseFields | undefined | void | Promise<ResponseFields | undefined | void> {
    const h = this.handler;
    const transmitting = s.bindType !== undefined && CAN_TRANSMIT.has(s.bindType);
    switch (pdu.command) {
      case 'submit_sm':
        if (!transmitting) return { command_status: CommandStatus.ESME_RINVBNDSTS };
        return h.onSubmitSm ? h.onSubmitSm(pdu, s) : { message_id: this.nextMessageId() };
      case 'data_sm':
        return h.onDataSm ? h.onDataSm(pdu, s) : { message_id: this.nextMessageId() };
      case 'submit_multi':
        if (!transmitting) return { command_status: CommandStatus.ESME_RINVBNDSTS };
        return h.onSubmitMulti ? h.onSubmitMulti(pdu, s) : { message_id: this.nextMessageId() };
      case 'query_sm':
        return h.onQuerySm ? h.onQuerySm(pdu, s) : { command_status: CommandStatus.ESME_RQUERYFAIL };
      case 'cancel_sm':
        return h.onCancelSm ? h.onCancelSm(pdu, s) : { command_status: CommandStatus.ESME_RCANCELFAIL };
      case 'replace_sm':
        return h.onReplaceSm ? h.onReplaceSm(pdu, s) : { command_status: CommandStatus.ESME_RREPLACEFAIL };
      default:
        return h.onRequest ? h.onRequest(pdu, s) : undefined;
    }
  }
}
