/**
 * Turns the two wire shapes of the send API (form fields of batchSendSms, JSON of
 * batchSendDiffSms) into one {@link SendRequest}, applying the request-level rules that fail the
 * whole request: `E000000` (unparsable) and `E000503` (parameter format). Pure; never throws,
 * whatever the body (a hostile body gets a code, not an HTTP 500).
 */
import { hasIllegalCharacters, splitRecipients } from '../../domain/phone.js';
import { jsonByteLengthUpTo } from './json-byte-length.js';

/** Most recipients per request (batchSendSms) or per group (batchSendDiffSms), spec §3.2/§3.3. */
export const MAX_RECIPIENTS = 500;
/**
 * `smsContent` size limit of batchSendDiffSms, bytes of its compact JSON (spec §3.3: 64 KB).
 * Measured by {@link jsonByteLengthUpTo}, which does not recurse (deeply nested bodies).
 */
export const MAX_SMS_CONTENT_BYTES = 64 * 1024;
/** Longest accepted `statusCallback` (spec leaves it open; 255 is the common bound). */
export const MAX_CALLBACK_LENGTH = 255;
/** `extend` length bounds (spec §3.2: String(1-128)). */
export const MAX_EXTEND_LENGTH = 128;

/** One template + recipient list: the whole of a batchSendSms, or one `smsContent` element. */
export interface SendGroup {
  /** Recipient items as sent (trimmed), not yet normalised. */
  to: string[];
  templateId: string;
  /** Parsed templateParas; not yet checked against the template (that is per number, E200028). */
  params: unknown[];
  /**
   * `signature` parameter as sent, or null when absent, empty or not a string. Not checked here:
   * it is only used by universal templates (spec §3.2), so it is judged per number there
   * (`E200031`), and a stray value next to a bound template is ignored.
   */
  signature: string | null;
}

export interface SendRequest {
  from: string;
  statusCallback: string | null;
  extend: string | null;
  groups: SendGroup[];
}

export type ParseResult = { ok: true; request: SendRequest } | { ok: false; code: 'E000000' | 'E000503' };

const fail503 = { ok: false, code: 'E000503' } as const;
const fail000 = { ok: false, code: 'E000000' } as const;

function isHttpUrl(s: string): boolean {
  if (s.length > MAX_CALLBACK_LENGTH) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Common checks of `from`, `statusCallback`, `extend`; null when fine. */
function checkCommon(from: unknown, statusCallback: unknown, extend: unknown): SendRequest | null {
  if (typeof from !== 'string' || from.length < 1 || from.length > 21) return null;
  let callback: string | null = null;
  if (statusCallback !== undefined && statusCallback !== null) {
    if (typeof statusCallback !== 'string') return null;
    if (statusCallback !== '') {
      if (!isHttpUrl(statusCallback)) return null;
      callback = statusCallback;
    }
  }
  let ext: string | null = null;
  if (extend !== undefined && extend !== null) {
    if (
      typeof extend !== 'string' ||
      extend.length < 1 ||
      extend.length > MAX_EXTEND_LENGTH ||
      /[{}]/.test(extend)
    ) {
      return null;
    }
    ext = extend;
  }
  return { from, statusCallback: callback, extend: ext, groups: [] };
}

function checkTemplateId(id: unknown): id is string {
  return typeof id === 'string' && id.length >= 1 && id.length <= 32;
}

/** The `signature` parameter, unchecked (see {@link SendGroup.signature}). */
function signatureOf(sig: unknown): string | null {
  return typeof sig === 'string' && sig !== '' ? sig : null;
}

/**
 * Recipient items of the form API's `to`. One trailing empty item is dropped (`a,b,` is the
 * artefact of joining with a separator after every number, not a third recipient). Any other
 * blank item makes the list malformed: null (→ `E000503`), because a result entry for it would
 * need an `originTo` and the spec bounds that to 1–21 characters.
 */
function formRecipients(to: string): string[] | null {
  const items = splitRecipients(to);
  if (items.length > 1 && items[items.length - 1] === '') items.pop();
  if (items.length === 0 || items.includes('')) return null;
  return items;
}

/** batchSendSms: form fields → request. `templateParas` is a JSON array in a string. */
export function formToSendRequest(fields: Record<string, string>): ParseResult {
  let params: unknown[] = [];
  const paras = fields.templateParas;
  if (paras !== undefined && paras.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(paras);
    } catch {
      return fail000;
    }
    if (!Array.isArray(parsed)) return fail000;
    params = parsed;
  }
  const base = checkCommon(fields.from, fields.statusCallback, fields.extend);
  if (!base) return fail503;
  const to = fields.to;
  if (typeof to !== 'string' || hasIllegalCharacters(to)) return fail503;
  const items = formRecipients(to);
  if (!items || items.length > MAX_RECIPIENTS) return fail503;
  if (!checkTemplateId(fields.templateId)) return fail503;
  base.groups.push({
    to: items,
    templateId: fields.templateId,
    params,
    signature: signatureOf(fields.signature),
  });
  return { ok: true, request: base };
}

/** batchSendDiffSms: JSON body → request. `templateParas` is a real array here. */
export function jsonToSendRequest(body: Buffer): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return fail000;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail000;
  const d = doc as Record<string, unknown>;
  const content = d.smsContent;
  if (!Array.isArray(content)) return content === undefined ? fail503 : fail000;
  // Parse problems inside the groups (templateParas not an array) are E000000, checked first.
  for (const g of content) {
    if (typeof g !== 'object' || g === null || Array.isArray(g)) return fail503;
    const p = (g as Record<string, unknown>).templateParas;
    if (p !== undefined && p !== null && !Array.isArray(p)) return fail000;
  }
  const base = checkCommon(d.from, d.statusCallback, d.extend);
  if (!base) return fail503;
  if (content.length === 0) return fail503;
  if (jsonByteLengthUpTo(content, MAX_SMS_CONTENT_BYTES) > MAX_SMS_CONTENT_BYTES) return fail503;
  for (const g of content as Record<string, unknown>[]) {
    const to = g.to;
    if (!Array.isArray(to) || to.length === 0 || to.length > MAX_RECIPIENTS) return fail503;
    const items: string[] = [];
    for (const n of to) {
      // A blank item is malformed, as in the form API (no trailing-comma artefact in JSON).
      if (typeof n !== 'string' || /[^0-9+\s]/.test(n) || n.trim() === '') return fail503;
      items.push(n.trim());
    }
    if (!checkTemplateId(g.templateId)) return fail503;
    const params = Array.isArray(g.templateParas) ? g.templateParas : [];
    base.groups.push({ to: items, templateId: g.templateId, params, signature: signatureOf(g.signature) });
  }
  return { ok: true, request: base };
}
