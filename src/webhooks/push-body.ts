/**
 * The bytes of each push kind. The outbox row's `payload` already holds the wire fields (the store
 * wrote them when the report or MO was committed); this file only fixes their order and encoding.
 *
 * Field order is deliberate even though no parser depends on it: a receiver that logs or signs the
 * raw body sees what Huawei's own platform sends.
 * - status (spec §6, official example): sequence, total, orgCode, updateTime, source, smsMsgId,
 *   status, statusDesc, extend, to.
 * - uplink (spec §8, official example): from, to, body, smsMsgId, createTime.
 * - batch element (spec §7 lists the first three first): smsMsgId, total, sequence, status,
 *   statusDesc, source, updateTime, orgCode, extend, to.
 * Fields the payload lacks are omitted (never sent empty); unknown fields follow, in payload order.
 */
export const STATUS_FIELD_ORDER: readonly string[] = Object.freeze([
  'sequence',
  'total',
  'orgCode',
  'updateTime',
  'source',
  'smsMsgId',
  'status',
  'statusDesc',
  'extend',
  'to',
]);

export const UPLINK_FIELD_ORDER: readonly string[] = Object.freeze([
  'from',
  'to',
  'body',
  'smsMsgId',
  'createTime',
]);

export const BATCH_ELEMENT_ORDER: readonly string[] = Object.freeze([
  'smsMsgId',
  'total',
  'sequence',
  'status',
  'statusDesc',
  'source',
  'updateTime',
  'orgCode',
  'extend',
  'to',
]);

/** Payload entries in `order` first, then the rest; undefined/null values dropped. */
export function orderFields(
  payload: Record<string, string>,
  order: readonly string[],
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const k of order) {
    const v = payload[k];
    if (v !== undefined && v !== null) out.push([k, String(v)]);
  }
  for (const [k, v] of Object.entries(payload)) {
    if (!order.includes(k) && v !== undefined && v !== null) out.push([k, String(v)]);
  }
  return out;
}

/**
 * `application/x-www-form-urlencoded` per the WHATWG serializer (`:` → `%3A`, `+` → `%2B`, space →
 * `+`), which is what form parsers everywhere decode.
 */
export function formBody(fields: Array<[string, string]>): string {
  return new URLSearchParams(fields).toString();
}

/** Form body of one status report (spec §6). */
export function statusReportBody(payload: Record<string, string>): string {
  return formBody(orderFields(payload, STATUS_FIELD_ORDER));
}

/** Form body of one uplink push (spec §8). */
export function uplinkBody(payload: Record<string, string>): string {
  return formBody(orderFields(payload, UPLINK_FIELD_ORDER));
}

/** JSON body of a batch push (spec §7): `{"statusReportList":[…]}`, elements in the given order. */
export function batchReportBody(payloads: Array<Record<string, string>>): string {
  return JSON.stringify({
    statusReportList: payloads.map((p) => Object.fromEntries(orderFields(p, BATCH_ELEMENT_ORDER))),
  });
}
