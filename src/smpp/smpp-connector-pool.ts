/**
 * Several binds to the same SMSC account (`binds: n`), one `SmppClient` each. Messages are
 * spread across bound clients (fewest messages in progress first, round robin on ties); the
 * parts of one message always stay on one bind. deliver_sm from any bind reach the same
 * `onDeliver`.
 */
import { EventEmitter } from 'node:events';
import type { SubmitSmFields } from './pdu-types.js';
import { type PartResult, SmppClient, type SmppClientEvents, type SmppClientOptions } from './smpp-client.js';
import { SmppNotBoundError } from './smpp-errors.js';

export interface SmppConnectorPoolOptions extends SmppClientOptions {
  /** Number of binds (clients); default 1. Each gets `throughput / binds` of the rate cap. */
  binds?: number;
}

export interface SmppConnectorPoolEvents {
  /** Any client's event, tagged with its index. */
  clientEvent: [index: number, event: keyof SmppClientEvents, args: unknown[]];
}

export class SmppConnectorPool extends EventEmitter<SmppConnectorPoolEvents> {
  readonly clients: readonly SmppClient[];
  #rr = 0;

  constructor(opts: SmppConnectorPoolOptions) {
    super();
    const n = Math.max(1, opts.binds ?? 1);
    const throughput = opts.throughput ? opts.throughput / n : undefined;
    this.clients = Object.freeze(
      Array.from({ length: n }, (_, i) => {
        const c = new SmppClient({ ...opts, throughput });
        for (const ev of [
          'connected',
          'bound',
          'disconnected',
          'connectionFailed',
          'bindFailed',
          'throttled',
          'reconnecting',
        ] as const) {
          c.on(ev, (...args: unknown[]) => this.emit('clientEvent', i, ev, args));
        }
        return c;
      }),
    );
  }

  /** Starts every client. */
  start(): void {
    for (const c of this.clients) c.start();
  }

  /** Resolves when at least one bind is up. */
  ready(): Promise<void> {
    return Promise.race(this.clients.map((c) => c.ready()));
  }

  /** Resolves when every bind is up. */
  allReady(): Promise<void> {
    return Promise.all(this.clients.map((c) => c.ready())).then(() => undefined);
  }

  /** Number of bound clients. */
  get boundCount(): number {
    return this.clients.filter((c) => c.state === 'bound').length;
  }

  /**
   * Sends one message's parts on one bound client (see `SmppClient.submit`). With no bound
   * client every part fails with SmppNotBoundError (`sent: false`).
   */
  submit(parts: SubmitSmFields[], opts?: { timeoutMs?: number }): Promise<PartResult[]> {
    const bound = this.clients.filter((c) => c.state === 'bound');
    if (bound.length === 0) {
      const err = new SmppNotBoundError('no bound connection in pool');
      return Promise.resolve(
        parts.map(() => ({
          ok: false as const,
          command_status: undefined,
          error: err,
          sent: false,
          attempts: 0,
        })),
      );
    }
    const start = this.#rr++ % bound.length;
    let best = bound[start];
    for (let k = 1; k < bound.length; k++) {
      const c = bound[(start + k) % bound.length];
      if (c.activeSubmits < best.activeSubmits) best = c;
    }
    return best.submit(parts, opts);
  }

  /** Unbinds and closes every client. */
  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}
