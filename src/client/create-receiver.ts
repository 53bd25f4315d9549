import type http from 'node:http';
import {
  DEFAULT_PUSH_BODY_LIMIT,
  handlePush,
  type PushResult,
  type ReceiverOptions,
} from './push-handler.js';

/** Reads a request body up to `limit` bytes; resolves `undefined` when the limit is exceeded. */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes a {@link PushResult}. */
export function sendPushResult(res: http.ServerResponse, result: PushResult): void {
  res.statusCode = result.status;
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(result.body));
  res.end(result.body);
}

/**
 * A node:http request handler for status-report, batch-report and uplink pushes:
 *
 * ```ts
 * http.createServer(createReceiver({ onStatusReport: (r) => console.log(r.smsMsgId, r.delivered) })).listen(9330);
 * ```
 * It accepts POST on any path (mount it behind your router if needed), reads at most
 * `maxBodyBytes` (default 1 MiB, else 413), and answers as {@link handlePush} decides.
 */
export function createReceiver(
  opts: ReceiverOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const limit = opts.maxBodyBytes ?? DEFAULT_PUSH_BODY_LIMIT;
  return (req, res) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendPushResult(res, { status: 405, body: '{"code":"E000000","description":"Method Not Allowed"}' });
      return;
    }
    readBody(req, limit)
      .then(async (rawBody) => {
        if (!rawBody)
          return sendPushResult(res, {
            status: 413,
            body: '{"code":"E000000","description":"Payload Too Large"}',
          });
        const result = await handlePush(
          { method: 'POST', url: req.url ?? '/', headers: req.headers, rawBody },
          opts,
        );
        sendPushResult(res, result);
      })
      .catch(() => {
        if (!res.headersSent)
          sendPushResult(res, { status: 500, body: '{"code":"E000000","description":"Internal Error"}' });
        else res.destroy();
      });
  };
}
