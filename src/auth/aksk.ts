import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { formatSdkDate, parseSdkDate } from '../domain/time.js';
import { headerValue, parseAuthParams, splitScheme } from './auth-params.js';
import type { AuthFailure } from './wsse.js';

/** The algorithm name that prefixes both `Authorization` and the string to sign. */
export const AKSK_ALGORITHM = 'SDK-HMAC-SHA256';
/** Literal payload marker the Node/Python SDKs send in `X-Sdk-Content-Sha256` for form bodies. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Clock window of the AK/SK scheme (spec §4.2): 15 minutes either side. */
export const AKSK_CLOCK_WINDOW_MS = 15 * 60 * 1000;

const SDK_DATE_RE = /^\d{8}T\d{6}Z$/;

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** RFC 3986 unreserved-only encoding, the form Huawei's signers use for URI segments and query parts. */
function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Canonical URI: each segment decoded then re-encoded (so `%7E` and `~` sign alike), always
 * ending in `/` — `/sms/batchSendSms/v1` → `/sms/batchSendSms/v1/`.
 */
export function canonicalUri(path: string): string {
  const p = path
    .split('/')
    .map((seg) => encodeRfc3986(safeDecode(seg)))
    .join('/');
  return p.endsWith('/') ? p : `${p}/`;
}

/** Canonical query: pairs re-encoded, sorted by name then value, joined with `&`; `''` when empty. */
export function canonicalQuery(query: string | undefined): string {
  if (!query) return '';
  const q = query.startsWith('?') ? query.slice(1) : query;
  const pairs: [string, string][] = [];
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([encodeRfc3986(safeDecode(k)), encodeRfc3986(safeDecode(v))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Everything the canonical request is built from. Header names in `headers` must be lower-case. */
export interface CanonicalInput {
  method: string;
  path: string;
  query?: string;
  /** Lower-cased names → values as sent/received (multi-valued headers are joined with `,`). */
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case names, any order; they are sorted here. */
  signedHeaders: string[];
  /** Hex SHA-256 of the body, or the literal `X-Sdk-Content-Sha256` value. */
  payloadHash: string;
}

/**
 * `METHOD\nURI\nQUERY\nname:value\n…\n\nsigned;names\npayloadHash` (spec §4.2 step 2). Values are
 * trimmed; a signed header that is absent contributes an empty value (the signature then fails
 * naturally instead of throwing).
 */
export function canonicalRequest(input: CanonicalInput): string {
  const names = [...input.signedHeaders].sort();
  let headers = '';
  for (const name of names) {
    const v = input.headers[name];
    const value = Array.isArray(v) ? v.join(',') : (v ?? '');
    headers += `${name}:${value.trim()}\n`;
  }
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQuery(input.query),
    headers,
    names.join(';'),
    input.payloadHash,
  ].join('\n');
}

/** `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256 of canonical request>` (spec §4.2 step 3). */
export function stringToSign(sdkDate: string, canonical: string): string {
  return `${AKSK_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** Lower-case hex HMAC-SHA256 keyed with the app secret (spec §4.2 step 4). */
export function akskSignature(secret: string, toSign: string): string {
  return createHmac('sha256', secret).update(toSign, 'utf8').digest('hex');
}

/** Input of {@link signAkSk}. */
export interface AkSkSignRequest {
  method: string;
  path: string;
  query?: string;
  /** Headers that will be sent, any case. Include `Host` exactly as it goes on the wire (with `:443` if so). */
  headers: Record<string, string>;
  body: string | Buffer;
  appKey: string;
  appSecret: string;
  /** Signing time; default now. */
  date?: Date;
  /**
   * Send `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` instead of hashing the body (what the Huawei
   * Node/Python SDKs do for form bodies). Default false: hashing protects the body too.
   */
  unsignedPayload?: boolean;
  /**
   * Header names to sign; default every header in `headers` plus the ones added here.
   * `x-sdk-date` (and `x-sdk-content-sha256` when added) are always signed.
   */
  signedHeaders?: string[];
}

/**
 * Signs a request with the "special AK/SK" scheme and returns the headers to add:
 * `X-Sdk-Date`, `Authorization` and, with `unsignedPayload`, `X-Sdk-Content-Sha256`.
 * An `X-Sdk-Content-Sha256` already present in `headers` is used literally as the payload hash.
 */
export function signAkSk(req: AkSkSignRequest): Record<string, string> {
  const sdkDate = formatSdkDate(req.date ?? new Date());
  const added: Record<string, string> = { 'X-Sdk-Date': sdkDate };
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) lower[k.toLowerCase()] = v;
  if (req.unsignedPayload && lower['x-sdk-content-sha256'] === undefined) {
    added['X-Sdk-Content-Sha256'] = UNSIGNED_PAYLOAD;
    lower['x-sdk-content-sha256'] = UNSIGNED_PAYLOAD;
  }
  lower['x-sdk-date'] = sdkDate;
  const signed = new Set((req.signedHeaders ?? Object.keys(lower)).map((n) => n.toLowerCase()));
  signed.add('x-sdk-date');
  if (added['X-Sdk-Content-Sha256']) signed.add('x-sdk-content-sha256');
  const signedHeaders = [...signed].sort();
  const payloadHash = lower['x-sdk-content-sha256'] ?? sha256Hex(req.body);
  const canonical = canonicalRequest({
    method: req.method,
    path: req.path,
    query: req.query,
    headers: lower,
    signedHeaders,
    payloadHash,
  });
  const signature = akskSignature(req.appSecret, stringToSign(sdkDate, canonical));
  added.Authorization = `${AKSK_ALGORITHM} Access=${req.appKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return added;
}

/** A parsed `Authorization: SDK-HMAC-SHA256 …` header. */
export interface SdkAuthorization {
  ok: true;
  access: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=hex`, with or without quotes
 * and with or without spaces after commas or around `=`. Any defect → E000043.
 */
export function parseSdkAuthorization(header: string | string[] | undefined): SdkAuthorization | AuthFailure {
  const fail: AuthFailure = { ok: false, code: 'E000043' };
  const raw = headerValue(header);
  if (!raw) return fail;
  const { scheme, rest } = splitScheme(raw);
  if (scheme.toUpperCase() !== AKSK_ALGORITHM) return fail;
  const params = parseAuthParams(rest);
  if (!params) return fail;
  const access = params.get('access');
  const signedList = params.get('signedheaders');
  const signature = params.get('signature');
  if (!access || !signedList || !signature || !/^[0-9a-fA-F]+$/.test(signature)) return fail;
  const signedHeaders = signedList.split(';').map((s) => s.trim().toLowerCase());
  if (signedHeaders.some((s) => s === '')) return fail;
  return { ok: true, access, signedHeaders, signature: signature.toLowerCase() };
}

/** Input of {@link verifyAkSk}: the request as received. */
export interface AkSkVerifyInput {
  method: string;
  /** Path without the query string, as received (not decoded). */
  path: string;
  query?: string;
  /** Lower-cased names as node gives them in `IncomingMessage.headers`. */
  headers: Record<string, string | string[] | undefined>;
  /** The exact body bytes, before any form or JSON decoding. */
  rawBody: Buffer;
  secret: string;
  auth: SdkAuthorization;
  /** Epoch ms used for the clock window. */
  now: number;
}

/**
 * The payload hash the client signed. `X-Sdk-Content-Sha256` replaces the body hash only when the
 * header is itself signed (the Node and Python SDKs sign it): an unsigned one could be added by
 * anyone who saw a body-hashed request, to swap the body. A literal that is a SHA-256 must match
 * the body; null means it does not.
 */
function payloadHashFor(input: AkSkVerifyInput): string | null {
  const bodyHash = sha256Hex(input.rawBody);
  if (!input.auth.signedHeaders.includes('x-sdk-content-sha256')) return bodyHash;
  const literal = headerValue(input.headers['x-sdk-content-sha256'])?.trim();
  if (literal === undefined) return bodyHash;
  if (/^[0-9a-fA-F]{64}$/.test(literal)) return literal.toLowerCase() === bodyHash ? literal : null;
  return literal;
}

/**
 * Verifies an AK/SK signature against the received request. Codes: E000041 X-Sdk-Date missing or
 * empty; E000042 not `yyyyMMddTHHmmssZ` or not a real time; E000043 `x-sdk-date` not among
 * SignedHeaders; E000044 more than 15 minutes from `now`; E000045 signature mismatch (compared
 * with `timingSafeEqual`).
 */
export function verifyAkSk(input: AkSkVerifyInput): { ok: true } | AuthFailure {
  const sdkDate = headerValue(input.headers['x-sdk-date'])?.trim();
  if (!sdkDate) return { ok: false, code: 'E000041' };
  const dateMs = SDK_DATE_RE.test(sdkDate) ? parseSdkDate(sdkDate) : null;
  if (dateMs === null) return { ok: false, code: 'E000042' };
  if (!input.auth.signedHeaders.includes('x-sdk-date')) return { ok: false, code: 'E000043' };
  if (Math.abs(input.now - dateMs) > AKSK_CLOCK_WINDOW_MS) return { ok: false, code: 'E000044' };
  const payloadHash = payloadHashFor(input);
  if (payloadHash === null) return { ok: false, code: 'E000045' };
  const canonical = canonicalRequest({
    method: input.method,
    path: input.path,
    query: input.query,
    headers: input.headers,
    signedHeaders: input.auth.signedHeaders,
    payloadHash,
  });
  const expected = Buffer.from(akskSignature(input.secret, stringToSign(sdkDate, canonical)), 'ascii');
  const given = Buffer.from(input.auth.signature, 'ascii');
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, code: 'E000045' };
  return { ok: true };
}
