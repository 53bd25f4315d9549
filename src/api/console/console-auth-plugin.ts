/**
 * `consoleAuthPlugin`: the console's sign-in routes under `/console/api/` and the
 * `authenticateConsoleOrToken` decorator for the management API.
 *
 * Routes (JSON):
 * - `POST /console/api/login` `{ username, password }` → `200 { user, csrfToken }` and cookies `sid`
 *   (HTTP-only) and `csrf` (readable), both SameSite=Strict, Secure behind https;
 *   wrong credentials → 401; the 5th failure per user + IP locks that pair for 15 min → 429.
 * - `POST /console/api/logout` → 204, cookies cleared and the session refused from now on, on
 *   every node (its nonce is recorded until the token would have expired); changing the password
 *   revokes every session of the user.
 * - `GET /console/api/me` → `{ user, csrfToken }` or 401.
 * - `GET|POST /console/api/users`, `PATCH|DELETE /console/api/users/:username` — admins only.
 *
 * Registered with `skip-override` so the `authenticateConsoleOrToken` decorator is visible on the
 * instance that registers it (what `fastify-plugin` does, without the dependency).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type ConsoleAuth,
  type ConsoleAuthOptions,
  CSRF_COOKIE,
  createConsoleAuth,
  type OnRequestHook,
  SESSION_COOKIE,
  sendError,
} from './console-auth.js';
import { type ConsoleRole, ConsoleUserError, userView } from './console-users.js';
import { serializeCookie } from './cookies.js';
import { LOCK_MS } from './login-limiter.js';
import { csrfTokenFor, issueSession, SESSION_TTL_MS } from './session-token.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: admin bearer token or console session (+ CSRF on writes; viewers read only). */
    authenticateConsoleOrToken: OnRequestHook;
    consoleAuth: ConsoleAuth;
  }
}

/** Either a ready {@link ConsoleAuth} (shared with other plugins) or the options to make one. */
export type ConsoleAuthPluginOptions = { auth: ConsoleAuth } | ConsoleAuthOptions;

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function userError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof ConsoleUserError) {
    const status = { VALIDATION_FAILED: 400, CONFLICT: 409, NOT_FOUND: 404, INVALID_STATE: 409 }[err.code];
    return sendError(reply, status, err.code, err.message);
  }
  throw err;
}

async function plugin(app: FastifyInstance, opts: ConsoleAuthPluginOptions): Promise<void> {
  const auth = 'auth' in opts ? opts.auth : await createConsoleAuth(opts);
  app.decorate('consoleAuth', auth);
  app.decorate('authenticateConsoleOrToken', auth.authenticateConsoleOrToken);

  const setCookies = (
    req: FastifyRequest,
    reply: FastifyReply,
    sid: string,
    csrf: string,
    maxAgeS: number,
  ) => {
    const secure = req.protocol === 'https';
    reply.header('set-cookie', [
      serializeCookie(SESSION_COOKIE, sid, { httpOnly: true, secure, maxAge: maxAgeS }),
      serializeCookie(CSRF_COOKIE, csrf, { httpOnly: false, secure, maxAge: maxAgeS }),
    ]);
    reply.header('cache-control', 'no-store');
  };

  await app.register(async (r) => {
    r.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
      if (err.statusCode && err.statusCode < 500)
        return sendError(reply, err.statusCode, 'VALIDATION_FAILED', err.message);
      req.log.error({ err }, 'console auth route failed');
      return sendError(reply, 500, 'INTERNAL', 'internal error');
    });

    r.post('/console/api/login', async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const username = str(body.username)?.trim() ?? '';
      const password = str(body.password) ?? '';
      if (!username || !password)
        return sendError(reply, 400, 'VALIDATION_FAILED', 'username and password are required');
      const locked = (ms: number) => {
        reply.header('retry-after', String(Math.ceil(ms / 1000)));
        return sendError(
          reply,
          429,
          'LOCKED',
          `too many failed sign-ins; try again in ${Math.ceil(ms / 60000)} min`,
        );
      };
      const attempt = await auth.limiter.attempt(username, req.ip, auth.now());
      if (!attempt.allowed) return locked(attempt.lockedFor || LOCK_MS);
      const user = await auth.users.authenticate(username, password);
      if (!user) {
        req.log.warn({ username, ip: req.ip, locked: attempt.lockedFor > 0 }, 'console sign-in failed');
        if (attempt.lockedFor > 0) return locked(attempt.lockedFor);
        return sendError(reply, 401, 'UNAUTHORIZED', 'wrong user name or password');
      }
      await auth.limiter.succeed(username, req.ip);
      const { token, payload } = issueSession(auth.key, user.username, user.ver, auth.now());
      const csrfToken = csrfTokenFor(auth.key, payload);
      setCookies(req, reply, token, csrfToken, SESSION_TTL_MS / 1000);
      req.log.info({ username: user.username }, 'console sign-in');
      return { user: userView(user), csrfToken };
    });

    r.post('/console/api/logout', async (req, reply) => {
      const found = await auth.sessionOf(req);
      if (found) await auth.store.revokeSession(found.session.n, found.session.exp, auth.now());
      setCookies(req, reply, '', '', 0);
      return reply.code(204).send();
    });

    r.get('/console/api/me', async (req, reply) => {
      const found = await auth.sessionOf(req);
      if (!found) return sendError(reply, 401, 'UNAUTHORIZED', 'not signed in');
      reply.header('cache-control', 'no-store');
      return { user: userView(found.user), csrfToken: csrfTokenFor(auth.key, found.session) };
    });

    r.register(async (admin) => {
      admin.addHook('onRequest', auth.requireAdmin);
      admin.get('/console/api/users', async () => ({ items: await auth.users.list() }));
      admin.post('/console/api/users', async (req, reply) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        try {
          const u = await auth.users.create(
            str(b.username) ?? '',
            str(b.password) ?? '',
            (str(b.role) ?? 'viewer') as ConsoleRole,
          );
          return reply.code(201).send(u);
        } catch (err) {
          return userError(reply, err);
        }
      });
      admin.patch('/console/api/users/:username', async (req, reply) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        const { username } = req.params as { username: string };
        try {
          return await auth.users.update(username, {
            password: str(b.password),
            role: str(b.role) as ConsoleRole | undefined,
          });
        } catch (err) {
          return userError(reply, err);
        }
      });
      admin.delete('/console/api/users/:username', async (req, reply) => {
        const { username } = req.params as { username: string };
        try {
          await auth.users.remove(username);
          return reply.code(204).send();
        } catch (err) {
          return userError(reply, err);
        }
      });
    });
  });
}

(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** The console auth plugin; see the module comment. */
export const consoleAuthPlugin = plugin;
