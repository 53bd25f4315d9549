/** Reply keywords that opt a number out (compared trimmed and case-insensitively). */
export const OPT_OUT_KEYWORDS: readonly string[] = Object.freeze(['R', 'TD', 'STOP', 'UNSUBSCRIBE']);

/**
 * True when an uplink (MO) body is an opt-out request. Only the whole (trimmed) body counts:
 * "stop" opts out, "please stop sending" does not — a loose match would blocklist people who
 * merely mention the word. `R` is the keyword mainland promotion templates must advertise.
 */
export function isOptOutText(body: string): boolean {
  return OPT_OUT_KEYWORDS.includes(body.trim().toUpperCase());
}
