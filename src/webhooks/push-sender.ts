import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { type AddressPolicy, checkAddress, guardedLookup, isAddressRefused } from './address-guard.js';

/** One HTTP push, ready to go. */
export interface PushRequest {
  url: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  body: string;
  /** Extra headers (signing). `Host` and `Content-Type` are set here. */
  headers?: Record<string, string>;
}

/**
 * Outcome of one attempt. `httpStatus` is null when no response arrived. `permanent` marks
 * failures no retry can fix (address refused, malformed URL): the worker makes the push dead.
 */
export interface PushResult {
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  permanent: boolean;
}

/** Options of {@link PushSender}. */
export interface PushSenderOptions extends AddressPolicy {
  /** Connect + response-headers + body timeout per attempt. Default 10 000 ms. */
  timeoutMs: number;
  /** Sockets per origin (no pipelining: one push each at a time). Default 64, see WebhookOptions.connectionsPerOrigin. */
  connectionsPerOrigin?: number;
  /** Idle keep-alive. Default 30 000 ms (receivers usually close sooner; undici honours their hint). */
  keepAliveMs?: number;
}

/** IP literals whose guard verdict is remembered (cleared when full). */
const MAX_VERDICTS = 1_000;

/** Response bodies are read and thrown away; a receiver may not make us buffer more than this. */
const MAX_DISCARD_BYTES = 64 * 1024;

/**
 * Sends pushes over one shared keep-alive pool (undici `Agent`). The address guard sits in the
 * socket's DNS lookup, so the IP actually connected to is the one checked (no DNS-rebinding gap);
 * IP literals, which skip lookup, are checked here before dispatch. Redirects are not followed
 * (undici's default), so a 3xx cannot lead a push elsewhere — it counts as an answer.
 */
export class PushSender {
  readonly #agent: Agent;
  readonly #policy: AddressPolicy;
  readonly #timeoutMs: number;
  readonly #verdicts = new Map<string, string | null>();

  constructor(opts: PushSenderOptions) {
    this.#policy = { allowPrivate: opts.allowPrivate, allowLoopback: opts.allowLoopback };
    this.#timeoutMs = opts.timeoutMs;
    this.#agent = new Agent({
      connections: opts.connectionsPerOrigin ?? 64,
      keepAliveTimeout: opts.keepAliveMs ?? 30_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: { timeout: opts.timeoutMs, lookup: guardedLookup(this.#policy) },
    });
  }

  /** Never throws: every failure comes back as a {@link PushResult}. */
  async send(req: PushRequest): Promise<PushResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return { httpStatus: null, latencyMs: 0, error: `invalid push URL: ${req.url}`, permanent: true };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return {
        httpStatus: null,
        latencyMs: 0,
        error: `unsupported push URL scheme: ${url.protocol}`,
        permanent: true,
      };
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) {
      const refusal = this.#literalRefusal(host);
      if (refusal) return { httpStatus: null, latencyMs: 0, error: refusal, permanent: true };
    }
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { host: url.host, 'content-type': req.contentType, ...req.headers },
        body: req.body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const latencyMs = elapsed();
      // Drain so the socket returns to the pool; the content itself is never processed (spec §6).
      await res.body.dump({ limit: MAX_DISCARD_BYTES }).catch(() => undefined);
      return { httpStatus: res.statusCode, latencyMs, error: null, permanent: false };
    } catch (err) {
      const refused = isAddressRefused(err);
      return { httpStatus: null, latencyMs: elapsed(), error: describeError(err), permanent: refused };
    }
  }

  /**
   * The guard's verdict on an IP literal, remembered: the policy is fixed for this sender and the
   * verdict depends only on the address, while classifying costs several block-list checks —
   * measurable when thousands of pushes a second go to the same receiver.
   */
  #literalRefusal(ip: string): string | null {
    const hit = this.#verdicts.get(ip);
    if (hit !== undefined) return hit;
    const verdict = checkAddress(ip, this.#policy)?.message ?? null;
    if (this.#verdicts.size >= MAX_VERDICTS) this.#verdicts.clear();
    this.#verdicts.set(ip, verdict);
    return verdict;
  }

  /** Closes pooled sockets; in-flight requests finish first. */
  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function describeError(err: unknown): string {
  // The guard's own message is the clearest; undici may wrap it.
  for (
    let e = err as { name?: string; message?: string; cause?: unknown } | undefined, i = 0;
    e && i < 4;
    i++
  ) {
    if (e.name === 'AddressRefusedError' && e.message) return e.message;
    e = e.cause as typeof e;
  }
  const e = err as {
    code?: string;
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.code ?? e?.cause?.code;
  const msg = e?.message || e?.cause?.message || String(err);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}
