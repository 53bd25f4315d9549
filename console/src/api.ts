// The console talks only to the management API (/api/v1, the same one the CLI uses) and to its
// sign-in routes (/console/api). Session cookie + X-CSRF-Token on every state-changing request.

export interface User {
  username: string;
  role: 'admin' | 'viewer';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthorized: () => void = () => {};

export function setCsrf(token: string): void {
  csrfToken = token;
}
export function setOnUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function qs(q: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, raw?: Blob): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (raw) {
    payload = raw;
    headers['content-type'] = 'text/csv';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: { code: 'BAD_RESPONSE', message: text.slice(0, 200) } };
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: string[] } })?.error ?? {};
    if (res.status === 401 && !path.startsWith('/console/api/login')) onUnauthorized();
    throw new ApiError(res.status, e.code ?? 'ERROR', e.message ?? `HTTP ${res.status}`, e.details ?? []);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, q?: Query) => request<T>('GET', `/api/v1${path}${qs(q)}`),
  post: <T>(path: string, body?: unknown) => request<T>('POST', `/api/v1${path}`, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', `/api/v1${path}`, body),
  del: (path: string) => request<void>('DELETE', `/api/v1${path}`),
  upload: <T>(path: string, q: Query, file: Blob) =>
    request<T>('POST', `/api/v1${path}${qs(q)}`, undefined, file),
  /** Console auth routes. */
  console: {
    me: () => request<{ user: User; csrfToken: string }>('GET', '/console/api/me'),
    login: (username: string, password: string) =>
      request<{ user: User; csrfToken: string }>('POST', '/console/api/login', { username, password }),
    logout: () => request<void>('POST', '/console/api/logout', {}),
    users: () => request<{ items: Array<User & { createdAt: string }> }>('GET', '/console/api/users'),
    createUser: (b: { username: string; password: string; role: string }) =>
      request('POST', '/console/api/users', b),
    updateUser: (name: string, b: { password?: string; role?: string }) =>
      request('PATCH', `/console/api/users/${encodeURIComponent(name)}`, b),
    deleteUser: (name: string) => request<void>('DELETE', `/console/api/users/${encodeURIComponent(name)}`),
  },
};

export interface List<T> {
  items: T[];
  total: number;
  totalCapped?: boolean;
  limit: number;
  offset: number;
}

export interface App {
  id: string;
  name: string;
  appKey: string;
  region: 'cn' | 'intl';
  channelNumber: string | null;
  uplinkUrl: string | null;
  batchReportUrl: string | null;
  ipAllowList: string[];
  status: 'active' | 'frozen';
  pushSigning: boolean;
  uplinkCreateTime: boolean;
  tpsLimit: number | null;
  createdAt: string;
}
export interface Signature {
  id: string;
  appId: string;
  name: string;
  type: string;
  status: 'pending' | 'approved' | 'rejected';
  rejectReason: string | null;
  channelNumber: string | null;
  createdAt: string;
}
export interface Template {
  id: string;
  appId: string;
  signatureId: string | null;
  universal: boolean;
  name: string;
  type: string;
  region: string;
  content: string;
  variables: Array<{ position: number; token: string; attribute: string; maxLength: number }>;
  status: 'pending' | 'active' | 'inactive' | 'rejected';
  rejectReason: string | null;
  createdAt: string;
}
export interface Message {
  smsMsgId: string;
  appId: string;
  templateId: string;
  templateType: string;
  signatureName: string | null;
  channelNumber: string;
  to: string;
  content: string;
  encoding: string;
  total: number;
  state: string;
  result: 'success' | 'failed' | 'sending';
  statusCode: string | null;
  attempts: number;
  taskId: string | null;
  createdAt: string;
  finalAt: string | null;
}
export interface Preview {
  text: string;
  length: number;
  encoding: 'GSM7' | 'UCS2';
  forcedUcs2: string[];
  total: number;
  segments: unknown[];
  variables: Array<{ position: number; token: string; attribute: string; maxLength: number }>;
}
export interface GroupTask {
  id: string;
  name: string;
  appId: string;
  templateId: string;
  status: string;
  total: number;
  processed: number;
  accepted: number;
  failed: number;
  progress: number;
  scheduleAt: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  fileName: string | null;
  /** The node that holds the numbers and runs the task. */
  nodeId: string;
  /** Cancelled while running: stops after the current batch. */
  cancelRequested: boolean;
}
