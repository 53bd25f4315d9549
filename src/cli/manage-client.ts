/**
 * The CLI's client of the management API (`/api/v1`): base URL and admin token resolution, and
 * one `request()` that turns `{ error: { code, message } }` answers into {@link CliApiError}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Default server address of management commands (`--url`, env `SWIFTLET_URL`). */
export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** An error answer of the server, or an unreachable server. Exit code 1. */
export class CliApiError extends Error {
  override readonly name = 'CliApiError';
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** A usage problem (missing token, bad option value). Exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export interface ConnOptions {
  url?: string;
  token?: string;
  data?: string;
}

export function resolveUrl(o: ConnOptions): string {
  return (o.url ?? process.env.SWIFTLET_URL ?? DEFAULT_URL).replace(/\/+$/, '');
}

/** `--token`, else `SWIFTLET_ADMIN_TOKEN`, else `<--data or ./data>/admin-token`. */
export function resolveToken(o: ConnOptions): string {
  if (o.token) return o.token;
  if (process.env.SWIFTLET_ADMIN_TOKEN) return process.env.SWIFTLET_ADMIN_TOKEN;
  const file = join(resolve(o.data ?? process.env.SWIFTLET_DATA_DIR ?? './data'), 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new CliUsageError(
    `no admin token: pass --token, set SWIFTLET_ADMIN_TOKEN, or point --data at the server's data directory (looked for ${file})`,
  );
}

export class ManageClient {
  readonly #base: string;
  readonly #token: string;
  constructor(o: ConnOptions) {
    this.#base = resolveUrl(o);
    this.#token = resolveToken(o);
  }

  /** @throws CliApiError on a non-2xx answer or when the server cannot be reached. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string | number | undefined>,
  ): Promise<T> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
    const url = `${this.#base}/api/v1${path}${qs.size > 0 ? `?${qs}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new CliApiError(
        `cannot reach ${this.#base}: ${(err as Error).cause ?? (err as Error).message}`,
        'UNREACHABLE',
        0,
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = text;
    }
    if (!res.ok) {
      const e = (json as { error?: { code?: string; message?: string; details?: string[] } })?.error;
      const details = e?.details?.length ? `\n  ${e.details.join('\n  ')}` : '';
      throw new CliApiError(
        `${e?.code ?? res.status}: ${e?.message ?? text}${details}`,
        e?.code ?? String(res.status),
        res.status,
        json,
      );
    }
    return json as T;
  }
}
