/**
 * The two MSGSMS send routes as one encapsulated fastify plugin:
 * `POST /sms/batchSendSms/v1` (form) and `POST /sms/batchSendDiffSms/v1` (JSON).
 *
 * The body is read as a raw Buffer by a catch-all content-type parser (AK/SK signs the exact
 * bytes, and a broken body must answer `E000000`, not fastify's error shape); the content type,
 * authentication, IP allowlist and parsing are checked in the handler in the order documented in
 * docs/management-api.md. A request is answered `000000` only after `store.acceptMessages`
 * resolved, i.e. after its rows are committed; nothing is stored for a refused request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { authenticateRequest } from '../../auth/authenticate.js';
import type { NonceReplayGuard } from '../../auth/nonce-replay-guard.js';
import { apiCode } from '../../domain/api-codes.js';
import { isIpAllowed } from '../../domain/ip-allow.js';
import type { TemplateVariable } from '../../domain/template.js';
import { formatHuaweiTime } from '../../domain/time.js';
import type { AppRecord, SignatureRecord, TemplateRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { errorBody, SEND_CONTENT_TYPE, sendResponseBody } from './build-response.js';
import { newOrderedSmsMsgId } from './ordered-sms-msg-id.js';
import { parseForm } from './parse-form.js';
import { formToSendRequest, jsonToSendRequest, type SendRequest } from './send-request.js';
import { planSend, templateVariables } from './validate-send.js';

export interface SendRoutesOptions {
  store: Store;
  replay: NonceReplayGuard;
  /** Called with the number of messages committed by each accepted request (metrics). */
  onAccepted?: (count: number) => void;
  /** Clock; default `Date.now`. */
  now?: () => number;
}

/** Token-bucket key prefix of the per-app request rate (`app:<appId>`). */
export const APP_TPS_KEY_PREFIX = 'app:';

/** Form fields where an unencoded leading `+` is read as a plus sign (see `parseForm`). */
const PLUS_SIGN_FIELDS: ReadonlySet<string> = new Set(['to']);

export const FORM_PATH = '/sms/batchSendSms/v1';
export const JSON_PATH = '/sms/batchSendDiffSms/v1';

const CodeBody = Type.Object({ code: Type.String(), description: Type.String() });
const SmsId = Type.Object({
  total: Type.Optional(Type.Integer()),
  originTo: Type.String(),
  createTime: Type.String(),
  from: Type.String(),
  smsMsgId: Type.String(),
  countryId: Type.Optional(Type.String()),
  status: Type.String(),
});
const SendResponse = Type.Object({
  result: Type.Optional(Type.Array(SmsId)),
  code: Type.String(),
  description: Type.String(),
});

const FormBody = Type.Object({
  from: Type.String({
    maxLength: 21,
    description: 'Channel number of an approved signature (mainland) or of the app (international).',
  }),
  to: Type.String({
    description: 'Up to 500 comma-separated numbers, +<country><number>; +86 assumed without +.',
  }),
  templateId: Type.String({ maxLength: 32 }),
  templateParas: Type.Optional(Type.String({ description: 'JSON array string, e.g. ["369751"].' })),
  statusCallback: Type.Optional(Type.String({ maxLength: 255 })),
  signature: Type.Optional(
    Type.String({
      description: "Only for universal templates: the name of the `from` channel's signature.",
    }),
  ),
  extend: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});
const JsonBody = Type.Object({
  from: Type.String({ maxLength: 21 }),
  statusCallback: Type.Optional(Type.String({ maxLength: 255 })),
  extend: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  smsContent: Type.Array(
    Type.Object({
      to: Type.Array(Type.String(), { maxItems: 500 }),
      templateId: Type.String({ maxLength: 32 }),
      templateParas: Type.Optional(Type.Array(Type.String())),
      signature: Type.Optional(Type.String()),
    }),
  ),
});

function routeSchema(summary: string, consumes: string, body: TSchema): FastifySchema {
  return {
    tags: ['send'],
    summary,
    consumes: [consumes],
    produces: [SEND_CONTENT_TYPE],
    security: [{ wsse: [] }, { aksk: [] }],
    body,
    response: { 200: SendResponse, '4xx': CodeBody, '5xx': CodeBody },
  };
}

function reply(res: FastifyReply, code: string): FastifyReply {
  return res.code(apiCode(code).http).type(SEND_CONTENT_TYPE).send(errorBody(code));
}

/** Registers the send routes. Encapsulated: its body parser and error handler stay inside. */
export async function sendRoutes(app: FastifyInstance, opts: SendRoutesOptions): Promise<void> {
  const { store, replay } = opts;
  const now = opts.now ?? Date.now;
  const variablesCache = new Map<string, TemplateVariable[] | null>();
  const variablesOf = (tpl: TemplateRecord): TemplateVariable[] | null => {
    const key = `${tpl.id}:${tpl.updatedAt}`;
    let v = variablesCache.get(key);
    if (v === undefined) {
      if (variablesCache.size > 5000) variablesCache.clear();
      v = templateVariables(tpl);
      variablesCache.set(key, v);
    }
    return v;
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // Schemas describe the wire format for /openapi.json; the body is checked by hand (MSGSMS codes).
  app.setValidatorCompiler(() => () => true);
  // Bodies are pre-serialised strings with the exact key order; never re-serialise them.
  app.setSerializerCompiler(() => (data) => (typeof data === 'string' ? data : JSON.stringify(data)));
  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, res) => {
    if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return res.code(413).type(SEND_CONTENT_TYPE).send(errorBody('E000503'));
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)
      return reply(res, 'E000000');
    req.log.error({ err }, 'send request failed');
    return res.code(500).type(SEND_CONTENT_TYPE).send(errorBody('E000000'));
  });

  const handle = async (kind: 'form' | 'json', req: FastifyRequest, res: FastifyReply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (type !== (kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json'))
      return reply(res, 'E000040');

    let app: AppRecord | undefined;
    const q = req.url.indexOf('?');
    const auth = await authenticateRequest(
      {
        method: req.method,
        path: q < 0 ? req.url : req.url.slice(0, q),
        query: q < 0 ? '' : req.url.slice(q + 1),
        headers: req.headers,
        rawBody: raw,
      },
      {
        findAppByKey: async (key) => {
          app = await store.getAppByKey(key);
          return app;
        },
        replay,
        now: now(),
      },
    );
    if (!auth.ok) return reply(res, auth.code);
    if (!app) return reply(res, 'E000102');
    if (!isIpAllowed(req.ip, app.ipAllowList)) return reply(res, 'E000620');
    // The app's request rate (tpsLimit, send requests per second) is one token bucket in the
    // store, so every node of a cluster draws from the same budget. Over it: E000623 (HTTP 429).
    if (app.tpsLimit !== null && app.tpsLimit > 0) {
      const granted = await store.takeTokens(`${APP_TPS_KEY_PREFIX}${app.id}`, app.tpsLimit, 1, now());
      if (granted < 1) return reply(res, 'E000623');
    }

    let parsed: ReturnType<typeof formToSendRequest>;
    if (kind === 'form') {
      // `to` only: a raw `+` before a digit is a plus sign the client forgot to encode.
      const fields = parseForm(raw, { plusSignFields: PLUS_SIGN_FIELDS });
      if (!fields) return reply(res, 'E000000');
      parsed = formToSendRequest(fields);
    } else {
      parsed = jsonToSendRequest(raw);
    }
    if (!parsed.ok) return reply(res, parsed.code);
    const request: SendRequest = parsed.request;

    let channelSignature: SignatureRecord | null = null;
    if (app.region === 'cn') {
      const sig = await store.findSignatureByChannel(request.from);
      if (!sig || sig.appId !== app.id || sig.status !== 'approved') return reply(res, 'E000503');
      channelSignature = sig;
    } else if (app.channelNumber === null || app.channelNumber !== request.from) {
      return reply(res, 'E000503');
    }

    // Only templates are looked up: a universal template's `signature` must be the `from`
    // channel's signature, which is already loaded, so `signature` values cost no store query
    // (a 64 KB body could otherwise name ~1,000 of them).
    const templateIds = [...new Set(request.groups.map((g) => g.templateId))];
    const templates = await Promise.all(templateIds.map((id) => store.getTemplate(id)));
    const at = now();
    const entries = planSend(request, {
      app,
      channelSignature,
      templates: new Map(templateIds.map((id, i) => [id, templates[i]])),
      variablesOf,
      now: at,
      newSmsMsgId: () => newOrderedSmsMsgId(at),
    });
    const messages = entries.flatMap((e) => (e.message ? [e.message] : []));
    if (messages.length > 0) {
      await store.acceptMessages(messages);
      opts.onAccepted?.(messages.length);
    }
    const out = sendResponseBody(entries, request.from, formatHuaweiTime(at));
    return res.code(200).type(SEND_CONTENT_TYPE).send(out.body);
  };

  app.post(
    FORM_PATH,
    {
      schema: routeSchema(
        'Send the same template to up to 500 numbers',
        'application/x-www-form-urlencoded',
        FormBody,
      ),
    },
    (req, res) => handle('form', req, res),
  );
  app.post(
    JSON_PATH,
    { schema: routeSchema('Send different templates/params per group', 'application/json', JsonBody) },
    (req, res) => handle('json', req, res),
  );
}
