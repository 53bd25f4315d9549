/**
 * Console users, kept in the store (`console_users`) so that every node of a cluster knows the
 * same users and a password change signs the user out everywhere. On first start the first admin
 * is created — from SWIFTLET_ADMIN_PASSWORD, else a generated password written to
 * `<dataDir>/admin-password` — and a `console-users.json` left by an earlier version (users were
 * a file then) is imported once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleUserRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { hashPassword, verifyPassword } from './password-hash.js';

export type ConsoleRole = 'admin' | 'viewer';

export type ConsoleUser = ConsoleUserRecord;

/** The user as the API shows it (no hash). */
export interface ConsoleUserView {
  username: string;
  role: ConsoleRole;
  createdAt: string;
  updatedAt: string;
}

/** User names: 2–32 of letters, digits, `.`, `_`, `-`. */
export const USERNAME_RE = /^[A-Za-z0-9._-]{2,32}$/;
/** Shortest accepted password: 8 characters. */
export const MIN_PASSWORD_LENGTH = 8;

export class ConsoleUserError extends Error {
  override readonly name = 'ConsoleUserError';
  constructor(
    readonly code: 'VALIDATION_FAILED' | 'CONFLICT' | 'NOT_FOUND' | 'INVALID_STATE',
    message: string,
  ) {
    super(message);
  }
}

export function userView(u: ConsoleUser): ConsoleUserView {
  return {
    username: u.username,
    role: u.role,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}

/** The users file of versions before the console state moved to the store. */
interface LegacyUsersFile {
  users: Array<{
    username: string;
    role: string;
    hash: string;
    ver: number;
    createdAt: string;
    updatedAt: string;
  }>;
}

export class ConsoleUsers {
  constructor(
    readonly store: Store,
    readonly dataDir: string,
  ) {}

  /**
   * Makes sure an admin exists. With no users: imports `console-users.json` if an earlier version
   * left one, else creates `admin` with `adminPassword` (SWIFTLET_ADMIN_PASSWORD) or a generated
   * one written to `<dataDir>/admin-password`. Nodes starting together race on the insert; only
   * the winner's password is kept and reported. Returns the generated password (print it once)
   * or null.
   */
  async init(adminPassword: string | undefined): Promise<{ generatedPassword: string | null }> {
    if ((await this.store.listConsoleUsers()).length > 0) return { generatedPassword: null };
    if (await this.#importLegacyFile()) return { generatedPassword: null };
    mkdirSync(this.dataDir, { recursive: true });
    const file = join(this.dataDir, 'admin-password');
    let password = adminPassword && adminPassword.length > 0 ? adminPassword : undefined;
    let generated: string | null = null;
    if (!password) {
      if (existsSync(file)) password = readFileSync(file, 'utf8').trim();
      else {
        generated = randomBytes(12).toString('base64url');
        password = generated;
      }
    }
    const now = Date.now();
    const created = await this.store.insertConsoleUser({
      username: 'admin',
      role: 'admin',
      hash: await hashPassword(password),
      ver: firstVer(),
      createdAt: now,
      updatedAt: now,
    });
    if (!created || !generated) return { generatedPassword: null };
    writeFileSync(file, `${generated}\n`, { mode: 0o600 });
    return { generatedPassword: generated };
  }

  async #importLegacyFile(): Promise<boolean> {
    const path = join(this.dataDir, 'console-users.json');
    if (!existsSync(path)) return false;
    const list = JSON.parse(readFileSync(path, 'utf8')) as LegacyUsersFile;
    let imported = 0;
    for (const u of list.users ?? []) {
      if (u.role !== 'admin' && u.role !== 'viewer') continue;
      const ok = await this.store.insertConsoleUser({
        username: u.username,
        role: u.role,
        hash: u.hash,
        ver: u.ver,
        createdAt: Date.parse(u.createdAt) || Date.now(),
        updatedAt: Date.parse(u.updatedAt) || Date.now(),
      });
      if (ok) imported++;
    }
    return imported > 0;
  }

  get(username: string): Promise<ConsoleUser | undefined> {
    return this.store.getConsoleUser(username);
  }

  async list(): Promise<ConsoleUserView[]> {
    return (await this.store.listConsoleUsers()).map(userView);
  }

  /** The user when the password matches; undefined otherwise (hashes a dummy for unknown users to keep timing flat). */
  async authenticate(username: string, password: string): Promise<ConsoleUser | undefined> {
    const u = await this.get(username);
    const ok = await verifyPassword(password, u ? u.hash : DUMMY_HASH);
    return u && ok ? u : undefined;
  }

  async create(username: string, password: string, role: ConsoleRole): Promise<ConsoleUserView> {
    if (!USERNAME_RE.test(username))
      throw new ConsoleUserError(
        'VALIDATION_FAILED',
        'username must be 2–32 letters, digits, ".", "_" or "-"',
      );
    checkPassword(password);
    if (role !== 'admin' && role !== 'viewer')
      throw new ConsoleUserError('VALIDATION_FAILED', 'role must be admin or viewer');
    const now = Date.now();
    const u: ConsoleUser = {
      username,
      role,
      hash: await hashPassword(password),
      ver: firstVer(),
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.store.insertConsoleUser(u)))
      throw new ConsoleUserError('CONFLICT', `user ${username} exists`);
    return userView(u);
  }

  /** Changes password and/or role; either signs the user out everywhere (`ver` + 1). */
  async update(username: string, patch: { password?: string; role?: ConsoleRole }): Promise<ConsoleUserView> {
    if (patch.password !== undefined) checkPassword(patch.password);
    if (patch.role !== undefined && patch.role !== 'admin' && patch.role !== 'viewer')
      throw new ConsoleUserError('VALIDATION_FAILED', 'role must be admin or viewer');
    const hash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
    // Optimistic: re-read and retry when another request changed the user in between.
    for (let attempt = 0; attempt < 5; attempt++) {
      const u = await this.get(username);
      if (!u) throw new ConsoleUserError('NOT_FOUND', `user ${username} not found`);
      const next: ConsoleUser = {
        ...u,
        hash: hash ?? u.hash,
        role: patch.role ?? u.role,
        ver: u.ver + 1,
        updatedAt: Date.now(),
      };
      const r = await this.store.updateConsoleUser(next, u.ver);
      if (r === 'last-admin') throw new ConsoleUserError('INVALID_STATE', 'the last admin cannot be demoted');
      if (r === 'ok') return userView(next);
    }
    throw new ConsoleUserError('CONFLICT', `user ${username} is being changed by another request; try again`);
  }

  async remove(username: string): Promise<void> {
    const r = await this.store.deleteConsoleUser(username);
    if (r === 'missing') throw new ConsoleUserError('NOT_FOUND', `user ${username} not found`);
    if (r === 'last-admin') throw new ConsoleUserError('INVALID_STATE', 'the last admin cannot be deleted');
  }
}

/**
 * The `ver` a new user starts at: the clock in microseconds, so a user deleted and created again
 * under the same name never starts at a `ver` an old session cookie was signed with (each change
 * adds 1; a million changes would have to happen within a millisecond to catch up).
 */
function firstVer(): number {
  return Date.now() * 1000;
}

function checkPassword(p: string): void {
  if (typeof p !== 'string' || p.length < MIN_PASSWORD_LENGTH || p.length > 256) {
    throw new ConsoleUserError('VALIDATION_FAILED', `password must be ${MIN_PASSWORD_LENGTH}–256 characters`);
  }
}

// A valid hash of a random password: verifying against it costs the same as a real user.
const DUMMY_HASH = `scrypt$32768$8$1$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;
