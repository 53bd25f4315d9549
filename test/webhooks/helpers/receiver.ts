import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it: raw body bytes, lower-cased headers. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  body: string;
}

/**
 * A real HTTP receiver on 127.0.0.1:0 standing in for a customer's callback server. `respond`
 * decides the status per request (default 200); `waitFor(n)` resolves once n requests arrived.
 */
export interface Receiver {
  url: (path?: string) => string;
  port: number;
  received: Received[];
  respond: (r: Received, index: number) => number | 'hang';
  waitFor: (n: number, timeoutMs?: number) => Promise<Received[]>;
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const rx: Receiver = {
    url: (path = '/report') => `http://127.0.0.1:${rx.port}${path}`,
    port: 0,
    received,
    respond: () => 200,
    waitFor: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (received.length >= n) return resolve(received);
        const t = setTimeout(
          () => reject(new Error(`receiver got ${received.length}/${n} requests`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(t);
            resolve(received);
          },
        });
      }),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const r: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: rawBody.toString('utf8'),
      };
      const index = received.length;
      received.push(r);
      const status = rx.respond(r, index);
      if (status === 'hang') hanging.add(res);
      else {
        res.statusCode = status;
        res.end('ignored body');
      }
      for (const w of [...waiters]) {
        if (received.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  rx.port = (server.address() as AddressInfo).port;
  return rx;
}
