/**
 * An ESME connection to one SMSC: connect (TCP or TLS), bind as a transceiver or as a
 * transmitter + receiver pair, stay bound (reconnect with exponential back-off, reset after
 * a successful bind, one reconnect at a time), cap throughput (token bucket, AIMD on
 * ESME_RTHROTTLED / ESME_RMSGQFUL), and submit the parts of one message in order on one bind.
 *
 * Status is observable through events: connected, bound, disconnected (reason + error +
 * in-flight requests), connectionFailed, bindFailed, throttled.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { ExponentialBackoff } from './backoff.js';
import { CommandStatus, isThrottleStatus } from './command-status.js';
import type { Pdu, PduInput, SubmitSmFields } from './pdu-types.js';
import { AimdRateLimiter } from './rate-limiter.js';
import { type BindParams, type CloseReason, type ResponseFields, SmppSession } from './session.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_THROTTLE_RETRIES,
  DEFAULT_RECONNECT_INITIAL_DELAY_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  DEFAULT_THROTTLE_RETRY_DELAY_MS,
  type SessionConfig,
} from './session-config.js';
import { SmppClosedError, SmppNotBoundError } from './smpp-errors.js';
import type { WindowEntry } from './window.js';

export interface SmppClientOptions {
  host: string;
  port: number;
  /** true or TLS options to connect over TLS. Default plain TCP. */
  tls?: boolean | tls.ConnectionOptions;
  /** `transceiver` (default): one bind both ways. `pair`: a transmitter and a receiver bind. */
  mode?: 'transceiver' | 'pair';
  /** Bind credentials and addressing (bindType comes from `mode`). */
  bind: Omit<BindParams, 'bindType'>;
  /** Session window and timeouts. */
  session?: Partial<SessionConfig>;
  /** Messages per second cap for this client; default unlimited. */
  throughput?: number;
  connectTimeoutMs?: number;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** Reconnect after a close other than `explicit`. Default true. */
  reconnect?: boolean;
  throttleRetryDelayMs?: number;
  maxThrottleRetries?: number;
  /**
   * Incoming deliver_sm / data_sm (MO and receipts). The response is sent only after the
   * returned promise resolves (commit first). Default: ESME_ROK.
   */
  onDeliver?(
    pdu: Pdu<'deliver_sm' | 'data_sm'>,
    session: SmppSession,
  ): ResponseFields | undefined | void | Promise<ResponseFields | undefined | void>;
}

/** Outcome of one part of `submit()`. */
export type PartResult =
  | { ok: true; message_id: string; command_status: 0; attempts: number; response: Pdu }
  | {
      ok: false;
      /** The SMSC's status when it answered; undefined when it never did. */
      command_status: number | undefined;
      error: Error | undefined;
      /** true when the PDU reached the socket: the SMSC may have accepted it (do not blindly resend). */
      sent: boolean;
      attempts: number;
    };

export type ClientState = 'idle' | 'connecting' | 'bound' | 'waiting' | 'closed';

export interface SmppClientEvents {
  connected: [];
  bound: [];
  disconnected: [info: { reason: CloseReason; error: Error | undefined; inFlight: WindowEntry[] }];
  connectionFailed: [error: Error];
  bindFailed: [error: Error];
  throttled: [status: number, rate: number];
  /** Next reconnect attempt in `delayMs`. */
  reconnecting: [delayMs: number];
}

export class SmppClient extends EventEmitter<SmppClientEvents> {
  readonly #o: Readonly<SmppClientOptions>;
  readonly #limiter: AimdRateLimiter;
  readonly #backoff: ExponentialBackoff;
  #state: ClientState = 'idle';
  #tx: SmppSession | undefined;
  #rx: SmppSession | undefined;
  #timer: NodeJS.Timeout | undefined;
  // Guard: true while a connect+bind attempt runs, so two never race.
  #attempting = false;
  #readyWaiters: Array<() => void> = [];
  #active = 0;

  constructor(opts: SmppClientOptions) {
    super();
    this.#o = Object.freeze({ ...opts });
    this.#limiter = new AimdRateLimiter({ cap: opts.throughput });
    this.#backoff = new ExponentialBackoff(
      opts.reconnectInitialDelayMs ?? DEFAULT_RECONNECT_INITIAL_DELAY_MS,
      opts.reconnectMaxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
    );
  }

  get state(): ClientState {
    return this.#state;
  }
  /** Current adaptive rate (msg/s). */
  get rate(): number {
    return this.#limiter.rate;
  }
  /** The session submits go to (undefined while not bound). */
  get transmitter(): SmppSession | undefined {
    return this.#state === 'bound' ? this.#tx : undefined;
  }
  /** The session deliver_sm arrive on (same as transmitter for a transceiver). */
  get receiver(): SmppSession | undefined {
    return this.#state === 'bound' ? this.#rx : undefined;
  }
  /** Messages currently inside `submit()`. */
  get activeSubmits(): number {
    return this.#active;
  }

  /** Starts connecting (idempotent). Use `ready()` to wait for the bind. */
  start(): void {
    if (this.#state !== 'idle') return;
    void this.#attempt();
  }

  /** Resolves when bound (now or at the next successful bind). */
  ready(): Promise<void> {
    if (this.#state === 'bound') return Promise.resolve();
    return new Promise((r) => this.#readyWaiters.push(r));
  }

  #schedule(): void {
    if (this.#state === 'closed' || this.#timer || this.#attempting || this.#o.reconnect === false) {
      if (this.#o.reconnect === false && this.#state !== 'closed') this.#state = 'idle';
      return;
    }
    this.#state = 'waiting';
    const delay = this.#backoff.next();
    this.emit('reconnecting', delay);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#attempt();
    }, delay);
  }

  async #attempt(): Promise<void> {
    if (this.#attempting || this.#state === 'closed') return;
    this.#attempting = true;
    this.#state = 'connecting';
    const sessions: SmppSession[] = [];
    try {
      const kinds =
        this.#o.mode === 'pair' ? (['transmitter', 'receiver'] as const) : (['transceiver'] as const);
      for (const bindType of kinds) {
        let socket: net.Socket;
        try {
          socket = await this.#connect();
        } catch (err) {
          this.emit('connectionFailed', err as Error);
          throw err;
        }
        this.emit('connected');
        const s = new SmppSession(socket, {
          config: this.#o.session,
          handler: {
            onRequest: (pdu, sess) => {
              if ((pdu.command === 'deliver_sm' || pdu.command === 'data_sm') && this.#o.onDeliver)
                return this.#o.onDeliver(pdu, sess);
              return undefined;
            },
          },
        });
        sessions.push(s);
        try {
          await s.bind({ ...this.#o.bind, bindType });
        } catch (err) {
          this.emit('bindFailed', err as Error);
          throw err;
        }
      }
    } catch {
      for (const s of sessions) s.close('explicit');
      this.#attempting = false;
      this.#schedule();
      return;
    }
    this.#attempting = false;
    if ((this.#state as ClientState) === 'closed') {
      for (const s of sessions) void s.unbind();
      return;
    }
    this.#tx = sessions[0];
    this.#rx = sessions[sessions.length - 1];
    for (const s of sessions) s.once('close', (info) => this.#onSessionClose(s, info));
    this.#backoff.reset();
    this.#state = 'bound';
    this.emit('bound');
    for (const w of this.#readyWaiters.splice(0)) w();
  }

  #onSessionClose(
    s: SmppSession,
    info: { reason: CloseReason; error: Error | undefined; inFlight: WindowEntry[] },
  ): void {
    if (s !== this.#tx && s !== this.#rx) return;
    // A pair is one unit: losing either bind drops both and rebinds both.
    const other = s === this.#tx ? this.#rx : this.#tx;
    this.#tx = this.#rx = undefined;
    if (other && other !== s) other.close(info.reason === 'explicit' ? 'explicit' : 'connection');
    this.emit('disconnected', info);
    if (this.#state === 'closed') return;
    this.#state = 'waiting';
    this.#schedule();
  }

  #connect(): Promise<net.Socket> {
    const { host, port } = this.#o;
    const timeout = this.#o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const useTls = this.#o.tls !== undefined && this.#o.tls !== false;
      const tlsOpts = typeof this.#o.tls === 'object' ? this.#o.tls : {};
      const socket = useTls ? tls.connect({ host, port, ...tlsOpts }) : net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect timeout after ${timeout} ms`));
      }, timeout);
      socket.once(useTls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /**
   * Sends the parts of ONE message in order on one bind; resolves with one result per part
   * (never rejects). A part refused with ESME_RTHROTTLED / ESME_RMSGQFUL halves the rate and
   * is resent after throttleRetryDelayMs (up to maxThrottleRetries), so parts stay in order.
   * After a part fails for good, the remaining parts are not sent (`sent: false`).
   *
   * Not bound → every part fails with SmppNotBoundError (`sent: false`) at once.
   */
  async submit(parts: SubmitSmFields[], opts: { timeoutMs?: number } = {}): Promise<PartResult[]> {
    const s = this.transmitter;
    const results: PartResult[] = [];
    if (!s) {
      const err = new SmppNotBoundError(this.#state);
      return parts.map(() => ({
        ok: false,
        command_status: undefined,
        error: err,
        sent: false,
        attempts: 0,
      }));
    }
    this.#active++;
    try {
      const maxRetries = this.#o.maxThrottleRetries ?? DEFAULT_MAX_THROTTLE_RETRIES;
      const retryDelay = this.#o.throttleRetryDelayMs ?? DEFAULT_THROTTLE_RETRY_DELAY_MS;
      let failed: PartResult | undefined;
      for (const part of parts) {
        if (failed) {
          results.push({
            ok: false,
            command_status: undefined,
            error: failed.ok ? undefined : failed.error,
            sent: false,
            attempts: 0,
          });
          continue;
        }
        let attempts = 0;
        for (;;) {
          attempts++;
          await this.#limiter.acquire();
          let resp: Pdu;
          try {
            resp = await s.request({ ...part, command: 'submit_sm' } as PduInput, {
              timeoutMs: opts.timeoutMs,
            });
          } catch (err) {
            const sent =
              err instanceof SmppClosedError
                ? err.sent
                : (err as { code?: string }).code !== 'SMPP_ERR_WINDOW_TIMEOUT' &&
                  (err as { code?: string }).code !== 'SMPP_ERR_NOT_BOUND' &&
                  (err as { code?: string }).code !== 'SMPP_ERR_ENCODE';
            const status = (err as { status?: number }).status;
            failed = { ok: false, command_status: status, error: err as Error, sent, attempts };
            break;
          }
          const st = resp.command_status;
          if (st === CommandStatus.ESME_ROK) {
            this.#limiter.onSuccess();
            results.push({
              ok: true,
              message_id: (resp as Pdu<'submit_sm_resp'>).message_id,
              command_status: 0,
              attempts,
              response: resp,
            });
            break;
          }
          if (isThrottleStatus(st)) {
            this.#limiter.onThrottle();
            this.emit('throttled', st, this.#limiter.rate);
            if (attempts <= maxRetries && !s.isClosed()) {
              await new Promise((r) => setTimeout(r, retryDelay));
              if (s.isBound()) continue;
            }
          }
          failed = { ok: false, command_status: st, error: undefined, sent: true, attempts };
          break;
        }
        if (failed) results.push(failed);
      }
      return results;
    } finally {
      this.#active--;
    }
  }

  /** Stops reconnecting, unbinds gracefully (window drains first) and closes. */
  async close(): Promise<void> {
    this.#state = 'closed';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const sessions = [this.#tx, this.#rx].filter(
      (s, i, a): s is SmppSession => s !== undefined && a.indexOf(s) === i,
    );
    await Promise.all(sessions.map((s) => s.unbind()));
  }
}
