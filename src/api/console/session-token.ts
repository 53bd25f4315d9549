/**
 * Stateless console sessions: the `sid` cookie is `base64url(JSON payload) + "." + base64url(HMAC-SHA256)`.
 * Any node that shares the key verifies it, so a cluster needs no sticky sessions and a restart
 * logs nobody out. Revocation works through the user's `ver` counter (bumped on password change,
 * role change or delete): a token whose `ver` differs from the user's is refused.
 *
 * The CSRF token is derived from the session's random nonce with the same key, so it is bound to
 * the session (a token stolen from another session, or set by a sibling subdomain, does not match).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionPayload {
  /** User name. */
  u: string;
  /** User's revocation counter at login. */
  v: number;
  /** Expiry, epoch ms. */
  exp: number;
  /** Random nonce; the CSRF token is derived from it. */
  n: string;
}

/** Session lifetime: 12 hours (a working day; re-login after). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Derives the console's HMAC key from the instance secret (config `secretKey`, hex) so no new secret is needed. */
export function deriveSessionKey(secretKeyHex: string): Buffer {
  return createHmac('sha256', Buffer.from(secretKeyHex, 'hex'))
    .update('swiftlet-console-session-v1')
    .digest();
}

function mac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Builds a new session token for `user` with a fresh nonce. */
export function issueSession(
  key: Buffer,
  user: string,
  ver: number,
  now: number,
  ttlMs = SESSION_TTL_MS,
): { token: string; payload: SessionPayload } {
  const payload: SessionPayload = {
    u: user,
    v: ver,
    exp: now + ttlMs,
    n: randomBytes(16).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { token: `${body}.${mac(key, body)}`, payload };
}

/** The payload of a valid, unexpired token; null otherwise. */
export function verifySession(key: Buffer, token: string | undefined, now: number): SessionPayload | null {
  if (!token) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1024) return null;
  const body = token.slice(0, dot);
  if (!safeEqual(mac(key, body), token.slice(dot + 1))) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionPayload;
    if (
      typeof p.u !== 'string' ||
      typeof p.v !== 'number' ||
      typeof p.exp !== 'number' ||
      typeof p.n !== 'string'
    )
      return null;
    return p.exp > now ? p : null;
  } catch {
    return null;
  }
}

/** The CSRF token of a session (double-submit value, also sent as the readable `csrf` cookie). */
export function csrfTokenFor(key: Buffer, payload: SessionPayload): string {
  return mac(key, `csrf:${payload.n}`);
}

/** True when `given` is the CSRF token of this session (constant time). */
export function checkCsrf(key: Buffer, payload: SessionPayload, given: string | undefined): boolean {
  return typeof given === 'string' && safeEqual(csrfTokenFor(key, payload), given);
}
