/**
 * Receipt ids through the ReceiptHandler into a real store: the id a receipt carries is matched
 * to the part whose submit_sm_resp gave it, under each connector `msgIdType` — including the
 * case that once finalised the wrong message: an SMSC with hex ids issues both `a` and `10`,
 * whose receipts arrive before their submits are recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/logger.js';
import { ReceiptHandler } from '../../src/engine/receipt-handler.js';
import { type MessageIdMode, normalizeMessageId } from '../../src/smpp/message-id.js';
import { formatReceiptText, parseDeliveryReceipt } from '../../src/smpp/receipt.js';
import { cstringTlv, TlvTag, uintTlv } from '../../src/smpp/tlv.js';
import type { AppRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES, type TestStore } from '../store/engines.js';
import { acceptAndClaim, newMessage, newTestApp } from '../store/fixtures.js';

const CONN = 'conn-ids';

/** A receipt deliver_sm as an SMSC sends it: text `id:` and, optionally, the TLVs. */
function receiptPdu(textId: string, tlvId?: string) {
  const now = new Date();
  const body = formatReceiptText({ id: textId, stat: 'DELIVRD', submitDate: now, doneDate: now });
  return {
    esm_class: 0x04,
    data_coding: 0,
    short_message: Buffer.from(body, 'latin1'),
    tlvs:
      tlvId === undefined
        ? []
        : [cstringTlv(TlvTag.receipted_message_id, tlvId), uintTlv(TlvTag.message_state, 2, 1)],
  };
}

for (const engine of ENGINES) {
  describe(`receipt ids matched per msgIdType (${engine})`, () => {
    let t: TestStore;
    let store: Store;
    let app: AppRecord;
    let receipts: ReceiptHandler;
    before(async () => {
      t = await createTestStore(engine);
      store = t.store;
      app = await newTestApp(store);
      receipts = new ReceiptHandler({ store, log: silentLogger });
    });
    after(() => t.cleanup());

    /** Accepts one message per response id, feeds their receipts, then records the submits. */
    async function run(
      mode: MessageIdMode,
      pairs: Array<{ respId: string; pdu: ReturnType<typeof receiptPdu> }>,
    ) {
      const msgs = pairs.map(() => newMessage(app));
      const ids = await acceptAndClaim(store, msgs);
      // Receipts first: they are parked, and the submits below must pick each one up.
      await Promise.all(
        pairs.map(({ pdu }) => {
          const r = parseDeliveryReceipt(pdu);
          assert.ok(r);
          return receipts.handle(CONN, mode, r, 'test');
        }),
      );
      // One submit batch per message, last pair first: a response id recorded alone must take only
      // its own parked receipt.
      for (let i = pairs.length - 1; i >= 0; i--) {
        await store.recordSubmits([
          {
            messageId: ids[i],
            connectorId: CONN,
            parts: [
              { seq: 1, carrierMsgId: normalizeMessageId(pairs[i].respId, mode), submittedAt: Date.now() },
            ],
          },
        ]);
      }
      const states = [];
      for (const m of msgs) {
        const d = await store.getMessageDetail(m.smsMsgId);
        states.push(d?.message.state);
      }
      return states;
    }

    it('auto: an SMSC with hex ids — "a" and "10" are two messages, each gets its own receipt', async () => {
      const states = await run('auto', [
        { respId: 'a', pdu: receiptPdu('a', 'a') },
        { respId: '10', pdu: receiptPdu('10', '10') },
        { respId: '0000000B', pdu: receiptPdu('b') },
      ]);
      assert.deepEqual(states, ['DELIVERED', 'DELIVERED', 'DELIVERED']);
    });

    it('hex-decimal: response in hex, receipt text in decimal, TLV as the response', async () => {
      const states = await run('hex-decimal', [
        { respId: '1A2B', pdu: receiptPdu('6699') },
        { respId: '1A2C', pdu: receiptPdu('0', '1a2c') },
      ]);
      assert.deepEqual(states, ['DELIVERED', 'DELIVERED']);
    });

    it('a receipt-text id in the wrong base matches nothing (and is kept for later)', async () => {
      const states = await run('hex', [{ respId: '1A2D', pdu: receiptPdu('6701') }]);
      assert.deepEqual(states, ['SUBMITTED']);
    });
  });
}
