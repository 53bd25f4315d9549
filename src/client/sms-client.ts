import http from 'node:http';
import https from 'node:https';
import { signAkSk } from '../auth/aksk.js';
import { buildWsseHeaders, type WsseDigestForm } from '../auth/wsse.js';
import { SmsApiError, SmsNetworkError, SmsResponseError, SmsTimeoutError } from './errors.js';
import type { BatchSendDiffSmsRequest, BatchSendSmsRequest, SendResponse } from './types.js';

/** Default per-attempt time limit: connect + send + full response. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Default number of extra attempts for errors that happened before the request could be sent. */
export const DEFAULT_RETRIES = 2;
/** Cap on a response body; MSGSMS responses are at most a few hundred KB (1,000 SmsIDs). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Idle keep-alive sockets are closed after this, below common server keep-alive timeouts (5 s). */
const IDLE_SOCKET_MS = 4_000;

/** Options of {@link SmsClient}. Validated once in the constructor. */
export interface SmsClientOptions {
  /**
   * The application access address, e.g. `https://smsapi.cn-north-4.myhuaweicloud.com:443` or
   * `http://127.0.0.1:8080`. The authority is sent (and signed) verbatim as `Host`, `:443` included,
   * so the same URL works against Huawei and Swiftlet. A path prefix is kept.
   */
  endpoint: string;
  appKey: string;
  appSecret: string;
  /** Authentication scheme; default `aksk` (Huawei recommends it; it also signs the body). */
  auth?: 'aksk' | 'wsse';
  /** Per-attempt time limit in ms; default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Retries for errors before the request was sent (refused, DNS, TLS handshake); default {@link DEFAULT_RETRIES}. */
  retries?: number;
  /** Base delay before retry n (doubled each time); default 200 ms. */
  retryDelayMs?: number;
  /** X-WSSE digest encoding; default `hex` (the documented form). */
  wsseDigest?: WsseDigestForm;
  /**
   * AK/SK: send `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` for form bodies, as Huawei's Node/Python
   * SDKs do. Default false: the body hash is signed, so a proxy cannot alter the message.
   */
  unsignedPayload?: boolean;
  /** Your own agent (custom CA, proxy…). Default: a private keep-alive agent, closed by {@link SmsClient.close}. */
  agent?: http.Agent;
}

export interface Endpoint {
  secure: boolean;
  hostname: string;
  port: number;
  /** The authority exactly as written in the endpoint (the `Host` header). */
  host: string;
  basePath: string;
}

/** Splits an endpoint URL; `host` keeps the authority as written (`:443` included). Exported for tests. */
export function parseEndpoint(endpoint: string): Endpoint {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`SmsClient: endpoint is not a URL: ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`SmsClient: endpoint must be http(s): ${endpoint}`);
  const secure = url.protocol === 'https:';
  // URL drops a default port (`:443`), but Huawei's samples keep it and sign it; take the authority as written.
  const authority = (/^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(endpoint.trim())?.[1] ?? url.host).replace(
    /^.*@/,
    '',
  );
  return {
    secure,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    host: authority,
    basePath: url.pathname.replace(/\/+$/, ''),
  };
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Client for the two MSGSMS send APIs, usable unchanged against Huawei Cloud or Swiftlet.
 *
 * Retry policy: only errors raised before the request could reach the server (connection refused,
 * DNS failure, TLS handshake failure on a fresh socket) are retried, up to `retries` times with
 * doubling delay. Once a socket is connected the request is never repeated — timeouts, resets and
 * garbled responses are thrown as-is — so an SMS is never sent twice by the SDK.
 *
 * @throws {SmsApiError} request-level error code (not E000510, which is returned)
 * @throws {SmsTimeoutError} no response within `timeoutMs` (may have been processed)
 * @throws {SmsNetworkError} socket/DNS error; see `mayHaveBeenSent`
 * @throws {SmsResponseError} a body that is not an MSGSMS response
 */
export class SmsClient {
  readonly #endpoint: Endpoint;
  readonly #opts: Readonly<Required<Omit<SmsClientOptions, 'agent' | 'endpoint'>>>;
  readonly #agent: http.Agent;
  readonly #ownAgent: boolean;

  constructor(options: SmsClientOptions) {
    this.#endpoint = parseEndpoint(options.endpoint);
    if (!options.appKey || !options.appSecret)
      throw new TypeError('SmsClient: appKey and appSecret are required');
    const auth = options.auth ?? 'aksk';
    if (auth !== 'aksk' && auth !== 'wsse')
      throw new TypeError(`SmsClient: auth must be 'aksk' or 'wsse', got ${String(auth)}`);
    this.#opts = Object.freeze({
      appKey: options.appKey,
      appSecret: options.appSecret,
      auth,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retries: Math.max(0, options.retries ?? DEFAULT_RETRIES),
      retryDelayMs: options.retryDelayMs ?? 200,
      wsseDigest: options.wsseDigest ?? 'hex',
      unsignedPayload: options.unsignedPayload ?? false,
    });
    this.#ownAgent = !options.agent;
    this.#agent =
      options.agent ??
      (this.#endpoint.secure
        ? new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS })
        : new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }));
  }

  /** Sends one template to 1–500 numbers (`POST /sms/batchSendSms/v1`, form body). */
  batchSendSms(req: BatchSendSmsRequest): Promise<SendResponse> {
    const form = new URLSearchParams();
    form.append('from', req.from);
    form.append('to', Array.isArray(req.to) ? req.to.join(',') : req.to);
    form.append('templateId', req.templateId);
    if (req.templateParas !== undefined) form.append('templateParas', JSON.stringify(req.templateParas));
    if (req.statusCallback !== undefined) form.append('statusCallback', req.statusCallback);
    if (req.extend !== undefined) form.append('extend', req.extend);
    if (req.signature !== undefined) form.append('signature', req.signature);
    return this.#send('/sms/batchSendSms/v1', 'application/x-www-form-urlencoded', form.toString());
  }

  /** Sends different templates/params per group (`POST /sms/batchSendDiffSms/v1`, JSON body). */
  batchSendDiffSms(req: BatchSendDiffSmsRequest): Promise<SendResponse> {
    const body = JSON.stringify({
      from: req.from,
      statusCallback: req.statusCallback,
      smsContent: req.smsContent.map((c) => ({
        to: c.to,
        templateId: c.templateId,
        templateParas: c.templateParas,
        signature: c.signature,
      })),
      extend: req.extend,
    });
    return this.#send('/sms/batchSendDiffSms/v1', 'application/json', body);
  }

  /** Closes idle keep-alive sockets of the client's own agent (a caller-supplied agent is left alone). */
  close(): void {
    if (this.#ownAgent) this.#agent.destroy();
  }

  async #send(path: string, contentType: string, body: string): Promise<SendResponse> {
    const fullPath = this.#endpoint.basePath + path;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(fullPath, contentType, body);
      } catch (err) {
        const safe = err instanceof SmsNetworkError && !err.mayHaveBeenSent;
        if (!safe || attempt >= this.#opts.retries) throw err;
        await delay(this.#opts.retryDelayMs * 2 ** attempt);
      }
    }
  }

  #headers(path: string, contentType: string, body: string): Record<string, string> {
    const base = { 'Content-Type': contentType, Host: this.#endpoint.host };
    const o = this.#opts;
    const auth =
      o.auth === 'aksk'
        ? signAkSk({
            method: 'POST',
            path,
            headers: base,
            body,
            appKey: o.appKey,
            appSecret: o.appSecret,
            unsignedPayload: o.unsignedPayload && contentType !== 'application/json',
          })
        : buildWsseHeaders(o.appKey, o.appSecret, { digest: o.wsseDigest });
    return {
      ...base,
      ...auth,
      Accept: 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
    };
  }

  #attempt(path: string, contentType: string, body: string): Promise<SendResponse> {
    const ep = this.#endpoint;
    const headers = this.#headers(path, contentType, body);
    return new Promise<SendResponse>((resolve, reject) => {
      // Whether the body may have reached the server: true once a socket is connected (or reused).
      let mayHaveBeenSent = false;
      let settled = false;
      const finish = (err: Error | undefined, value?: SendResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value as SendResponse);
      };
      const request = (ep.secure ? https : http).request({
        method: 'POST',
        hostname: ep.hostname,
        port: ep.port,
        path,
        headers,
        agent: this.#agent,
      });
      const timer = setTimeout(() => {
        finish(new SmsTimeoutError(this.#opts.timeoutMs));
        request.destroy();
      }, this.#opts.timeoutMs);
      request.on('socket', (socket) => {
        if (request.reusedSocket || !socket.connecting) {
          mayHaveBeenSent = true;
          return;
        }
        socket.once(ep.secure ? 'secureConnect' : 'connect', () => {
          mayHaveBeenSent = true;
        });
      });
      request.on('error', (err: Error & { code?: string }) =>
        finish(new SmsNetworkError(err, mayHaveBeenSent)),
      );
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            finish(new SmsResponseError(res.statusCode ?? 0, 'response body too large'));
            request.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (err: Error & { code?: string }) => finish(new SmsNetworkError(err, true)));
        res.on('end', () => {
          try {
            finish(undefined, interpret(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            finish(err as Error);
          }
        });
      });
      request.end(body);
    });
  }
}

/** Maps an HTTP response to a result or one of the SDK errors. */
function interpret(status: number, text: string): SendResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SmsResponseError(status, text);
  }
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (typeof o.code === 'string') {
      // E000510: some or all numbers failed; the per-number `status` is the answer, so return it.
      if (o.code === '000000' || o.code === 'E000510') return o as unknown as SendResponse;
      throw new SmsApiError(o.code, typeof o.description === 'string' ? o.description : '', status, json);
    }
    // Huawei's API gateway answers AK/SK failures as {"error_code":"APIG.0301","error_msg":…}.
    if (typeof o.error_code === 'string') {
      throw new SmsApiError(o.error_code, typeof o.error_msg === 'string' ? o.error_msg : '', status, json);
    }
  }
  throw new SmsResponseError(status, text);
}
