/**
 * Scripted SMSCs for session/client tests, built on our SmppServer (port 0). One factory per
 * fault, each returning a handler; `startSmsc` runs a server with a recorder and a swappable
 * handler. No shared state: every test starts its own.
 */
import { CommandStatus } from '../../../src/smpp/command-status.js';
import { encodePdu } from '../../../src/smpp/pdu-codec.js';
import type { Pdu } from '../../../src/smpp/pdu-types.js';
import { formatReceiptText } from '../../../src/smpp/receipt.js';
import type { SmppSession } from '../../../src/smpp/session.js';
import type { SessionConfig } from '../../../src/smpp/session-config.js';
import { SmppServer, type SmppServerHandler } from '../../../src/smpp/smpp-server.js';

export interface RunningSmsc {
  server: SmppServer;
  port: number;
  /** Every submit_sm received, in arrival order. */
  submits: Array<Pdu<'submit_sm'>>;
  /** Highest number of submit_sm awaiting our response at once (per server). */
  maxOutstanding: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 with `handler`, wrapping onSubmitSm with a recorder. */
export async function startSmsc(
  handler: SmppServerHandler = {},
  sessionConfig: Partial<SessionConfig> = {},
): Promise<RunningSmsc> {
  const server = new SmppServer({
    sessionConfig: { enquireLinkIntervalMs: 0, sweepIntervalMs: 20, ...sessionConfig },
  });
  let outstanding = 0;
  const smsc: RunningSmsc = {
    server,
    port: 0,
    submits: [],
    maxOutstanding: 0,
    close: () => server.close(),
  };
  const inner = handler.onSubmitSm;
  server.handler = {
    ...handler,
    onSubmitSm: async (pdu, s) => {
      smsc.submits.push(pdu);
      outstanding++;
      smsc.maxOutstanding = Math.max(smsc.maxOutstanding, outstanding);
      try {
        return inner ? await inner(pdu, s) : { message_id: server.nextMessageId() };
      } finally {
        outstanding--;
      }
    },
  };
  smsc.port = await server.listen(0);
  return smsc;
}

const never = () => new Promise<never>(() => {});
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Acks every submit after `ms` (lets the window fill). */
export const slowHappySmsc = (ms: number): SmppServerHandler => ({
  onSubmitSm: async () => {
    await delay(ms);
    return undefined;
  },
});

/** Frames and decodes but never answers submit_sm. */
export const noResponseOnSubmitSmsc = (): SmppServerHandler => ({ onSubmitSm: never });

/** Answers the first `n` submits with `status` (default ESME_RTHROTTLED), then accepts. */
export const throttledSmsc = (
  n: number,
  status: number = CommandStatus.ESME_RTHROTTLED,
): SmppServerHandler => {
  let left = n;
  return { onSubmitSm: () => (left-- > 0 ? { command_status: status } : undefined) };
};

/** Answers every submit with a generic_nack (ESME_RINVCMDID) carrying its sequence number. */
export const genericNackOnSubmitSmsc = (): SmppServerHandler => ({
  onSubmitSm: (pdu, s) => {
    s.writeRaw(
      encodePdu({
        command: 'generic_nack',
        command_status: CommandStatus.ESME_RSYSERR,
        sequence_number: pdu.sequence_number,
      }),
    );
    return never();
  },
});

/** Answers every submit with `status`. */
export const errorOnSubmitSmsc = (status: number): SmppServerHandler => ({
  onSubmitSm: () => ({ command_status: status }),
});

/** Holds submits and, once `after` are outstanding, unbinds the ESME. */
export const unbindOnSubmitSmsc = (after: number): SmppServerHandler => {
  let seen = 0;
  return {
    onSubmitSm: (_pdu, s) => {
      if (++seen === after) void s.unbind();
      return never();
    },
  };
};

/** Holds submits and, once `after` are outstanding, resets the TCP connection (first time only). */
export const resetOnSubmitSmsc = (after: number): SmppServerHandler => {
  let seen = 0;
  return {
    onSubmitSm: (_pdu, s) => {
      if (++seen === after) {
        setImmediate(() => s.destroy());
        return never();
      }
      return seen < after ? never() : undefined;
    },
  };
};

/** Sends the delivery receipt BEFORE answering the submit_sm. */
export const receiptBeforeRespSmsc = (server: () => SmppServer): SmppServerHandler => ({
  onSubmitSm: async (pdu, s) => {
    const id = server().nextMessageId();
    const text = formatReceiptText({ id, stat: 'DELIVRD', submitDate: new Date(), doneDate: new Date() });
    await s.request({
      command: 'deliver_sm',
      source_addr: pdu.destination_addr,
      destination_addr: pdu.source_addr,
      esm_class: 0x04,
      short_message: Buffer.from(text, 'latin1'),
    });
    return { message_id: id };
  },
});

/** Replies to every submit after first writing a malformed PDU (unknown command_id) to the ESME. */
export const malformedPduSmsc = (): SmppServerHandler => ({
  onSubmitSm: (_pdu, s: SmppSession) => {
    s.writeRaw(Buffer.from('00000010000009990000000000000777', 'hex'));
    return undefined;
  },
});

/** Refuses every bind with `status`. */
export const bindErrorSmsc = (status: number = CommandStatus.ESME_RINVPASWD): SmppServerHandler => ({
  authenticate: () => status,
});
