import type http from 'node:http';
import { readBody, sendPushResult } from './create-receiver.js';
import { DEFAULT_PUSH_BODY_LIMIT, handlePush, type ReceiverOptions } from './push-handler.js';

// Structural types only: the SDK must not depend on fastify or express at runtime or for types.

/** The slice of a fastify request the receiver reads. */
interface FastifyRequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}
/** The slice of a fastify reply the receiver uses. */
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: string): unknown;
}
/** The slice of a fastify instance the plugin uses. */
interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    opts: { parseAs: 'buffer'; bodyLimit: number },
    parser: (req: unknown, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
  post(
    path: string,
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
}

/**
 * A fastify route handler for pushes. `request.body` may be a Buffer (exact bytes: required for
 * `verify`) or whatever fastify's parsers produced (`@fastify/formbody` object, JSON object).
 * Use it in your own route when you do not need signature verification:
 * `app.post('/sms/report', fastifyReceiverHandler({ onStatusReport }))`.
 */
export function fastifyReceiverHandler(opts: ReceiverOptions) {
  return async (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<unknown> => {
    const body = request.body;
    const result = await handlePush(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        rawBody: Buffer.isBuffer(body) ? body : undefined,
        parsedBody: Buffer.isBuffer(body) ? undefined : body,
      },
      opts,
    );
    return reply
      .code(result.status)
      .header('content-type', 'application/json;charset=UTF-8')
      .send(result.body);
  };
}

/**
 * A fastify plugin that mounts `POST <path>` (default `/`) under the register prefix:
 *
 * ```ts
 * await app.register(fastifyReceiver({ path: '/report', verify: { appKey, appSecret }, onStatusReport }), { prefix: '/sms' });
 * ```
 * Inside its own encapsulated context it replaces the content-type parsers with one that keeps the
 * raw body (needed to check push signatures), so it works whatever parsers (formbody, JSON) the
 * rest of the app registered. Do not wrap it in fastify-plugin: the parser swap must stay local.
 */
export function fastifyReceiver(opts: ReceiverOptions & { path?: string }) {
  const handler = fastifyReceiverHandler(opts);
  const bodyLimit = opts.maxBodyBytes ?? DEFAULT_PUSH_BODY_LIMIT;
  return async function swiftletReceiver(instance: FastifyInstanceLike): Promise<void> {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) =>
      done(null, body),
    );
    instance.post(opts.path ?? '/', handler);
  };
}

/** The slice of an express request the middleware reads (`req.body` set by body parsers, if any). */
type ExpressRequestLike = http.IncomingMessage & { body?: unknown; originalUrl?: string };

/**
 * An express-style handler `(req, res, next)`, without importing express:
 *
 * ```ts
 * app.post('/sms/report', expressReceiver({ onStatusReport }));                  // reads the stream itself
 * app.post('/sms/report', express.raw({ type: '*\/*' }), expressReceiver({ verify, onStatusReport }));
 * ```
 * If a body parser already consumed the stream, `req.body` is used: a Buffer (express.raw) keeps
 * verification possible; a parsed object (express.urlencoded/json) works only without `verify`
 * (the receiver then answers 500, since the exact bytes are gone). Unexpected errors go to `next`.
 */
export function expressReceiver(opts: ReceiverOptions) {
  const limit = opts.maxBodyBytes ?? DEFAULT_PUSH_BODY_LIMIT;
  return (req: ExpressRequestLike, res: http.ServerResponse, next: (err?: unknown) => void): void => {
    const consumed =
      req.readableEnded ||
      Buffer.isBuffer(req.body) ||
      (req.body !== undefined && typeof req.body === 'object' && Object.keys(req.body as object).length > 0);
    const bodyPromise: Promise<{ raw?: Buffer; parsed?: unknown } | undefined> = consumed
      ? Promise.resolve(Buffer.isBuffer(req.body) ? { raw: req.body } : { parsed: req.body })
      : readBody(req, limit).then((raw) => (raw ? { raw } : undefined));
    bodyPromise
      .then(async (body) => {
        if (!body)
          return sendPushResult(res, {
            status: 413,
            body: '{"code":"E000000","description":"Payload Too Large"}',
          });
        const result = await handlePush(
          {
            method: req.method ?? 'POST',
            url: req.originalUrl ?? req.url ?? '/',
            headers: req.headers,
            rawBody: body.raw,
            parsedBody: body.parsed,
          },
          opts,
        );
        sendPushResult(res, result);
      })
      .catch(next);
  };
}
