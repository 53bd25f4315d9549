/**
 * The per-number half of the send pipeline: given a parsed {@link SendRequest} and what the store
 * knows (the app, the `from` channel's signature, the templates and signatures it names), decide
 * each recipient's status and build the messages to commit. Pure: no I/O, the clock and the id
 * generator are passed in.
 *
 * Status choices (documented in docs/management-api.md, "Send API decisions"):
 * invalid number E200031 → template unusable E200030 → type mismatch E200029 → signature/channel
 * mismatch E200031 (a bound template through another signature's channel; a universal template
 * whose `signature` is missing or is not the `from` channel's signature) → templateParas E200028
 * → duplicate for the same content E200041.
 */
import { createHash } from 'node:crypto';
import { segmentText } from '../../domain/segments.js';
import {
  parseTemplate,
  renderMessage,
  renderTemplate,
  type TemplateVariable,
  validateParams,
} from '../../domain/template.js';
import type { AppRecord, NewMessage, SignatureRecord, TemplateRecord } from '../../store/records.js';
import { normalizeRecipient } from './recipient-number.js';
import type { SendGroup, SendRequest } from './send-request.js';

/** One entry of the response `result`, in request order. */
export interface PlannedEntry {
  originTo: string;
  /** `000000` or a per-number code. */
  status: string;
  /** Present when accepted: the row to commit. */
  message?: NewMessage;
  countryId?: string;
}

export interface SendContext {
  app: AppRecord;
  /** Mainland apps: the approved signature whose channel number is `from`. Null for international apps. */
  channelSignature: SignatureRecord | null;
  /** Templates named by the request (undefined = not found). */
  templates: ReadonlyMap<string, TemplateRecord | undefined>;
  /**
   * @deprecated Not read: a universal template's `signature` must name the `from` channel's
   * signature ({@link channelSignature}), so no other signature is ever looked up. Optional so
   * callers that still pass it compile.
   */
  signaturesByName?: ReadonlyMap<string, SignatureRecord | undefined>;
  /** Variables of a template (callers may cache); null when the stored content does not parse. */
  variablesOf(tpl: TemplateRecord): TemplateVariable[] | null;
  now: number;
  newSmsMsgId(): string;
}

interface GroupOutcome {
  status: string;
  rendered?: {
    content: string;
    contentHash: string;
    encoding: NewMessage['encoding'];
    total: number;
    template: TemplateRecord;
    signature: SignatureRecord | null;
  };
}

/** Default variable parser for {@link SendContext.variablesOf}. */
export function templateVariables(tpl: TemplateRecord): TemplateVariable[] | null {
  const parsed = parseTemplate(tpl.content, tpl.variableAttributes);
  return parsed.ok ? parsed.variables : null;
}

function resolveGroup(group: SendGroup, ctx: SendContext): GroupOutcome {
  const tpl = ctx.templates.get(group.templateId);
  if (!tpl || tpl.appId !== ctx.app.id || tpl.status !== 'active') return { status: 'E200030' };
  let signature: SignatureRecord | null = null;
  if (ctx.app.region === 'cn') {
    const channel = ctx.channelSignature;
    if (!channel) return { status: 'E200031' };
    if (tpl.universal) {
      if (channel.type !== tpl.type) return { status: 'E200029' };
      // Mainland channel numbers belong to one signature (spec §1, §3.2 `from`), so the signature
      // a universal template names must be the `from` channel's own; otherwise the text would
      // carry 【B】 over signature A's channel. The channel signature is already the app's and
      // approved, so no lookup by name is needed (names are unique within an app).
      if (group.signature !== channel.name) return { status: 'E200031' };
      signature = channel;
    } else {
      if (channel.type !== tpl.type) return { status: 'E200029' };
      if (tpl.signatureId !== channel.id) return { status: 'E200031' };
      signature = channel;
    }
  }
  const variables = ctx.variablesOf(tpl);
  if (!variables) return { status: 'E200028' };
  const values = validateParams(variables, group.params);
  if (!values.ok) return { status: 'E200028' };
  const content = renderMessage(
    signature ? signature.name : null,
    renderTemplate(tpl.content, variables, values.values),
  );
  const seg = segmentText(content);
  return {
    status: '000000',
    rendered: {
      content,
      contentHash: createHash('sha256').update(content).digest('hex'),
      encoding: seg.encoding,
      total: seg.total,
      template: tpl,
      signature,
    },
  };
}

/** Decide every recipient of `req`; accepted entries carry the message to commit. */
export function planSend(req: SendRequest, ctx: SendContext): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  const seen = new Set<string>();
  for (const group of req.groups) {
    const outcome = resolveGroup(group, ctx);
    for (const item of group.to) {
      const n = normalizeRecipient(item, ctx.app.region);
      if (!n.ok) {
        entries.push({ originTo: item, status: 'E200031' });
        continue;
      }
      const r = outcome.rendered;
      if (!r) {
        entries.push({ originTo: n.e164, status: outcome.status });
        continue;
      }
      const key = `${r.contentHash}\n${n.e164}`;
      if (seen.has(key)) {
        entries.push({ originTo: n.e164, status: 'E200041' });
        continue;
      }
      seen.add(key);
      entries.push({
        originTo: n.e164,
        status: '000000',
        countryId: n.countryId,
        message: {
          smsMsgId: ctx.newSmsMsgId(),
          appId: ctx.app.id,
          templateId: r.template.id,
          templateType: r.template.type,
          signatureId: r.signature ? r.signature.id : null,
          signatureName: r.signature ? r.signature.name : null,
          channelNumber: req.from,
          to: n.e164,
          countryId: n.countryId,
          content: r.content,
          contentHash: r.contentHash,
          encoding: r.encoding,
          total: r.total,
          statusCallback: req.statusCallback,
          extend: req.extend,
          taskId: null,
          createdAt: ctx.now,
        },
      });
    }
  }
  return entries;
}
