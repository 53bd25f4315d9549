/** Builders for store test data. */
import { createHash, randomUUID } from 'node:crypto';
import type { AppRecord, NewApp, NewMessage } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';

export function newApp(over: Partial<NewApp> = {}): NewApp {
  return {
    name: 'demo',
    region: 'cn',
    uplinkUrl: null,
    batchReportUrl: null,
    ipAllowList: [],
    status: 'active',
    pushSigning: false,
    uplinkCreateTime: false,
    tpsLimit: null,
    ...over,
  };
}

/** Creates an app from {@link newApp}: an active mainland app named `demo` unless `over` says otherwise. */
export function newTestApp(store: Store, over: Partial<NewApp> = {}): Promise<AppRecord> {
  return store.createApp(newApp(over));
}

let seq = 0;
/**
 * A mainland notification for `app`, numbered from a module-wide counter. The id and content hash are
 * made only when `over` gives none, so benchmarks that pass them build messages without that work.
 */
export function newMessage(app: Pick<AppRecord, 'id'>, over: Partial<NewMessage> = {}): NewMessage {
  seq++;
  const content = over.content ?? `【Demo】code ${seq}`;
  return {
    smsMsgId: over.smsMsgId ?? `${randomUUID()}_${seq}`,
    appId: app.id,
    templateId: 'a'.repeat(32),
    templateType: 'NOTIFY_TYPE',
    signatureId: null,
    signatureName: 'Demo',
    channelNumber: 'csms00000001',
    to: `+8613800${String(seq).padStart(6, '0')}`,
    countryId: 'CN',
    content,
    contentHash: over.contentHash ?? createHash('sha256').update(content).digest('hex'),
    encoding: 'UCS2',
    total: 1,
    statusCallback: null,
    extend: null,
    taskId: null,
    createdAt: Date.now(),
    ...over,
  };
}

/** Accepts messages and claims them all, returning the claimed ids in order. */
export async function acceptAndClaim(store: Store, msgs: NewMessage[], owner = 'node-a'): Promise<number[]> {
  await store.acceptMessages(msgs);
  const claimed = await store.claimMessages(owner, msgs.length + 10, 30_000, Date.now() + 1);
  return claimed.map((c) => c.message.id);
}

/** Makes claimed messages final as FAILED by the platform (`E200027`, no route), one report each. */
export function failAll(store: Store, ids: number[], statusCode = 'E200027'): Promise<void> {
  return store.finalizeMessages(
    ids.map((messageId) => ({
      messageId,
      state: 'FAILED' as const,
      statusCode,
      source: '1' as const,
      eventKind: 'final' as const,
      detail: {},
    })),
  );
}
