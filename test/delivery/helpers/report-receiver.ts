/**
 * A real node:http server on 127.0.0.1:0 standing in for a customer's callback server: it keeps
 * every request (path, content type, parsed body) and lets a test wait for a condition on them.
 * Form bodies are parsed with URLSearchParams, JSON bodies with JSON.parse.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One push as the receiver saw it. */
export interface Push {
  path: string;
  contentType: string;
  raw: string;
  /** Form fields (form bodies) — in wire order. */
  form: Array<[string, string]>;
  /** Parsed JSON (JSON bodies). */
  json: unknown;
  at: number;
}

export interface ReportReceiver {
  url(path: string): string;
  pushes: Push[];
  /** Form fields of the pushes to `path` as objects. */
  forms(path: string): Array<Record<string, string>>;
  /** Resolves once `probe()` returns something truthy; rejects after `timeoutMs`. */
  until<T>(probe: () => T | undefined | false | null, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

/** Starts the receiver; `status` decides the HTTP answer (default 200). */
export async function startReportReceiver(status: (p: Push) => number = () => 200): Promise<ReportReceiver> {
  const pushes: Push[] = [];
  let changed: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const contentType = String(req.headers['content-type'] ?? '');
      let json: unknown;
      let form: Array<[string, string]> = [];
      if (contentType.includes('json')) {
        try {
          json = JSON.parse(raw);
        } catch {
          json = undefined;
        }
      } else form = [...new URLSearchParams(raw).entries()];
      const p: Push = { path: (req.url ?? '/').split('?')[0], contentType, raw, form, json, at: Date.now() };
      pushes.push(p);
      res.writeHead(status(p), { 'content-type': 'text/plain' });
      res.end('ok');
      const waiters = changed;
      changed = [];
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    pushes,
    forms: (path) => pushes.filter((p) => p.path === path).map((p) => Object.fromEntries(p.form)),
    until<T>(probe: () => T | undefined | false | null, timeoutMs = 10_000, what = 'condition') {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          clearInterval(tick);
          reject(new Error(`receiver: ${what} not met within ${timeoutMs} ms (${pushes.length} pushes)`));
        }, timeoutMs);
        const check = () => {
          const v = probe();
          if (v) {
            clearTimeout(timer);
            clearInterval(tick);
            resolve(v);
          }
        };
        // Poll too: some conditions also depend on time passing, not only on new pushes.
        const tick = setInterval(check, 50);
        check();
      });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
