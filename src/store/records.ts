/**
 * The rows the store hands out and takes in, in the shape the rest of the system uses (camelCase,
 * times as epoch milliseconds). The SQL column names are snake_case and live only in the engine
 * folders under `store/`.
 */
import type { SmsEncoding } from '../domain/encoding.js';
import type { MessageState } from '../domain/message-state.js';
import type { ConcatMode } from '../domain/segments.js';
import type { TemplateType } from '../domain/signature.js';
import type { VariableAttribute } from '../domain/template.js';
import type { MessageIdMode } from '../smpp/message-id.js';

export type AppStatus = 'active' | 'frozen';
export type Region = 'cn' | 'intl';

export interface AppRecord {
  id: string;
  name: string;
  /** 28 characters, public; `Username` in X-WSSE and `Access` in AK/SK. */
  appKey: string;
  /** Decrypted by the store; encrypted at rest. */
  appSecret: string;
  region: Region;
  /** International apps send from a per-app channel number (`isms…`); null for mainland apps. */
  channelNumber: string | null;
  uplinkUrl: string | null;
  batchReportUrl: string | null;
  /** Addresses and CIDRs; empty = any caller. */
  ipAllowList: string[];
  status: AppStatus;
  /** Sign status-report and uplink pushes with the app's key pair (spec §4.3). Off by default. */
  pushSigning: boolean;
  /** Send `createTime` in uplink pushes (spec §8). */
  uplinkCreateTime: boolean;
  /** Requests per second this app may make to the send API; null = unlimited. */
  tpsLimit: number | null;
  createdAt: number;
  updatedAt: number;
}

export type NewApp = Omit<
  AppRecord,
  'id' | 'appKey' | 'appSecret' | 'channelNumber' | 'createdAt' | 'updatedAt'
> & {
  /** Given only by tests and the demo profile; generated otherwise. */
  appKey?: string;
  appSecret?: string;
};
export type AppPatch = Partial<
  Pick<
    AppRecord,
    | 'name'
    | 'uplinkUrl'
    | 'batchReportUrl'
    | 'ipAllowList'
    | 'status'
    | 'pushSigning'
    | 'uplinkCreateTime'
    | 'tpsLimit'
  >
>;

export type ReviewStatus = 'pending' | 'approved' | 'rejected';

export interface SignatureRecord {
  id: string;
  appId: string;
  name: string;
  type: TemplateType;
  status: ReviewStatus;
  rejectReason: string | null;
  /** Allocated on approval, unique across the platform; the `from` a client sends. */
  channelNumber: string | null;
  createdAt: number;
  updatedAt: number;
}
export type NewSignature = Pick<SignatureRecord, 'appId' | 'name' | 'type'>;

/** `active` = approved and usable; `inactive` = approved but switched off. */
export type TemplateStatus = 'pending' | 'active' | 'inactive' | 'rejected';

export interface TemplateRecord {
  /** 32 lowercase hex characters. */
  id: string;
  appId: string;
  /** The bound signature; null for a universal template. */
  signatureId: string | null;
  universal: boolean;
  name: string;
  type: TemplateType;
  region: Region;
  content: string;
  /** Attribute of each `${n}` variable, by n; missing = TEXT. */
  variableAttributes: Record<number, VariableAttribute>;
  status: TemplateStatus;
  rejectReason: string | null;
  createdAt: number;
  updatedAt: number;
}
export type NewTemplate = Pick<
  TemplateRecord,
  'appId' | 'signatureId' | 'universal' | 'name' | 'type' | 'region' | 'content' | 'variableAttributes'
>;
export type TemplatePatch = Partial<Pick<TemplateRecord, 'name' | 'content' | 'variableAttributes' | 'type'>>;

/** One recipient of one send request, as the API commits it. */
export interface NewMessage {
  smsMsgId: string;
  appId: string;
  templateId: string;
  templateType: TemplateType;
  signatureId: string | null;
  signatureName: string | null;
  /** The `from` of the request. */
  channelNumber: string;
  /** E.164. */
  to: string;
  countryId: string;
  /** The full rendered text, signature included. */
  content: string;
  /** Lowercase hex SHA-256 of `content`, for same-content frequency caps. */
  contentHash: string;
  encoding: SmsEncoding;
  /** Number of segments. */
  total: number;
  statusCallback: string | null;
  extend: string | null;
  /** Group-send task that produced it, if any. */
  taskId: string | null;
  createdAt: number;
}

export interface MessageRecord extends NewMessage {
  /** Internal, monotonically increasing. */
  id: number;
  state: MessageState;
  /** Final status code (`DELIVRD`, `UNDELIV`, `E200027`, …); null while in flight. */
  statusCode: string | null;
  connectorId: string | null;
  attempts: number;
  updatedAt: number;
  finalAt: number | null;
}

export interface MessagePartRecord {
  messageId: number;
  /** 1..total */
  seq: number;
  state: MessageState;
  carrierMsgId: string | null;
  connectorId: string | null;
  statusCode: string | null;
  /** SMPP error code from the receipt (`err:`), if any. */
  errorCode: string | null;
  submittedAt: number | null;
  receiptAt: number | null;
}

export type EventKind =
  | 'accepted'
  | 'queued'
  | 'routed'
  | 'submitted'
  | 'submit_failed'
  | 'requeued'
  | 'receipt'
  | 'expired'
  | 'intercepted'
  | 'final'
  | 'push';

export interface MessageEvent {
  messageId: number;
  at: number;
  kind: EventKind;
  /** Part sequence the event is about, if it is about one part. */
  seq: number | null;
  detail: Record<string, unknown>;
}

export type OutboxKind = 'status' | 'batch_status' | 'uplink';
export type OutboxState = 'pending' | 'leased' | 'delivered' | 'dead';

/** One push to a customer URL (status report, batch member, uplink). */
export interface OutboxRecord {
  id: number;
  kind: OutboxKind;
  appId: string;
  messageId: number | null;
  moId: number | null;
  url: string;
  /** The report's fields exactly as they go on the wire (form fields or one batch element). */
  payload: Record<string, string>;
  state: OutboxState;
  attempts: number;
  dueAt: number;
  createdAt: number;
  lastAttemptAt: number | null;
  lastHttpStatus: number | null;
  lastError: string | null;
}

export interface PushAttempt {
  outboxId: number;
  at: number;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
}

export type GroupTaskStatus =
  | 'uploading'
  | 'scheduled'
  | 'running'
  | 'completed'
  | 'cancelled'
  | 'failed'
  | 'interrupted';

/** A group-send task (console "Group SMS Assistant"). */
export interface GroupTaskRecord {
  id: string;
  /** The node that received the upload: it holds the numbers file and runs the task. */
  nodeId: string;
  name: string;
  appId: string;
  templateId: string;
  /** Signature used (mainland apps); null for international apps. */
  signatureId: string | null;
  /** Signature name passed with a universal template; null otherwise. */
  signatureName: string | null;
  /** The `from` channel number. */
  from: string;
  fileName: string | null;
  status: GroupTaskStatus;
  /** Epoch ms to start at; null = at once. */
  scheduleAt: number | null;
  /** Rows in the file (after the optional header). */
  total: number;
  processed: number;
  accepted: number;
  failed: number;
  error: string | null;
  /** A cancel was asked for while the task ran; its runner stops after the current batch. */
  cancelRequested: boolean;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The fields a group-send task's life changes. */
export type GroupTaskChange = Partial<
  Pick<
    GroupTaskRecord,
    'status' | 'total' | 'processed' | 'accepted' | 'failed' | 'error' | 'startedAt' | 'finishedAt'
  >
>;

/** A console sign-in user (the console module owns the rules; the store keeps the rows). */
export interface ConsoleUserRecord {
  username: string;
  role: 'admin' | 'viewer';
  /** scrypt hash. */
  hash: string;
  /** Revocation counter: a session signed with another value is refused. */
  ver: number;
  createdAt: number;
  updatedAt: number;
}

export interface MoRecord {
  id: number;
  smsMsgId: string;
  appId: string | null;
  /** The handset's number, E.164. */
  from: string;
  /** Channel number + extension the handset sent to. */
  to: string;
  body: string;
  connectorId: string | null;
  receivedAt: number;
}

export interface BlockRecord {
  id: number;
  /** null = global. */
  appId: string | null;
  number: string;
  /** `all` blocks every message; `promotion` only PROMOTION_TYPE (opt-out by MO). */
  scope: 'all' | 'promotion';
  reason: 'manual' | 'opt-out';
  note: string | null;
  createdAt: number;
}

export type BindMode = 'transceiver' | 'transmitter_receiver';
export type MsgIdType = MessageIdMode;

export interface ConnectorRecord {
  id: string;
  name: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  bindMode: BindMode;
  /** Sessions to hold open, across the whole cluster. */
  binds: number;
  /** Outstanding requests per session. */
  window: number;
  /** Messages per second across all binds; 0 = unlimited. */
  tps: number;
  concat: ConcatMode;
  /** `gsm7` = data_coding 0 with unpacked septets (default); `gsm7-packed`; `latin1` = data_coding 3 when possible. */
  textMode: 'gsm7' | 'gsm7-packed' | 'latin1';
  msgIdType: MsgIdType;
  tls: boolean;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}
export type NewConnector = Omit<ConnectorRecord, 'id' | 'createdAt' | 'updatedAt'>;

export interface RouteMatch {
  prefixes?: string[];
  countries?: string[];
  appIds?: string[];
  templateTypes?: TemplateType[];
}

export interface RouteRecord {
  id: string;
  name: string;
  /** Lower runs first. */
  priority: number;
  match: RouteMatch;
  connectorIds: string[];
  strategy: 'failover' | 'roundrobin';
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}
export type NewRoute = Omit<RouteRecord, 'id' | 'createdAt' | 'updatedAt'>;
