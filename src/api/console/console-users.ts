/**
 * Console users in `<dataDir>/console-users.json`, written atomically (temp file + rename, mode
 * 0600). The file is small (a handful of operators), so it is kept in memory and re-read when its
 * modification time changes (checked at most every {@link RELOAD_CHECK_MS}), which lets nodes that
 * share a data directory see each other's changes.
 *
 * Why a file and not the store: the store's schema belongs to another module and console users are
 * not message data; a JSON file also keeps the console independent of SQLite vs PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword, verifyPassword } from './password-hash.js';

export type ConsoleRole = 'admin' | 'viewer';

export interface ConsoleUser {
  username: string;
  role: ConsoleRole;
  /** scrypt hash (see password-hash.ts). */
  hash: string;
  /** Revocation counter: bumped on password/role change so older session cookies stop working. */
  ver: number;
  createdAt: string;
  updatedAt: string;
}

/** The user as the API shows it (no hash). */
export interface ConsoleUserView {
  username: string;
  role: ConsoleRole;
  createdAt: string;
  updatedAt: string;
}

/** How often the file's mtime is checked for changes by another process: 2 s. */
export const RELOAD_CHECK_MS = 2000;
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
  return { username: u.username, role: u.role, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export class ConsoleUsers {
  readonly path: string;
  private users = new Map<string, ConsoleUser>();
  private mtimeMs = -1;
  private checkedAt = 0;

  constructor(readonly dataDir: string) {
    this.path = join(dataDir, 'console-users.json');
  }

  /**
   * Loads the file and makes sure an admin exists. With no users, creates `admin` with
   * `adminPassword` (SWIFTLET_ADMIN_PASSWORD) or a generated one written to `<dataDir>/admin-password`.
   * Returns the generated password (print it once) or null.
   */
  async init(adminPassword: string | undefined): Promise<{ generatedPassword: string | null }> {
    mkdirSync(this.dataDir, { recursive: true });
    this.reload(true);
    if (this.users.size > 0) return { generatedPassword: null };
    let password = adminPassword && adminPassword.length > 0 ? adminPassword : undefined;
    let generated: string | null = null;
    if (!password) {
      const file = join(this.dataDir, 'admin-password');
      if (existsSync(file)) password = readFileSync(file, 'utf8').trim();
      else {
        generated = randomBytes(12).toString('base64url');
        writeFileSync(file, `${generated}\n`, { mode: 0o600 });
        password = generated;
      }
    }
    const now = new Date().toISOString();
    this.users.set('admin', {
      username: 'admin',
      role: 'admin',
      hash: await hashPassword(password),
      ver: 1,
      createdAt: now,
      updatedAt: now,
    });
    this.save();
    return { generatedPassword: generated };
  }

  private reload(force = false): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < RELOAD_CHECK_MS) return;
    this.checkedAt = now;
    let mtime: number;
    try {
      mtime = statSync(this.path).mtimeMs;
    } catch {
      return;
    }
    if (mtime === this.mtimeMs) return;
    const list = JSON.parse(readFileSync(this.path, 'utf8')) as { users: ConsoleUser[] };
    this.users = new Map(list.users.map((u) => [u.username, u]));
    this.mtimeMs = mtime;
  }

  private save(): void {
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ users: [...this.users.values()] }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
    this.mtimeMs = statSync(this.path).mtimeMs;
  }

  get(username: string): ConsoleUser | undefined {
    this.reload();
    return this.users.get(username);
  }

  list(): ConsoleUserView[] {
    this.reload();
    return [...this.users.values()].map(userView).sort((a, b) => a.username.localeCompare(b.username));
  }

  /** The user when the password matches; undefined otherwise (hashes a dummy for unknown users to keep timing flat). */
  async authenticate(username: string, password: string): Promise<ConsoleUser | undefined> {
    const u = this.get(username);
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
    this.reload(true);
    if (this.users.has(username)) throw new ConsoleUserError('CONFLICT', `user ${username} exists`);
    const now = new Date().toISOString();
    const u: ConsoleUser = {
      username,
      role,
      hash: await hashPassword(password),
      ver: 1,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(username, u);
    this.save();
    return userView(u);
  }

  async update(username: string, patch: { password?: string; role?: ConsoleRole }): Promise<ConsoleUserView> {
    this.reload(true);
    const u = this.users.get(username);
    if (!u) throw new ConsoleUserError('NOT_FOUND', `user ${username} not found`);
    const next = { ...u };
    if (patch.password !== undefined) {
      checkPassword(patch.password);
      next.hash = await hashPassword(patch.password);
    }
    if (patch.role !== undefined) {
      if (patch.role !== 'admin' && patch.role !== 'viewer')
        throw new ConsoleUserError('VALIDATION_FAILED', 'role must be admin or viewer');
      if (u.role === 'admin' && patch.role !== 'admin' && this.adminCount() === 1)
        throw new ConsoleUserError('INVALID_STATE', 'the last admin cannot be demoted');
      next.role = patch.role;
    }
    next.ver = u.ver + 1;
    next.updatedAt = new Date().toISOString();
    this.users.set(username, next);
    this.save();
    return userView(next);
  }

  remove(username: string): void {
    this.reload(true);
    const u = this.users.get(username);
    if (!u) throw new ConsoleUserError('NOT_FOUND', `user ${username} not found`);
    if (u.role === 'admin' && this.adminCount() === 1)
      throw new ConsoleUserError('INVALID_STATE', 'the last admin cannot be deleted');
    this.users.delete(username);
    this.save();
  }

  private adminCount(): number {
    let n = 0;
    for (const u of this.users.values()) if (u.role === 'admin') n++;
    return n;
  }
}

function checkPassword(p: string): void {
  if (typeof p !== 'string' || p.length < MIN_PASSWORD_LENGTH || p.length > 256) {
    throw new ConsoleUserError('VALIDATION_FAILED', `password must be ${MIN_PASSWORD_LENGTH}–256 characters`);
  }
}

// A valid hash of a random password: verifying against it costs the same as a real user.
const DUMMY_HASH = `scrypt$32768$8$1$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;
