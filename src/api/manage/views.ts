/**
 * How records look in the management API: store records with epoch-ms times turned into ISO 8601
 * strings, secrets removed, and a few derived fields. One function per record kind.
 */
import { sendResultOf } from '../../domain/message-state.js';
import { parseTemplate } from '../../domain/template.js';
import type {
  AppRecord,
  BlockRecord,
  ConnectorRecord,
  MessageEvent,
  MessagePartRecord,
  MessageRecord,
  MoRecord,
  OutboxRecord,
  PushAttempt,
  RouteRecord,
  SignatureRecord,
  TemplateRecord,
} from '../../store/records.js';

/** Epoch ms → ISO 8601 (null stays null). */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export function appView(a: AppRecord) {
  const { appSecret: _secret, ...rest } = a;
  return { ...rest, createdAt: iso(a.createdAt), updatedAt: iso(a.updatedAt) };
}

export function signatureView(s: SignatureRecord) {
  return { ...s, createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) };
}

export function templateView(t: TemplateRecord) {
  const parsed = parseTemplate(t.content, t.variableAttributes);
  const variables = parsed.ok
    ? parsed.variables.map((v) => ({
        position: v.position,
        token: v.token,
        attribute: v.attribute,
        maxLength: v.maxLength,
      }))
    : [];
  return { ...t, variables, createdAt: iso(t.createdAt), updatedAt: iso(t.updatedAt) };
}

export function messageView(m: MessageRecord) {
  return {
    ...m,
    result: sendResultOf(m.state),
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    finalAt: iso(m.finalAt),
  };
}

export function partView(p: MessagePartRecord) {
  return { ...p, submittedAt: iso(p.submittedAt), receiptAt: iso(p.receiptAt) };
}

export function eventView(e: MessageEvent) {
  return { ...e, at: iso(e.at) };
}

export function outboxView(o: OutboxRecord) {
  return { ...o, dueAt: iso(o.dueAt), createdAt: iso(o.createdAt), lastAttemptAt: iso(o.lastAttemptAt) };
}

export function attemptView(a: PushAttempt) {
  return { ...a, at: iso(a.at) };
}

export function moView(m: MoRecord) {
  return { ...m, receivedAt: iso(m.receivedAt) };
}

export function blockView(b: BlockRecord) {
  return { ...b, createdAt: iso(b.createdAt) };
}

export function connectorView(c: ConnectorRecord) {
  return { ...c, password: '***', createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) };
}

export function routeView(r: RouteRecord) {
  return { ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
}
