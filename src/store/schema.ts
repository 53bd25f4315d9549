/**
 * The SQL tables, declared once for both engines (snake_case columns, epoch-millisecond times as
 * BIGINT/INTEGER, booleans as 0/1 integers and JSON as text so both engines store the same
 * values). Row types for reads and writes derive from these with Kysely's `Selectable` /
 * `Insertable` / `Updateable`. Only `store/` sees these names; the rest of the system uses
 * `records.ts`.
 */
import type { Generated } from 'kysely';

export interface AppsTable {
  id: string;
  name: string;
  app_key: string;
  /** AES-256-GCM `iv.tag.ct` (base64), see secret-box.ts. */
  app_secret_enc: string;
  region: string;
  channel_number: string | null;
  uplink_url: string | null;
  batch_report_url: string | null;
  /** JSON array of strings. */
  ip_allow_list: string;
  status: string;
  push_signing: number;
  uplink_create_time: number;
  tps_limit: number | null;
  created_at: number;
  updated_at: number;
}

export interface SignaturesTable {
  id: string;
  app_id: string;
  name: string;
  type: string;
  status: string;
  reject_reason: string | null;
  channel_number: string | null;
  created_at: number;
  updated_at: number;
}

export interface TemplatesTable {
  id: string;
  app_id: string;
  signature_id: string | null;
  universal: number;
  name: string;
  type: string;
  region: string;
  content: string;
  /** JSON object `{ "<n>": "PHONE" | … }`. */
  variable_attributes: string;
  status: string;
  reject_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: Generated<number>;
  sms_msg_id: string;
  app_id: string;
  template_id: string;
  template_type: string;
  signature_id: string | null;
  signature_name: string | null;
  channel_number: string;
  to_number: string;
  country_id: string;
  content: string;
  content_hash: string;
  encoding: string;
  total: number;
  status_callback: string | null;
  extend: string | null;
  task_id: string | null;
  created_at: number;
  state: string;
  status_code: string | null;
  connector_id: string | null;
  attempts: number;
  updated_at: number;
  final_at: number | null;
}

export interface MessagePartsTable {
  message_id: number;
  seq: number;
  state: string;
  carrier_msg_id: string | null;
  connector_id: string | null;
  status_code: string | null;
  error_code: string | null;
  submitted_at: number | null;
  receipt_at: number | null;
}

/** One row per message still to be submitted; deleted when submitted or final. */
export interface QueueTable {
  message_id: number;
  due_at: number;
  lease_owner: string | null;
  lease_until: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  message_id: number;
  at: number;
  kind: string;
  seq: number | null;
  /** JSON object. */
  detail: string;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  app_id: string;
  message_id: number | null;
  mo_id: number | null;
  url: string;
  /** JSON object of string fields. */
  payload: string;
  state: string;
  attempts: number;
  due_at: number;
  created_at: number;
  last_attempt_at: number | null;
  last_http_status: number | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
}

export interface PushAttemptsTable {
  id: Generated<number>;
  outbox_id: number;
  at: number;
  http_status: number | null;
  latency_ms: number;
  error: string | null;
}

/** Receipts that arrived before their submit_sm_resp was recorded; matched by recordSubmits. */
export interface PendingReceiptsTable {
  id: Generated<number>;
  connector_id: string;
  carrier_msg_id: string;
  stat: string;
  err: string | null;
  received_at: number;
  raw: string;
}

export interface MoTable {
  id: Generated<number>;
  sms_msg_id: string;
  app_id: string | null;
  from_number: string;
  to_number: string;
  body: string;
  connector_id: string | null;
  received_at: number;
}

/** One part of a concatenated MO (migration 0002). */
export interface MoPartsTable {
  group_key: string;
  seq: number;
  total: number;
  alphabet: string;
  /** Payload units before decoding, hex. */
  units: string;
  from_number: string;
  to_number: string;
  connector_id: string | null;
  received_at: number;
  consumed_at: number | null;
}

/** Console sign-in users (migration 0003). */
export interface ConsoleUsersTable {
  username: string;
  role: string;
  /** scrypt hash (src/api/console/password-hash.ts). */
  hash: string;
  ver: number;
  created_at: number;
  updated_at: number;
}

export interface ConsoleLoginFailuresTable {
  key: string;
  failures: number;
  first_at: number;
  locked_until: number;
}

export interface ConsoleRevokedSessionsTable {
  nonce: string;
  expires_at: number;
}

/** Group-send tasks (migration 0004). */
export interface GroupSendTasksTable {
  id: string;
  node_id: string;
  name: string;
  app_id: string;
  template_id: string;
  signature_id: string | null;
  signature_name: string | null;
  from_number: string;
  file_name: string | null;
  status: string;
  schedule_at: number | null;
  total: number;
  processed: number;
  accepted: number;
  failed: number;
  error: string | null;
  cancel_requested: number;
  created_by: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface GroupSendFailuresTable {
  task_id: string;
  seq: number;
  number: string;
  status: string;
}

export interface BlocksTable {
  id: Generated<number>;
  app_id: string | null;
  number: string;
  scope: string;
  reason: string;
  note: string | null;
  created_at: number;
}

export interface ConnectorsTable {
  id: string;
  name: string;
  /** JSON of the whole connector configuration (everything but id and times). */
  config: string;
  created_at: number;
  updated_at: number;
}

export interface RoutesTable {
  id: string;
  name: string;
  priority: number;
  /** JSON of the whole route configuration (everything but id and times). */
  config: string;
  created_at: number;
  updated_at: number;
}

export interface LeasesTable {
  name: string;
  owner: string;
  expires_at: number;
}

export interface TokenBucketsTable {
  key: string;
  tokens: number;
  updated_at: number;
}

export interface Database {
  apps: AppsTable;
  signatures: SignaturesTable;
  templates: TemplatesTable;
  messages: MessagesTable;
  message_parts: MessagePartsTable;
  queue: QueueTable;
  events: EventsTable;
  outbox: OutboxTable;
  push_attempts: PushAttemptsTable;
  pending_receipts: PendingReceiptsTable;
  mo: MoTable;
  mo_parts: MoPartsTable;
  console_users: ConsoleUsersTable;
  console_login_failures: ConsoleLoginFailuresTable;
  console_revoked_sessions: ConsoleRevokedSessionsTable;
  group_send_tasks: GroupSendTasksTable;
  group_send_failures: GroupSendFailuresTable;
  blocks: BlocksTable;
  connectors: ConnectorsTable;
  routes: RoutesTable;
  leases: LeasesTable;
  token_buckets: TokenBucketsTable;
}
