/**
 * The console's server side in one call, for build-app.ts:
 *
 * ```ts
 * const authenticate = await registerConsole(app, { store, config });
 * // then the management plugin uses `authenticate` as its onRequest hook instead of the bearer-only check
 * ```
 *
 * Registers {@link consoleAuthPlugin} (sign-in routes, users) and {@link groupSendPlugin}
 * (`/api/v1/group-sends`) and returns the `authenticateConsoleOrToken` hook (admin bearer token OR
 * console session + CSRF; viewers read only).
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Store } from '../../store/store.js';
import { type ConsoleAuth, createConsoleAuth, type OnRequestHook } from './console-auth.js';
import { consoleAuthPlugin } from './console-auth-plugin.js';
import { groupSendPlugin } from './group-send.js';

export type { ConsoleAuth, ConsoleAuthOptions, ConsoleIdentity, OnRequestHook } from './console-auth.js';
export { createConsoleAuth } from './console-auth.js';
export { consoleAuthPlugin } from './console-auth-plugin.js';
export { groupSendPlugin } from './group-send.js';

export interface RegisterConsoleOptions {
  store: Store;
  config: Pick<Config, 'dataDir' | 'adminToken' | 'secretKey' | 'nodeId'>;
  /** First admin password; default `SWIFTLET_ADMIN_PASSWORD`. */
  adminPassword?: string;
  /** Where the generated first-admin password is printed; default stdout. */
  print?: (text: string) => void;
}

/** Registers the console plugins on `app` and returns the shared auth hook. */
export async function registerConsole(
  app: FastifyInstance,
  opts: RegisterConsoleOptions,
): Promise<OnRequestHook & { auth: ConsoleAuth }> {
  const print = opts.print ?? ((t: string) => process.stdout.write(`${t}\n`));
  const auth = await createConsoleAuth({
    store: opts.store,
    dataDir: opts.config.dataDir,
    adminToken: opts.config.adminToken,
    secretKey: opts.config.secretKey,
    adminPassword: opts.adminPassword,
    onGeneratedPassword: (p, file) =>
      print(`Console sign-in (shown once; saved in ${file}):\n  user admin, password ${p}`),
  });
  await app.register(consoleAuthPlugin, { auth });
  await app.register(groupSendPlugin, {
    store: opts.store,
    dataDir: opts.config.dataDir,
    nodeId: opts.config.nodeId,
    authenticate: auth.authenticateConsoleOrToken,
  });
  return Object.assign(auth.authenticateConsoleOrToken, { auth });
}
