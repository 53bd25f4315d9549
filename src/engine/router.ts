import type { TemplateType } from '../domain/signature.js';
import type { RouteMatch, RouteRecord } from '../store/records.js';

/** The facts of a message a route rule can look at. */
export interface RouteInput {
  /** E.164 with `+`. */
  to: string;
  /** ISO 3166 alpha-2 (case-insensitive). */
  countryId: string;
  appId: string;
  templateType: TemplateType;
}

/**
 * Whether a rule matches. Criteria that are absent or empty match everything; present criteria
 * must all match (AND), and within one criterion any value may match (OR). Prefixes are compared
 * on digits, so `+86139`, `86139` and `86 139` are the same prefix.
 */
export function routeMatches(match: RouteMatch, msg: RouteInput): boolean {
  if (match.prefixes && match.prefixes.length > 0) {
    const to = digits(msg.to);
    if (!match.prefixes.some((p) => to.startsWith(digits(p)))) return false;
  }
  if (match.countries && match.countries.length > 0) {
    const c = msg.countryId.toUpperCase();
    if (!match.countries.some((x) => x.toUpperCase() === c)) return false;
  }
  if (match.appIds && match.appIds.length > 0 && !match.appIds.includes(msg.appId)) return false;
  if (
    match.templateTypes &&
    match.templateTypes.length > 0 &&
    !match.templateTypes.includes(msg.templateType)
  ) {
    return false;
  }
  return true;
}

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

/**
 * Ordered route rules → the connectors to try for a message. Pure apart from the round-robin
 * cursor, which lives in the instance (one per dispatcher; a cluster's nodes rotate
 * independently, which still spreads load evenly).
 *
 * Rules are tried by `priority` (lower first; ties keep list order); disabled rules are skipped;
 * the first matching rule decides, even when none of its connectors is usable right now — a
 * message is never silently sent through a route meant for other traffic.
 */
export class Router {
  readonly #routes: RouteRecord[];
  readonly #cursor = new Map<string, number>();

  constructor(routes: readonly RouteRecord[]) {
    this.#routes = routes
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.enabled)
      .sort((a, b) => a.r.priority - b.r.priority || a.i - b.i)
      .map(({ r }) => r);
  }

  /** The first matching enabled rule, or null. */
  match(msg: RouteInput): RouteRecord | null {
    for (const r of this.#routes) if (routeMatches(r.match, msg)) return r;
    return null;
  }

  /**
   * Connector ids in the order to try them, limited to `known` connectors (enabled ones), or null
   * when no rule matches or the matching rule names no known connector (→ `E200027`, no gateway).
   * `failover`: the rule's order, always. `roundrobin`: rotated by one on every call, so successive
   * messages start at successive connectors and the rest remain as failover.
   */
  candidates(msg: RouteInput, known: (connectorId: string) => boolean): string[] | null {
    const route = this.match(msg);
    if (!route) return null;
    const ids = route.connectorIds.filter(known);
    if (ids.length === 0) return null;
    if (route.strategy !== 'roundrobin' || ids.length === 1) return ids;
    const n = this.#cursor.get(route.id) ?? 0;
    this.#cursor.set(route.id, (n + 1) % 1_000_000_007);
    const k = n % ids.length;
    return [...ids.slice(k), ...ids.slice(0, k)];
  }
}
