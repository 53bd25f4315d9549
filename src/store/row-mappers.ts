/** Turns table rows (snake_case) into the records the rest of the system uses (camelCase). */
import type { Selectable } from 'kysely';
import type { MessageState } from '../domain/message-state.js';
import type { TemplateType } from '../domain/signature.js';
import type {
  AppRecord,
  BlockRecord,
  ConnectorRecord,
  EventKind,
  MessageEvent,
  MessagePartRecord,
  MessageRecord,
  MoRecord,
  NewConnector,
  NewRoute,
  OutboxRecord,
  PushAttempt,
  RouteRecord,
  SignatureRecord,
  TemplateRecord,
} from './records.js';
import type {
  AppsTable,
  BlocksTable,
  ConnectorsTable,
  EventsTable,
  MessagePartsTable,
  MessagesTable,
  MoTable,
  OutboxTable,
  PushAttemptsTable,
  RoutesTable,
  SignaturesTable,
  TemplatesTable,
} from './schema.js';
import type { SecretBox } from './secret-box.js';

export function toApp(r: Selectable<AppsTable>, box: SecretBox): AppRecord {
  return {
    id: r.id,
    name: r.name,
    appKey: r.app_key,
    appSecret: box.decrypt(r.app_secret_enc),
    region: r.region as AppRecord['region'],
    channelNumber: r.channel_number,
    uplinkUrl: r.uplink_url,
    batchReportUrl: r.batch_report_url,
    ipAllowList: JSON.parse(r.ip_allow_list) as string[],
    status: r.status as AppRecord['status'],
    pushSigning: Boolean(r.push_signing),
    uplinkCreateTime: Boolean(r.uplink_create_time),
    tpsLimit: r.tps_limit,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toSignature(r: Selectable<SignaturesTable>): SignatureRecord {
  return {
    id: r.id,
    appId: r.app_id,
    name: r.name,
    type: r.type as TemplateType,
    status: r.status as SignatureRecord['status'],
    rejectReason: r.reject_reason,
    channelNumber: r.channel_number,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toTemplate(r: Selectable<TemplatesTable>): TemplateRecord {
  return {
    id: r.id,
    appId: r.app_id,
    signatureId: r.signature_id,
    universal: Boolean(r.universal),
    name: r.name,
    type: r.type as TemplateType,
    region: r.region as TemplateRecord['region'],
    content: r.content,
    variableAttributes: JSON.parse(r.variable_attributes) as TemplateRecord['variableAttributes'],
    status: r.status as TemplateRecord['status'],
    rejectReason: r.reject_reason,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toMessage(r: Selectable<MessagesTable>): MessageRecord {
  return {
    id: Number(r.id),
    smsMsgId: r.sms_msg_id,
    appId: r.app_id,
    templateId: r.template_id,
    templateType: r.template_type as TemplateType,
    signatureId: r.signature_id,
    signatureName: r.signature_name,
    channelNumber: r.channel_number,
    to: r.to_number,
    countryId: r.country_id,
    content: r.content,
    contentHash: r.content_hash,
    encoding: r.encoding as MessageRecord['encoding'],
    total: r.total,
    statusCallback: r.status_callback,
    extend: r.extend,
    taskId: r.task_id,
    createdAt: Number(r.created_at),
    state: r.state as MessageState,
    statusCode: r.status_code,
    connectorId: r.connector_id,
    attempts: r.attempts,
    updatedAt: Number(r.updated_at),
    finalAt: r.final_at === null ? null : Number(r.final_at),
  };
}

const numOrNull = (v: number | null): number | null => (v === null ? null : Number(v));

export function toPart(r: Selectable<MessagePartsTable>): MessagePartRecord {
  return {
    messageId: Number(r.message_id),
    seq: r.seq,
    state: r.state as MessageState,
    carrierMsgId: r.carrier_msg_id,
    connectorId: r.connector_id,
    statusCode: r.status_code,
    errorCode: r.error_code,
    submittedAt: numOrNull(r.submitted_at),
    receiptAt: numOrNull(r.receipt_at),
  };
}

export function toEvent(r: Selectable<EventsTable>): MessageEvent {
  return {
    messageId: Number(r.message_id),
    at: Number(r.at),
    kind: r.kind as EventKind,
    seq: r.seq,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

export function toOutbox(r: Selectable<OutboxTable>): OutboxRecord {
  return {
    id: Number(r.id),
    kind: r.kind as OutboxRecord['kind'],
    appId: r.app_id,
    messageId: numOrNull(r.message_id),
    moId: numOrNull(r.mo_id),
    url: r.url,
    payload: JSON.parse(r.payload) as Record<string, string>,
    state: r.state as OutboxRecord['state'],
    attempts: r.attempts,
    dueAt: Number(r.due_at),
    createdAt: Number(r.created_at),
    lastAttemptAt: numOrNull(r.last_attempt_at),
    lastHttpStatus: r.last_http_status,
    lastError: r.last_error,
  };
}

export function toAttempt(r: Selectable<PushAttemptsTable>): PushAttempt {
  return {
    outboxId: Number(r.outbox_id),
    at: Number(r.at),
    httpStatus: r.http_status,
    latencyMs: r.latency_ms,
    error: r.error,
  };
}

export function toMo(r: Selectable<MoTable>): MoRecord {
  return {
    id: Number(r.id),
    smsMsgId: r.sms_msg_id,
    appId: r.app_id,
    from: r.from_number,
    to: r.to_number,
    body: r.body,
    connectorId: r.connector_id,
    receivedAt: Number(r.received_at),
  };
}

export function toBlock(r: Selectable<BlocksTable>): BlockRecord {
  return {
    id: Number(r.id),
    appId: r.app_id,
    number: r.number,
    scope: r.scope as BlockRecord['scope'],
    reason: r.reason as BlockRecord['reason'],
    note: r.note,
    createdAt: Number(r.created_at),
  };
}

export function toConnector(r: Selectable<ConnectorsTable>): ConnectorRecord {
  const cfg = JSON.parse(r.config) as NewConnector;
  return { ...cfg, id: r.id, name: r.name, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

export function toRoute(r: Selectable<RoutesTable>): RouteRecord {
  const cfg = JSON.parse(r.config) as NewRoute;
  return {
    ...cfg,
    id: r.id,
    name: r.name,
    priority: r.priority,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
