import type { AppRecord, NewMessage } from '../../../src/store/records.js';
import type { Store } from '../../../src/store/store.js';
import { newMessage } from '../../store/fixtures.js';

/**
 * Makes status-report outbox rows the way production does: accept messages, claim them and
 * finalize them with a platform code (E200027, source 1), which writes one report per part to
 * the message's statusCallback — or to the app's batch address when it has none.
 */
export async function makeReports(
  store: Store,
  app: AppRecord,
  n: number,
  over: Partial<NewMessage> = {},
): Promise<NewMessage[]> {
  const msgs = Array.from({ length: n }, () => newMessage(app, over));
  await store.acceptMessages(msgs);
  const claimed = await store.claimMessages('test-node', n + 10, 30_000, Date.now() + 1);
  await store.finalizeMessages(
    claimed.map((c) => ({
      messageId: c.message.id,
      state: 'FAILED' as const,
      statusCode: 'E200027',
      source: '1' as const,
      eventKind: 'final' as const,
      detail: {},
    })),
  );
  return msgs;
}
