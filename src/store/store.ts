/**
 * The store: the one interface the API, the engine, the webhooks and the console reach the
 * database through. Two implementations (`store/sqlite/`, `store/postgres/`) behave the same; the
 * differences that callers may care about are capability flags, never `if (sqlite)`.
 *
 * Durability rules this interface encodes (ARCHITECTURE.md):
 * - `acceptMessages` resolves only after the rows are committed; concurrent calls are group-committed
 *   (one transaction per batch of calls gathered within a few milliseconds).
 * - Every state change and the outbox rows it causes commit in ONE transaction
 *   (`recordSubmits`, `finalizeMessages`, `applyReceipts`, `expireParts`, `insertMo`).
 * - Work is claimed with a lease (`claimMessages`, `claimOutbox`); a claim whose owner dies is taken
 *   over once its lease runs out. On PostgreSQL claims use `FOR UPDATE SKIP LOCKED`.
 */

import type { MessageState, SendResult } from '../domain/message-state.js';
import type { TemplateType } from '../domain/signature.js';
import type {
  AppPatch,
  AppRecord,
  BlockRecord,
  ConnectorRecord,
  ConsoleUserRecord,
  EventKind,
  GroupTaskChange,
  GroupTaskRecord,
  MessageEvent,
  MessagePartRecord,
  MessageRecord,
  MoRecord,
  NewApp,
  NewConnector,
  NewMessage,
  NewRoute,
  NewSignature,
  NewTemplate,
  OutboxRecord,
  PushAttempt,
  ReviewStatus,
  RouteRecord,
  SignatureRecord,
  TemplatePatch,
  TemplateRecord,
  TemplateStatus,
} from './records.js';

export interface StoreCapabilities {
  /** Claims use `FOR UPDATE SKIP LOCKED`, so several processes may claim concurrently. */
  readonly supportsSkipLocked: boolean;
  /** More than one process may write at once (PostgreSQL); SQLite has one writer process. */
  readonly supportsMultipleWriters: boolean;
}

export interface Page {
  limit: number;
  offset?: number;
}

export interface Paged<T> {
  items: T[];
  /** Total rows matching the filter (may be capped for very large result sets; see `totalCapped`). */
  total: number;
  totalCapped?: boolean;
}

export interface MessageFilter {
  smsMsgId?: string;
  /** E.164, or the national form (digits only) that the console accepts. */
  to?: string;
  appId?: string;
  templateId?: string;
  templateType?: TemplateType;
  channelNumber?: string;
  signatureName?: string;
  result?: SendResult;
  state?: MessageState;
  statusCode?: string;
  taskId?: string;
  /** createdAt >= since (epoch ms). */
  since?: number;
  /** createdAt < until (epoch ms). */
  until?: number;
}

export interface MessageDetail {
  message: MessageRecord;
  parts: MessagePartRecord[];
  events: MessageEvent[];
  /** Each push with its attempt log in place of the attempt count (`attempts.length` is the count). */
  pushes: Array<Omit<OutboxRecord, 'attempts'> & { attempts: PushAttempt[] }>;
}

/** A claimed message with what the dispatcher needs to route and submit it. */
export interface ClaimedMessage {
  message: MessageRecord;
  parts: MessagePartRecord[];
  /** The app's batch status-report address (used when the message has no statusCallback). */
  appBatchReportUrl: string | null;
}

export interface SubmitOutcome {
  messageId: number;
  connectorId: string;
  /** One entry per part, in order: the carrier message id from submit_sm_resp. */
  parts: Array<{ seq: number; carrierMsgId: string; submittedAt: number }>;
  /** When the dispatcher routed the message and by which route; written as a `routed` event. */
  routed?: { at: number; route: string };
}

/**
 * A final outcome the platform decides without a carrier receipt: no route (E200027), interception
 * (blocklist, frequency cap, keyword), a submit_sm_resp error, retries exhausted. Writes one status
 * report per part (source 1 or 3, no updateTime) when the message has a report destination.
 */
export interface FinalOutcome {
  messageId: number;
  state: Extract<MessageState, 'FAILED' | 'REJECTED' | 'UNDELIVERED' | 'EXPIRED'>;
  statusCode: string;
  /** Status-report `source`: '1' platform, '2' carrier, '3' Huawei-platform-style interception. */
  source: '1' | '2' | '3';
  eventKind: EventKind;
  detail: Record<string, unknown>;
}

export interface ReceiptInput {
  connectorId: string;
  /** Already normalised per the connector's msg-id-type. */
  carrierMsgId: string;
  /** `DELIVRD`, `UNDELIV`, … as received. */
  stat: string;
  err: string | null;
  receivedAt: number;
  /** Receipt text or a TLV summary, kept for the timeline. */
  raw: string;
}

export interface ReceiptResult {
  matched: number;
  /** Receipts with no submitted part yet; kept and matched when the submit is recorded. */
  pending: number;
}

export interface NewMo {
  smsMsgId: string;
  from: string;
  to: string;
  body: string;
  connectorId: string | null;
  receivedAt: number;
}

/**
 * One part of a concatenated MO, as it arrived: payload units before decoding (see
 * `Store.addMoPart`). Parts of one message share `groupKey` (sender, destination, reference,
 * total), which the caller builds.
 */
export interface NewMoPart {
  groupKey: string;
  /** 1-based position, ≤ `total`. */
  seq: number;
  total: number;
  /** How the units decode (`PayloadAlphabet` of the SMPP layer); the first part's is used. */
  alphabet: string;
  units: Buffer;
  from: string;
  to: string;
  connectorId: string | null;
  receivedAt: number;
}

/** Joins the payload units of a message's parts (in part order, gaps skipped) into its text. */
export type MoTextAssembler = (alphabet: string, units: Buffer[]) => string;

/** What `addMoPart` did with a part. */
export type MoPartResult =
  /** Stored; the message waits for more parts. */
  | { status: 'pending'; received: number; total: number }
  /** This very part was stored before (a redelivery): nothing changed. */
  | { status: 'duplicate' }
  /**
   * The MO was committed: the message is whole, or (`late`) the part arrived after its message
   * had already been stored incomplete and becomes an MO of its own.
   */
  | { status: 'complete'; mo: MoRecord; late: boolean };

/** What one `purgeHistory` call removed. */
export interface PurgeResult {
  messages: number;
  pushes: number;
  mos: number;
}

export interface ChannelMatch {
  appId: string;
  signatureId: string | null;
  channelNumber: string;
  /** What followed the channel number in the destination (the customer's extension code). */
  extension: string;
}

export interface DayStats {
  /** `yyyy-MM-dd` UTC. */
  day: string;
  appId: string;
  templateType: TemplateType;
  sent: number;
  delivered: number;
  failed: number;
  pending: number;
  segments: number;
}

export interface Lease {
  name: string;
  owner: string;
  expiresAt: number;
}

export interface Store {
  readonly capabilities: StoreCapabilities;
  /** `sqlite` or `postgres`, for logs and /readyz only. */
  readonly kind: 'sqlite' | 'postgres';

  migrate(): Promise<void>;
  /** Applied vs known migrations, for /readyz. */
  migrationStatus(): Promise<{ applied: number; known: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;

  // apps
  createApp(app: NewApp): Promise<AppRecord>;
  getApp(id: string): Promise<AppRecord | undefined>;
  getAppByKey(appKey: string): Promise<AppRecord | undefined>;
  listApps(page?: Page): Promise<Paged<AppRecord>>;
  updateApp(id: string, patch: AppPatch): Promise<AppRecord | undefined>;
  deleteApp(id: string): Promise<boolean>;

  // signatures
  createSignature(sig: NewSignature): Promise<SignatureRecord>;
  getSignature(id: string): Promise<SignatureRecord | undefined>;
  findSignatureByChannel(channelNumber: string): Promise<SignatureRecord | undefined>;
  findSignatureByName(appId: string, name: string): Promise<SignatureRecord | undefined>;
  listSignatures(
    filter: { appId?: string; status?: ReviewStatus },
    page?: Page,
  ): Promise<Paged<SignatureRecord>>;
  /** Allocates a unique channel number on the first approval; approving twice is a no-op. */
  approveSignature(id: string): Promise<SignatureRecord | undefined>;
  rejectSignature(id: string, reason: string): Promise<SignatureRecord | undefined>;
  /** Only a rejected signature may change its name or type (it goes back to pending). */
  updateSignature(
    id: string,
    patch: { name?: string; type?: TemplateType },
  ): Promise<SignatureRecord | undefined>;
  deleteSignature(id: string): Promise<boolean>;

  // templates
  createTemplate(tpl: NewTemplate): Promise<TemplateRecord>;
  getTemplate(id: string): Promise<TemplateRecord | undefined>;
  listTemplates(
    filter: { appId?: string; status?: TemplateStatus; signatureId?: string },
    page?: Page,
  ): Promise<Paged<TemplateRecord>>;
  setTemplateStatus(
    id: string,
    status: TemplateStatus,
    rejectReason?: string,
  ): Promise<TemplateRecord | undefined>;
  /** Only a rejected template may be edited (it goes back to pending). */
  updateTemplate(id: string, patch: TemplatePatch): Promise<TemplateRecord | undefined>;
  deleteTemplate(id: string): Promise<boolean>;

  // messages: accept → claim → submit/finalize → receipts → expiry
  /** Commits messages, their parts (state QUEUED), queue rows and `accepted` events. Group-committed. */
  acceptMessages(messages: NewMessage[]): Promise<void>;
  /** Leases up to `limit` due messages (oldest first). */
  claimMessages(owner: string, limit: number, leaseMs: number, now: number): Promise<ClaimedMessage[]>;
  /** Extends the lease of claimed messages still being worked on. */
  renewMessageLeases(owner: string, messageIds: number[], leaseMs: number, now: number): Promise<void>;
  /** Parts acknowledged by the SMSC: SUBMITTED, queue row removed; also matches receipts that came first. */
  recordSubmits(outcomes: SubmitOutcome[]): Promise<void>;
  /** Puts claimed messages back in the queue, due at `dueAt` (attempts + 1), with a `requeued` event. */
  requeueMessages(items: Array<{ messageId: number; dueAt: number; reason: string }>): Promise<void>;
  finalizeMessages(outcomes: FinalOutcome[]): Promise<void>;
  appendEvents(events: MessageEvent[]): Promise<void>;
  /** Matches receipts to parts by (connector, carrier id), updates parts and messages, writes reports. */
  applyReceipts(receipts: ReceiptInput[]): Promise<ReceiptResult>;
  /** Parts SUBMITTED before `submittedBefore` with no receipt become EXPIRED (source 1). Returns count. */
  expireParts(submittedBefore: number, now: number, limit: number): Promise<number>;
  /**
   * Applies up to `limit` parked receipts received since `since` (they arrived before their
   * submit was recorded) whose part exists now; returns how many. A safety net run by the expiry
   * sweep: normally the submit or the receipt side matches them at once. The time bound keeps
   * each sweep to the recent rows (index on received_at), however many unmatchable receipts are
   * parked.
   */
  matchParkedReceipts(since: number, limit: number): Promise<number>;
  /** Number of queued (not final, not submitted) messages, for metrics. */
  queueDepth(): Promise<number>;

  // send details
  queryMessages(filter: MessageFilter, page: Page): Promise<Paged<MessageRecord>>;
  getMessageDetail(smsMsgId: string): Promise<MessageDetail | undefined>;
  /** Recent sends to these numbers since `since`, for frequency caps (REJECTED and FAILED ones excluded: never sent). */
  recentSends(
    numbers: string[],
    since: number,
  ): Promise<Array<{ to: string; at: number; contentHash: string }>>;

  // statistics
  statsByDay(filter: {
    since: number;
    until: number;
    appId?: string;
    templateType?: TemplateType;
  }): Promise<DayStats[]>;
  failureBreakdown(filter: {
    since: number;
    until: number;
    appId?: string;
  }): Promise<Array<{ statusCode: string; count: number }>>;

  // outbox (webhooks)
  claimOutbox(owner: string, limit: number, leaseMs: number, now: number): Promise<OutboxRecord[]>;
  /** Records an attempt for each row and moves it to delivered, back to pending at `nextDueAt`, or dead. */
  completeOutbox(
    results: Array<{
      id: number;
      attempt: PushAttempt;
      outcome: 'delivered' | 'retry' | 'dead';
      nextDueAt?: number;
    }>,
  ): Promise<void>;
  /** A dead (or delivered) push goes back to pending, due now. */
  redeliverOutbox(id: number, now: number): Promise<OutboxRecord | undefined>;
  listOutbox(
    filter: { state?: OutboxRecord['state']; appId?: string; messageId?: number },
    page: Page,
  ): Promise<Paged<OutboxRecord>>;
  outboxBacklog(): Promise<number>;

  // uplink
  /** The app (and signature) a destination number belongs to: longest channel-number prefix. */
  resolveChannel(to: string): Promise<ChannelMatch | undefined>;
  /** Stores the MO and, when its app has an uplink address, the uplink outbox row; opt-out texts add a block. */
  insertMo(mo: NewMo): Promise<MoRecord>;
  /**
   * Stores one part of a concatenated MO in one transaction; the part that completes its message
   * commits the MO (as `insertMo`) in the same transaction. So when this resolves the part is
   * durable and the SMSC may be answered. Safe with several nodes: a message is completed once.
   * A part whose (group, seq) is held with other content is a new message reusing the sender's
   * reference: the earlier one is stored with what it had, and this part starts afresh.
   */
  addMoPart(part: NewMoPart, newSmsMsgId: () => string, assemble: MoTextAssembler): Promise<MoPartResult>;
  /**
   * Commits as MOs the messages whose parts are all present (two nodes may each have stored one
   * of the last parts) or whose first part arrived before `olderThan` (stored with the parts that
   * did arrive), and purges parts consumed before `olderThan`. Returns the MOs with how many
   * parts each had.
   */
  flushMoParts(
    olderThan: number,
    now: number,
    newSmsMsgId: () => string,
    assemble: MoTextAssembler,
  ): Promise<Array<{ mo: MoRecord; received: number; total: number }>>;
  listMo(
    filter: { appId?: string; from?: string; since?: number; until?: number },
    page: Page,
  ): Promise<Paged<MoRecord>>;

  // group sends (console "Group SMS Assistant"): listed and changed on any node, run by `nodeId`
  insertGroupTask(task: GroupTaskRecord): Promise<void>;
  getGroupTask(id: string): Promise<GroupTaskRecord | undefined>;
  /** Newest first. */
  listGroupTasks(filter: { appId?: string }, page: Page): Promise<Paged<GroupTaskRecord>>;
  updateGroupTask(id: string, change: GroupTaskChange): Promise<void>;
  /**
   * Counters after an accepted batch and its refused numbers, in one transaction; tells whether
   * a cancel was asked for meanwhile.
   */
  recordGroupBatch(
    id: string,
    progress: { processed: number; accepted: number; failed: number },
    failures: Array<{ number: string; status: string }>,
  ): Promise<{ cancelRequested: boolean }>;
  /** Scheduled → cancelled; running → asked to stop after its current batch. */
  cancelGroupTask(id: string, now: number): Promise<GroupTaskRecord | 'missing' | 'not-cancellable'>;
  /** Deletes a task (not while uploading or running) with its refused numbers. */
  deleteGroupTask(id: string): Promise<'ok' | 'missing' | 'busy'>;
  /** Marks the oldest due scheduled task of `nodeId` running and returns it. */
  startDueGroupTask(nodeId: string, now: number): Promise<GroupTaskRecord | undefined>;
  /** Tasks of `nodeId` left uploading or running by a stopped process → interrupted. */
  interruptGroupTasks(nodeId: string, now: number): Promise<number>;
  /** Refused numbers after `afterSeq`, in order. */
  groupTaskFailures(
    id: string,
    afterSeq: number,
    limit: number,
  ): Promise<Array<{ seq: number; number: string; status: string }>>;

  // console (users, sign-in lock-out, signed-out sessions): shared by every node
  listConsoleUsers(): Promise<ConsoleUserRecord[]>;
  getConsoleUser(username: string): Promise<ConsoleUserRecord | undefined>;
  /** Inserts the user; false when the name is taken. */
  insertConsoleUser(user: ConsoleUserRecord): Promise<boolean>;
  /**
   * Writes role, hash, ver and updatedAt of `next` if the stored user still has `expectedVer`
   * (`changed` otherwise, or when it is gone); refuses to leave no admin.
   */
  updateConsoleUser(next: ConsoleUserRecord, expectedVer: number): Promise<'ok' | 'changed' | 'last-admin'>;
  /** Deletes the user; refuses to delete the last admin. */
  deleteConsoleUser(username: string): Promise<'ok' | 'missing' | 'last-admin'>;
  /** End of the sign-in lock of `key` (epoch ms; 0 or past when not locked). */
  loginLockedUntil(key: string): Promise<number>;
  /**
   * Counts a sign-in attempt against `key` (the console counts each attempt before checking the
   * password, and clears the count on success) within a window of `lockMs`; the `maxFailures`-th
   * locks it for `lockMs`. Returns the count in the window and the lock end (0 when not locked).
   */
  recordLoginFailure(
    key: string,
    now: number,
    maxFailures: number,
    lockMs: number,
  ): Promise<{ failures: number; lockedUntil: number }>;
  clearLoginFailures(key: string): Promise<void>;
  /** Refuses the session with this nonce until `expiresAt` (sign-out); forgets expired ones. */
  revokeSession(nonce: string, expiresAt: number, now: number): Promise<void>;
  isSessionRevoked(nonce: string): Promise<boolean>;

  // blocklist
  addBlock(entry: Omit<BlockRecord, 'id' | 'createdAt'>): Promise<BlockRecord>;
  removeBlock(id: number): Promise<boolean>;
  listBlocks(filter: { appId?: string; number?: string }, page: Page): Promise<Paged<BlockRecord>>;
  /** Entries (global or the app's) that match any of these numbers. */
  findBlocks(appId: string, numbers: string[]): Promise<BlockRecord[]>;

  // carriers
  createConnector(c: NewConnector): Promise<ConnectorRecord>;
  getConnector(id: string): Promise<ConnectorRecord | undefined>;
  listConnectors(): Promise<ConnectorRecord[]>;
  updateConnector(id: string, patch: Partial<NewConnector>): Promise<ConnectorRecord | undefined>;
  deleteConnector(id: string): Promise<boolean>;
  createRoute(r: NewRoute): Promise<RouteRecord>;
  listRoutes(): Promise<RouteRecord[]>;
  updateRoute(id: string, patch: Partial<NewRoute>): Promise<RouteRecord | undefined>;
  deleteRoute(id: string): Promise<boolean>;

  // cluster coordination (a single SQLite process uses the same calls; they always succeed there)
  /**
   * Retention: removes up to `limit` each of final messages created before `cutoff` (parts,
   * events, pushes with them — not while a report of theirs is still to be pushed), delivered or
   * dead pushes last due before it, and MOs received before it. Call again while a count is
   * `limit`.
   */
  purgeHistory(cutoff: number, limit: number): Promise<PurgeResult>;
  /** Takes or renews the named lease for `owner`; false if another owner holds an unexpired one. */
  acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  listLeases(prefix: string, now: number): Promise<Lease[]>;
  /**
   * Token bucket shared by every node: takes `n` tokens from `key` refilled at `ratePerSec` (burst =
   * `ratePerSec`). Returns how many were granted (0..n).
   */
  takeTokens(key: string, ratePerSec: number, n: number, now: number): Promise<number>;
}
