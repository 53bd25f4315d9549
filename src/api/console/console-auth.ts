/**
 * The console's authentication core, independent of routes: who a request is (admin bearer token
 * or signed session cookie), and the `onRequest` hook {@link ConsoleAuth.authenticateConsoleOrToken}
 * that the management API (and group sending) use to accept either.
 *
 * Rules of the hook:
 * - `Authorization: Bearer <adminToken>` (constant-time compare) → admin, no CSRF (a bearer token is
 *   never sent by a browser on its own, so cross-site forgery cannot use it).
 * - else a valid `sid` cookie, not signed out, of an existing user whose `ver` matches → that user; a state-changing
 *   method (anything but GET/HEAD/OPTIONS) must carry `X-CSRF-Token` equal to the session's CSRF
 *   token → else 403 `{ error: { code: "csrf" } }`; a viewer may only read → else 403 `FORBIDDEN`.
 * - else 401 `UNAUTHORIZED`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/store.js';
import { type ConsoleRole, type ConsoleUser, ConsoleUsers } from './console-users.js';
import { parseCookies } from './cookies.js';
import { LoginLimiter } from './login-limiter.js';
import { checkCsrf, deriveSessionKey, type SessionPayload, verifySession } from './session-token.js';

/** Session cookie name (HTTP-only). */
export const SESSION_COOKIE = 'sid';
/** CSRF cookie name (readable by the page: double-submit). */
export const CSRF_COOKIE = 'csrf';
/** Header that must echo the CSRF token on state-changing requests. */
export const CSRF_HEADER = 'x-csrf-token';

/** Who made a request, set on `request.consoleIdentity` by the hook. */
export interface ConsoleIdentity {
  /** User name; `"token"` for the admin bearer token. */
  username: string;
  role: ConsoleRole;
  via: 'token' | 'session';
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleIdentity?: ConsoleIdentity;
  }
}

export interface ConsoleAuthOptions {
  /** Users, lock-outs and sign-outs live here (shared by every node). */
  store: Store;
  /** Where `admin-password` lives, and a `console-users.json` to import (config `dataDir`). */
  dataDir: string;
  /** The management bearer token (config `adminToken`). */
  adminToken: string;
  /** Instance secret, 64 hex (config `secretKey`); the session HMAC key is derived from it. */
  secretKey: string;
  /**
   * First admin's password. Default: `process.env.SWIFTLET_ADMIN_PASSWORD` (the config schema has no
   * key for it; read here once at start-up). Unset → generated into `<dataDir>/admin-password`.
   */
  adminPassword?: string;
  /** Called once with a generated first-admin password, to print it. Default: `console.log`. */
  onGeneratedPassword?: (password: string, file: string) => void;
  /** Clock; default `Date.now`. */
  now?: () => number;
}

export type OnRequestHook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface ConsoleAuth {
  readonly store: Store;
  readonly users: ConsoleUsers;
  readonly limiter: LoginLimiter;
  readonly key: Buffer;
  now(): number;
  /**
   * The session of a request and its user: valid signature, unexpired, not signed out, and the
   * user exists with the same `ver`.
   */
  sessionOf(req: FastifyRequest): Promise<{ session: SessionPayload; user: ConsoleUser } | null>;
  /** True for the admin bearer token. */
  isAdminToken(req: FastifyRequest): boolean;
  /** The onRequest hook described in the module comment. */
  authenticateConsoleOrToken: OnRequestHook;
  /** Same, but requires the admin role (console user administration). */
  requireAdmin: OnRequestHook;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Sends the management API's error shape. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: { code, message } });
}

/** Loads the users file (creating the first admin if needed) and returns the auth core. */
export async function createConsoleAuth(opts: ConsoleAuthOptions): Promise<ConsoleAuth> {
  const users = new ConsoleUsers(opts.store, opts.dataDir);
  const adminPassword = opts.adminPassword ?? process.env.SWIFTLET_ADMIN_PASSWORD;
  const { generatedPassword } = await users.init(adminPassword);
  if (generatedPassword) {
    const file = `${opts.dataDir.replace(/\/$/, '')}/admin-password`;
    (
      opts.onGeneratedPassword ??
      ((p, f) => console.log(`Console: user "admin", password ${p} (stored in ${f})`))
    )(generatedPassword, file);
  }
  const key = deriveSessionKey(opts.secretKey);
  const tokenDigest = digest(opts.adminToken);
  const now = opts.now ?? Date.now;
  const limiter = new LoginLimiter(opts.store);

  const isAdminToken = (req: FastifyRequest): boolean => {
    const h = req.headers.authorization;
    if (typeof h !== 'string' || !/^Bearer\s+/i.test(h)) return false;
    return timingSafeEqual(digest(h.replace(/^Bearer\s+/i, '').trim()), tokenDigest);
  };

  const sessionOf = async (req: FastifyRequest) => {
    const session = verifySession(key, parseCookies(req.headers.cookie).get(SESSION_COOKIE), now());
    if (!session) return null;
    const [user, revoked] = await Promise.all([users.get(session.u), opts.store.isSessionRevoked(session.n)]);
    return user && user.ver === session.v && !revoked ? { session, user } : null;
  };

  const authenticate = async (
    req: FastifyRequest,
    reply: FastifyReply,
    adminOnly: boolean,
  ): Promise<void> => {
    if (req.headers.authorization !== undefined) {
      if (!isAdminToken(req)) {
        sendError(reply, 401, 'UNAUTHORIZED', 'missing or invalid bearer token');
        return;
      }
      req.consoleIdentity = { username: 'token', role: 'admin', via: 'token' };
      return;
    }
    const found = await sessionOf(req);
    if (!found) {
      sendError(reply, 401, 'UNAUTHORIZED', 'sign in to the console or send the admin bearer token');
      return;
    }
    const { session, user } = found;
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      if (!checkCsrf(key, session, Array.isArray(given) ? given[0] : given)) {
        sendError(reply, 403, 'csrf', 'missing or wrong X-CSRF-Token header');
        return;
      }
      if (user.role !== 'admin') {
        sendError(reply, 403, 'FORBIDDEN', 'viewers have read-only access');
        return;
      }
    }
    if (adminOnly && user.role !== 'admin') {
      sendError(reply, 403, 'FORBIDDEN', 'only admins may do this');
      return;
    }
    req.consoleIdentity = { username: user.username, role: user.role, via: 'session' };
  };

  return {
    store: opts.store,
    users,
    limiter,
    key,
    now,
    sessionOf,
    isAdminToken,
    authenticateConsoleOrToken: (req, reply) => authenticate(req, reply, false),
    requireAdmin: (req, reply) => authenticate(req, reply, true),
  };
}
