/**
 * MO senders (src/engine/uplink-handler.ts): a mainland app's national-format sender is stored
 * (and pushed) in E.164 like the send API's `originTo`; international apps keep the address as
 * the SMSC sent it. Real store; the handler is fed deliver_sm fields directly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/logger.js';
import { moSender, UplinkHandler } from '../../src/engine/uplink-handler.js';
import type { AppRecord } from '../../src/store/records.js';
import { newTestApp } from '../store/fixtures.js';
import { type ApiFixture, setupApi } from './helpers.js';

describe('MO sender normalisation', () => {
  let f: ApiFixture;
  let intl: AppRecord;
  before(async () => {
    f = await setupApi();
    intl = await newTestApp(f.store, { name: 'global', region: 'intl' });
  });
  after(() => f.cleanup());

  const deliver = (source: string, ton: number, to: string, text: string) => ({
    connectorId: 'c1',
    pdu: {
      source_addr: source,
      source_addr_ton: ton,
      destination_addr: to,
      esm_class: 0,
      data_coding: 0,
      short_message: Buffer.from(text),
      tlvs: [],
    },
  });

  it('moSender: E.164 for international TON; national → +86 only for mainland', () => {
    assert.equal(moSender('8615100000001', 1), '+8615100000001');
    assert.equal(moSender(' +8615100000001 ', 0), '+8615100000001');
    assert.equal(moSender('15100000001', 2, 'cn'), '+8615100000001');
    assert.equal(moSender('15100000001', 2, 'intl'), '15100000001');
    assert.equal(moSender('15100000001', 2), '15100000001');
    assert.equal(moSender('10086', 0, 'cn'), '10086', 'not a possible number: kept');
    assert.equal(moSender('Bank', 5, 'cn'), 'Bank');
  });

  it('stores a mainland national sender as E.164 and keeps an international app’s sender as sent', async () => {
    const handler = new UplinkHandler({ store: f.store, log: silentLogger });
    const ch = f.signature.channelNumber as string;
    await handler.handle(deliver('15100000031', 0, `${ch}77`, 'hello'));
    await handler.handle(deliver('8615100000032', 1, ch, 'intl ton'));
    await handler.handle(deliver('447700900123', 0, intl.channelNumber as string, 'hi'));
    const mine = await f.store.listMo({ appId: f.tenant.id }, { limit: 10, offset: 0 });
    assert.deepEqual(mine.items.map((m) => m.from).sort(), ['+8615100000031', '+8615100000032']);
    const theirs = await f.store.listMo({ appId: intl.id }, { limit: 10, offset: 0 });
    assert.deepEqual(
      theirs.items.map((m) => m.from),
      ['447700900123'],
    );
  });
});
