/**
 * What the SMSC simulator does with one submit_sm, decided from the destination number alone
 * (pure; the simulator applies the plan). Order of precedence:
 *
 * 1. magic numbers — the LAST FOUR digits of the destination (see {@link MAGIC_NUMBERS});
 *    they are documented to developers, so no rule can shadow them (unless `magicNumbers:
 *    false`);
 * 2. configured rules, first match wins (prefix or regular expression, optional probability);
 * 3. the default: accepted, DELIVRD after `receiptDelayMs`.
 */
import type { ReceiptStat } from '../smpp/receipt.js';

/** Every outcome a submit can be given (magic numbers and rules use the same names). */
export type ScenarioOutcome =
  /** Accepted; DELIVRD receipt after the receipt delay. */
  | 'DELIVRD'
  /** Accepted; UNDELIV receipt. */
  | 'UNDELIV'
  /** Accepted; EXPIRED receipt. */
  | 'EXPIRED'
  /** Accepted; REJECTD receipt. */
  | 'REJECTD'
  /** Accepted; UNKNOWN receipt. */
  | 'UNKNOWN'
  /** Accepted; no receipt is ever sent. */
  | 'NO_RECEIPT'
  /** submit_sm_resp with ESME_RSUBMITFAIL (0x45); nothing else. */
  | 'SUBMIT_FAIL'
  /** ESME_RTHROTTLED (0x58) on the first attempt, accepted (DELIVRD) when submitted again. */
  | 'THROTTLED_ONCE'
  /** Accepted; DELIVRD receipt after `slowReceiptDelayMs` (default 10 s). */
  | 'SLOW_RECEIPT'
  /** No submit_sm_resp at all (the ESME's response timeout must fire). */
  | 'NO_RESPONSE';

export const SCENARIO_OUTCOMES: readonly ScenarioOutcome[] = [
  'DELIVRD',
  'UNDELIV',
  'EXPIRED',
  'REJECTD',
  'UNKNOWN',
  'NO_RECEIPT',
  'SUBMIT_FAIL',
  'THROTTLED_ONCE',
  'SLOW_RECEIPT',
  'NO_RESPONSE',
];

/**
 * The magic recipient numbers: any destination whose last four digits are `suffix` gets
 * `outcome` (e.g. `+8613900001001` → UNDELIV). Shown in the README, the console and the API.
 */
export const MAGIC_NUMBERS: Array<{ suffix: string; outcome: ScenarioOutcome; description: string }> = [
  {
    suffix: '1001',
    outcome: 'UNDELIV',
    description: 'Accepted, then an UNDELIV delivery receipt (err:001).',
  },
  { suffix: '1002', outcome: 'EXPIRED', description: 'Accepted, then an EXPIRED delivery receipt.' },
  { suffix: '1003', outcome: 'REJECTD', description: 'Accepted, then a REJECTD delivery receipt (err:002).' },
  { suffix: '1004', outcome: 'NO_RECEIPT', description: 'Accepted, but no delivery receipt is ever sent.' },
  {
    suffix: '1005',
    outcome: 'SUBMIT_FAIL',
    description: 'submit_sm_resp with ESME_RSUBMITFAIL (0x45): refused by the SMSC.',
  },
  {
    suffix: '1006',
    outcome: 'THROTTLED_ONCE',
    description: 'ESME_RTHROTTLED (0x58) on the first attempt, accepted and DELIVRD on the retry.',
  },
  {
    suffix: '1007',
    outcome: 'SLOW_RECEIPT',
    description: 'Accepted, DELIVRD receipt after 10 seconds (simulator.slowReceiptDelayMs).',
  },
  {
    suffix: '1008',
    outcome: 'NO_RESPONSE',
    description: 'No submit_sm_resp at all: the sender must time out and retry.',
  },
  { suffix: '1009', outcome: 'UNKNOWN', description: 'Accepted, then an UNKNOWN delivery receipt.' },
];

/** A configured rule: number pattern → outcome. */
export interface ScenarioRule {
  /**
   * Destination prefix, compared with the digits of the number (`+86139` and `86139` are the
   * same prefix). One of `prefix` / `pattern` is required; both must match when both are set.
   */
  prefix?: string;
  /** Regular expression tested against the destination as received (e.g. `^\\+?44`). */
  pattern?: string | RegExp;
  outcome: ScenarioOutcome;
  /** Chance (0..1) that a matching number gets this outcome; otherwise the next rule is tried. Default 1. */
  probability?: number;
  /** Receipt delay for this rule, ms; default the scenario's `receiptDelayMs`. */
  receiptDelayMs?: number;
  /** Delay before the submit_sm_resp, ms; default the scenario's `responseDelayMs`. */
  responseDelayMs?: number;
}

export interface ScenarioConfig {
  /** Delay from submit_sm_resp to the receipt. Default 200 ms (feels instant, still asynchronous). */
  receiptDelayMs: number;
  /** Receipt delay of SLOW_RECEIPT (magic 1007). Default 10 000 ms, as documented. */
  slowReceiptDelayMs: number;
  /** Delay before every submit_sm_resp (carrier latency). Default 0. */
  responseDelayMs: number;
  /** Honour the magic numbers. Default true. */
  magicNumbers: boolean;
  rules: ScenarioRule[];
}

export const DEFAULT_RECEIPT_DELAY_MS = 200;
export const DEFAULT_SLOW_RECEIPT_DELAY_MS = 10_000;

/** Fills the defaults and validates the rules. @throws RangeError on a rule without a matcher or a bad outcome. */
export function resolveScenarioConfig(partial: Partial<ScenarioConfig> = {}): ScenarioConfig {
  const rules = partial.rules ?? [];
  for (const [i, r] of rules.entries()) {
    if (r.prefix === undefined && r.pattern === undefined)
      throw new RangeError(`scenario rule ${i}: needs prefix or pattern`);
    if (!SCENARIO_OUTCOMES.includes(r.outcome))
      throw new RangeError(`scenario rule ${i}: unknown outcome ${String(r.outcome)}`);
    if (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1))
      throw new RangeError(`scenario rule ${i}: probability must be 0..1`);
  }
  return {
    receiptDelayMs: partial.receiptDelayMs ?? DEFAULT_RECEIPT_DELAY_MS,
    slowReceiptDelayMs: partial.slowReceiptDelayMs ?? DEFAULT_SLOW_RECEIPT_DELAY_MS,
    responseDelayMs: partial.responseDelayMs ?? 0,
    magicNumbers: partial.magicNumbers ?? true,
    rules: rules.map((r) => ({
      ...r,
      pattern: typeof r.pattern === 'string' ? new RegExp(r.pattern) : r.pattern,
    })),
  };
}

/** The plan for one submit_sm. */
export interface SubmitPlan {
  outcome: ScenarioOutcome;
  /** Where the outcome came from: a magic suffix, a rule index, or the default. */
  source: { kind: 'magic'; suffix: string } | { kind: 'rule'; index: number } | { kind: 'default' };
  /** How to answer: accept (with a new message id), refuse with a status, or stay silent. */
  response: { kind: 'accept' } | { kind: 'error'; commandStatus: number } | { kind: 'none' };
  /** Refuse the first attempt with ESME_RTHROTTLED, accept the next (the simulator remembers). */
  throttleFirstAttempt: boolean;
  responseDelayMs: number;
  /** The receipt to send after `delayMs`, or null for none. */
  receipt: { stat: ReceiptStat; err: string; delayMs: number } | null;
}

const ESME_RSUBMITFAIL = 0x45;

// Receipt `err:` per stat. Real SMSCs use their own (network) codes; these are stable and
// non-zero for failures so a reader can tell them apart.
const RECEIPT_ERR: Partial<Record<ReceiptStat, string>> = {
  DELIVRD: '000',
  UNDELIV: '001',
  REJECTD: '002',
  EXPIRED: '003',
  UNKNOWN: '004',
};

/** The digits of a number (`+86 139-0000 1001` → `8613900001001`). */
export function digitsOf(number: string): string {
  return number.replace(/\D/g, '');
}

/** The magic entry for a destination, when its last four digits are magic. */
export function magicFor(destination: string): (typeof MAGIC_NUMBERS)[number] | undefined {
  const d = digitsOf(destination);
  if (d.length < 4) return undefined;
  const suffix = d.slice(-4);
  return MAGIC_NUMBERS.find((m) => m.suffix === suffix);
}

function planFor(
  outcome: ScenarioOutcome,
  source: SubmitPlan['source'],
  cfg: ScenarioConfig,
  rule?: ScenarioRule,
): SubmitPlan {
  const delay = rule?.receiptDelayMs ?? cfg.receiptDelayMs;
  const responseDelayMs = rule?.responseDelayMs ?? cfg.responseDelayMs;
  const receipt = (stat: ReceiptStat, delayMs = delay) => ({
    stat,
    err: RECEIPT_ERR[stat] ?? '000',
    delayMs,
  });
  const base = {
    outcome,
    source,
    responseDelayMs,
    throttleFirstAttempt: false,
    response: { kind: 'accept' } as SubmitPlan['response'],
  };
  switch (outcome) {
    case 'DELIVRD':
    case 'UNDELIV':
    case 'EXPIRED':
    case 'REJECTD':
    case 'UNKNOWN':
      return { ...base, receipt: receipt(outcome) };
    case 'NO_RECEIPT':
      return { ...base, receipt: null };
    case 'SUBMIT_FAIL':
      return { ...base, response: { kind: 'error', commandStatus: ESME_RSUBMITFAIL }, receipt: null };
    case 'THROTTLED_ONCE':
      return { ...base, throttleFirstAttempt: true, receipt: receipt('DELIVRD') };
    case 'SLOW_RECEIPT':
      return { ...base, receipt: receipt('DELIVRD', rule?.receiptDelayMs ?? cfg.slowReceiptDelayMs) };
    case 'NO_RESPONSE':
      return { ...base, response: { kind: 'none' }, receipt: null };
  }
}

function ruleMatches(rule: ScenarioRule, destination: string): boolean {
  if (rule.prefix !== undefined && !digitsOf(destination).startsWith(digitsOf(rule.prefix))) return false;
  if (rule.pattern !== undefined) {
    const re = typeof rule.pattern === 'string' ? new RegExp(rule.pattern) : rule.pattern;
    re.lastIndex = 0;
    if (!re.test(destination)) return false;
  }
  return true;
}

/**
 * Decides the plan for a submit to `destination`. `random` returns [0, 1) and decides rules
 * with a probability (injectable so tests are deterministic).
 */
export function decideSubmit(
  destination: string,
  cfg: ScenarioConfig,
  random: () => number = Math.random,
): SubmitPlan {
  if (cfg.magicNumbers) {
    const m = magicFor(destination);
    if (m) return planFor(m.outcome, { kind: 'magic', suffix: m.suffix }, cfg);
  }
  for (const [index, rule] of cfg.rules.entries()) {
    if (!ruleMatches(rule, destination)) continue;
    if (rule.probability !== undefined && rule.probability < 1 && !(random() < rule.probability)) continue;
    return planFor(rule.outcome, { kind: 'rule', index }, cfg, rule);
  }
  return planFor('DELIVRD', { kind: 'default' }, cfg);
}
