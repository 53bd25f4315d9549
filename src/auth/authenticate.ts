import { parseSdkAuthorization, verifyAkSk } from './aksk.js';
import { headerValue, splitScheme } from './auth-params.js';
import type { NonceReplayGuard } from './nonce-replay-guard.js';
import { parseWsseAuthorization, parseXWsse, verifyWsseDigest } from './wsse.js';

/** X-WSSE clock window (spec §4.1): Created within 24 hours of the server clock, either side. */
export const WSSE_CLOCK_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The credentials of one application as the store knows them. */
export interface AppCredentials {
  appKey: string;
  appSecret: string;
  status: 'active' | 'frozen';
}

/** The request as received, before any body parsing. */
export interface AuthRequest {
  method: string;
  /** Path without query, as received (not decoded). */
  path: string;
  /** Query string without `?`; empty or absent for the send APIs. */
  query?: string;
  /** Node's lower-cased header map. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** What {@link authenticateRequest} needs from its environment. */
export interface AuthDeps {
  findAppByKey(appKey: string): Promise<AppCredentials | undefined>;
  replay: NonceReplayGuard;
  /** Epoch ms; default `Date.now()`. Injected so tests can pin the clock. */
  now?: number;
}

export type AuthResult = { ok: true; appKey: string; scheme: 'wsse' | 'aksk' } | { ok: false; code: string };

/**
 * Authenticates a send-API request with either MSGSMS scheme, chosen by the `Authorization`
 * prefix: `WSSE` → X-WSSE, `SDK-HMAC-SHA256` → AK/SK, absent/empty → E000001, anything else →
 * E000008 ("WSSE not contained in Authorization").
 *
 * X-WSSE order and codes: header format (E000002–E000008, E000020–E000026) → unknown app_key
 * E000102 → digest mismatch E000105 → Created more than 24 h from now E000110 → replayed
 * (app_key, Nonce, Created) E000101 (generic "authentication failed": Huawei has no replay code)
 * → frozen app E000112. The replay guard is consulted only after the digest and clock checks
 * pass, so unauthenticated traffic cannot fill it.
 *
 * AK/SK order and codes: Authorization format E000043 → unknown Access E000102 → X-Sdk-Date
 * E000041/E000042, x-sdk-date unsigned E000043, clock E000044, signature E000045 → frozen E000112.
 * AK/SK requests are not replay-checked (15-minute window, no nonce in the scheme).
 *
 * Frozen is reported last so that the status of an app is only revealed to its key holder.
 */
export async function authenticateRequest(req: AuthRequest, deps: AuthDeps): Promise<AuthResult> {
  const now = deps.now ?? Date.now();
  const authorization = headerValue(req.headers.authorization);
  if (authorization === undefined || authorization.trim() === '') return { ok: false, code: 'E000001' };
  const scheme = splitScheme(authorization).scheme.toUpperCase();

  if (scheme === 'WSSE') {
    const auth = parseWsseAuthorization(authorization);
    if (!auth.ok) return auth;
    const token = parseXWsse(req.headers['x-wsse']);
    if (!token.ok) return token;
    const app = await deps.findAppByKey(token.username);
    if (!app) return { ok: false, code: 'E000102' };
    if (!verifyWsseDigest(token, app.appSecret)) return { ok: false, code: 'E000105' };
    if (Math.abs(now - token.createdMs) > WSSE_CLOCK_WINDOW_MS) return { ok: false, code: 'E000110' };
    const key = `${app.appKey}\n${token.nonce}\n${token.created}`;
    if (deps.replay.seen(key, token.createdMs + WSSE_CLOCK_WINDOW_MS + 1, now))
      return { ok: false, code: 'E000101' };
    if (app.status === 'frozen') return { ok: false, code: 'E000112' };
    return { ok: true, appKey: app.appKey, scheme: 'wsse' };
  }

  if (scheme === 'SDK-HMAC-SHA256') {
    const auth = parseSdkAuthorization(authorization);
    if (!auth.ok) return auth;
    const app = await deps.findAppByKey(auth.access);
    if (!app) return { ok: false, code: 'E000102' };
    const verified = verifyAkSk({
      method: req.method,
      path: req.path,
      query: req.query,
      headers: req.headers,
      rawBody: req.rawBody,
      secret: app.appSecret,
      auth,
      now,
    });
    if (!verified.ok) return verified;
    if (app.status === 'frozen') return { ok: false, code: 'E000112' };
    return { ok: true, appKey: app.appKey, scheme: 'aksk' };
  }

  return { ok: false, code: 'E000008' };
}
