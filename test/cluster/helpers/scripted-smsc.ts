/**
 * A scripted SMSC on the project's {@link SmppServer} for cluster limit tests: it counts bound
 * sessions (now and the most ever at once), records when every submit_sm arrived and on which
 * session, and can answer each submit with a DELIVRD receipt sent on ANOTHER bound session than
 * the one the submit came on (so with one bind per node, the receipt reaches the other node).
 */

import type { PduInput } from '../../../src/smpp/pdu-types.js';
import { formatReceiptText } from '../../../src/smpp/receipt.js';
import type { SmppSession } from '../../../src/smpp/session.js';
import { SmppServer } from '../../../src/smpp/smpp-server.js';

export interface ScriptedSmscOptions {
  /** Send a receipt for each accepted submit on a different session (0 = no receipts). */
  receiptOnOtherSessionAfterMs?: number;
}

export class ScriptedSmsc {
  readonly server: SmppServer;
  readonly submitTimes: number[] = [];
  /** Receipts sent on a session other than the submit's, and acknowledged. */
  crossReceipts = 0;
  bound = 0;
  maxBound = 0;
  #seq = 1;
  readonly #sessions = new Set<SmppSession>();
  readonly #ids = new Map<SmppSession, number>();

  constructor(opts: ScriptedSmscOptions = {}) {
    this.server = new SmppServer({
      systemId: 'ScriptedSMSC',
      handler: {
        onSubmitSm: (pdu, session) => {
          this.submitTimes.push(Date.now());
          const id = (this.#seq++).toString(16);
          const delay = opts.receiptOnOtherSessionAfterMs ?? 0;
          if (delay > 0) {
            const dest = pdu.destination_addr;
            const src = pdu.source_addr;
            setTimeout(() => void this.#receipt(session, id, src, dest), delay);
          }
          return { command_status: 0, message_id: id };
        },
      },
    });
    this.server.on('bound', (s) => {
      this.bound++;
      this.maxBound = Math.max(this.maxBound, this.bound);
      this.#sessions.add(s);
      this.#ids.set(s, this.#ids.size + 1);
      s.once('close', () => {
        this.bound--;
        this.#sessions.delete(s);
      });
    });
  }

  listen(): Promise<number> {
    return this.server.listen(0, '127.0.0.1');
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Most submits seen in any window of `ms` milliseconds. */
  maxInWindow(ms: number): number {
    const t = this.submitTimes;
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < t.length; hi++) {
      while (t[hi] - t[lo] >= ms) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  /**
   * Sends the receipt on a bound session other than the one the submit came on, and — as a real
   * SMSC does — sends it again until some session acknowledges it (a bind may be moving between
   * nodes, or a node may answer with an error while its database is busy).
   */
  async #receipt(from: SmppSession, id: string, src: string, dest: string): Promise<void> {
    const now = new Date();
    const body = formatReceiptText({ id, stat: 'DELIVRD', submitDate: now, doneDate: now });
    const pdu = {
      command: 'deliver_sm',
      source_addr: dest,
      destination_addr: src,
      esm_class: 0x04,
      data_coding: 0,
      short_message: Buffer.from(body, 'latin1'),
    } as unknown as PduInput;
    for (let attempt = 0; attempt < 40; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
      // Only the other node's sessions: the point is a receipt arriving where the submit did not.
      const others = [...this.#sessions].filter((s) => s !== from && s.isBound());
      if (others.length === 0) continue;
      const target = others[(id.length + attempt) % others.length];
      try {
        const resp = await target.request(pdu, { timeoutMs: 5_000 });
        if (resp.command_status === 0) {
          this.crossReceipts++;
          return;
        }
      } catch {
        // The session went away or did not answer: try again, like an SMSC's redelivery.
      }
    }
  }
}
