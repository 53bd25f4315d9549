import type {
  CarrierLink,
  CarrierLinkFactory,
  DeliverHandler,
  InboundDeliver,
  SubmitResult,
} from '../../../src/engine/carrier-link.js';
import type { ConnectorRecord, NewConnector } from '../../../src/store/records.js';
import type { ClaimedMessage } from '../../../src/store/store.js';

/**
 * A CarrierLink standing in for a carrier: it records what the dispatcher submits and answers
 * with a scripted result (default: accepted, carrier ids `0A1`, `0A2`, … in hex with a leading
 * zero, so id normalisation is exercised). `deliver()` plays the SMSC sending a deliver_sm and
 * resolves when the engine would send deliver_sm_resp.
 */
export class RecordingLink implements CarrierLink {
  readonly connectorId: string;
  readonly submits: ClaimedMessage[] = [];
  ready = true;
  script: (m: ClaimedMessage, n: number) => SubmitResult | Promise<SubmitResult> = (m) => ({
    kind: 'ok',
    parts: m.parts.map((p) => ({
      seq: p.seq,
      carrierMsgId: `0A${(++RecordingLink.next).toString(16)}`,
      submittedAt: Date.now(),
    })),
  });
  static next = 0;
  constructor(
    connector: ConnectorRecord,
    readonly onDeliver: DeliverHandler,
  ) {
    this.connectorId = connector.id;
  }
  isReady(): boolean {
    return this.ready;
  }
  async submit(m: ClaimedMessage): Promise<SubmitResult> {
    this.submits.push(m);
    return this.script(m, this.submits.length);
  }
  async close(): Promise<void> {
    this.ready = false;
  }
  deliver(pdu: Partial<InboundDeliver['pdu']> & { text?: string }): Promise<void> {
    return this.onDeliver({
      connectorId: this.connectorId,
      pdu: {
        source_addr: pdu.source_addr ?? '',
        source_addr_ton: pdu.source_addr_ton ?? 1,
        destination_addr: pdu.destination_addr ?? '',
        esm_class: pdu.esm_class ?? 0,
        data_coding: pdu.data_coding ?? 0,
        short_message: pdu.short_message ?? Buffer.from(pdu.text ?? '', 'latin1'),
        tlvs: pdu.tlvs ?? [],
      },
    });
  }
}

/** A factory that keeps the links it made, by connector id. */
export function recordingFactory(): { factory: CarrierLinkFactory; links: Map<string, RecordingLink> } {
  const links = new Map<string, RecordingLink>();
  return {
    links,
    factory: (c, ctx) => {
      const l = new RecordingLink(c, ctx.onDeliver);
      links.set(c.id, l);
      return l;
    },
  };
}

export function newConnector(over: Partial<NewConnector> = {}): NewConnector {
  return {
    name: 'carrier',
    host: '127.0.0.1',
    port: 2775,
    systemId: 'swiftlet',
    password: 'pw',
    systemType: '',
    bindMode: 'transceiver',
    binds: 1,
    window: 10,
    tps: 0,
    concat: 'udh8',
    textMode: 'gsm7',
    msgIdType: 'hex',
    tls: false,
    enabled: true,
    ...over,
  };
}
