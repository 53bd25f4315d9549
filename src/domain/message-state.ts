/**
 * Lifecycle of one message part (and, aggregated, of one recipient's message).
 *
 *   ACCEPTED ─▶ QUEUED ─▶ SUBMITTED ─▶ DELIVERED | UNDELIVERED | EXPIRED | REJECTED
 *      │           │           │
 *      └───────────┴───────────┴──▶ FAILED (platform gave up: no route, retries exhausted, intercepted)
 *
 * - ACCEPTED: stored after the send API answered `000000`.
 * - QUEUED: picked up by the engine, waiting for a connector window slot.
 * - SUBMITTED: the SMSC acknowledged submit_sm (has a message id); waiting for the receipt.
 * - The five others are final. REJECTED also covers a submit_sm_resp error from the SMSC.
 */
export type MessageState =
  | 'ACCEPTED'
  | 'QUEUED'
  | 'SUBMITTED'
  | 'DELIVERED'
  | 'UNDELIVERED'
  | 'EXPIRED'
  | 'REJECTED'
  | 'FAILED';

export const FINAL_STATES: ReadonlySet<MessageState> = new Set<MessageState>([
  'DELIVERED',
  'UNDELIVERED',
  'EXPIRED',
  'REJECTED',
  'FAILED',
]);

export function isFinalState(s: MessageState): boolean {
  return FINAL_STATES.has(s);
}

const ORDER: Readonly<Record<'ACCEPTED' | 'QUEUED' | 'SUBMITTED', number>> = {
  ACCEPTED: 0,
  QUEUED: 1,
  SUBMITTED: 2,
};

/**
 * Whether `from → to` is a legal move. Non-final states move forward only (skipping is allowed:
 * ACCEPTED → SUBMITTED); a non-final state may move back to QUEUED for a retry (SUBMITTED →
 * QUEUED after a throttled or timed-out submit). Any non-final state may become final, except
 * that a carrier outcome (DELIVERED…REJECTED) needs a prior submit, so only FAILED and REJECTED
 * are reachable from ACCEPTED/QUEUED. Final states never change (a late receipt is ignored).
 */
export function canTransition(from: MessageState, to: MessageState): boolean {
  if (isFinalState(from)) return false;
  const f = from as keyof typeof ORDER;
  if (!isFinalState(to)) {
    const t = to as keyof typeof ORDER;
    return ORDER[t] > ORDER[f] || (t === 'QUEUED' && f === 'SUBMITTED');
  }
  if (to === 'FAILED' || to === 'REJECTED') return true;
  return f === 'SUBMITTED';
}

/**
 * Map a delivery-receipt `stat` to a state. ACCEPTD is not final (the SMSC took it but has no
 * outcome yet) so it keeps SUBMITTED; unknown values count as UNDELIVERED.
 */
export function stateForReceiptStat(stat: string): MessageState {
  switch (stat.trim().toUpperCase()) {
    case 'DELIVRD':
      return 'DELIVERED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'REJECTD':
      return 'REJECTED';
    case 'ACCEPTD':
      return 'SUBMITTED';
    default:
      // UNDELIV, DELETED, UNKNOWN and anything else.
      return 'UNDELIVERED';
  }
}

/** Severity of final failures, worst first. */
const WORST_FIRST: readonly MessageState[] = ['FAILED', 'REJECTED', 'UNDELIVERED', 'EXPIRED'];

/**
 * State of a multi-part message from its parts: DELIVERED only when every part is; SUBMITTED
 * while any part is not final (the message is still in flight); otherwise the worst final
 * state (FAILED > REJECTED > UNDELIVERED > EXPIRED). An empty list yields ACCEPTED.
 */
export function aggregateMessageState(partStates: MessageState[]): MessageState {
  if (partStates.length === 0) return 'ACCEPTED';
  if (partStates.every((s) => s === 'DELIVERED')) return 'DELIVERED';
  if (partStates.some((s) => !isFinalState(s))) return 'SUBMITTED';
  for (const s of WORST_FIRST) if (partStates.includes(s)) return s;
  return 'UNDELIVERED';
}

/** Console "send result" filter. */
export type SendResult = 'success' | 'failed' | 'sending';

/** success = DELIVERED; failed = any other final state; sending = not final yet. */
export function sendResultOf(state: MessageState): SendResult {
  if (state === 'DELIVERED') return 'success';
  return isFinalState(state) ? 'failed' : 'sending';
}
