import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { formatHuaweiTime, parseHuaweiTime } from '../domain/time.js';
import { headerValue, parseAuthParams, splitScheme } from './auth-params.js';

/**
 * The exact `Authorization` value of the official X-WSSE samples (no spaces after commas).
 * The server also accepts the spaced form of the doc tables.
 */
export const WSSE_AUTHORIZATION = 'WSSE realm="SDP",profile="UsernameToken",type="Appkey"';

/**
 * How `PasswordDigest = Base64(SHA256(Nonce + Created + Password))` is encoded (spec §4.1):
 * - `hex`: Base64 of the lower-case hex text of the hash (88 chars) — the doc example and the
 *   Java/Python/PHP samples. The default, because it is the documented canonical form.
 * - `raw`: Base64 of the 32 raw hash bytes (44 chars) — the official Node.js sample.
 */
export type WsseDigestForm = 'hex' | 'raw';

/** Nonce rule of spec §4.1: 1–128 ASCII letters or digits. */
const NONCE_RE = /^[A-Za-z0-9]{1,128}$/;
/** Created rule of spec §4.1: exactly `yyyy-MM-ddTHH:mm:ssZ`, no fraction, no offset. */
const CREATED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Computes a PasswordDigest in the chosen encoding (default `hex`, see {@link WsseDigestForm}). */
export function wsseDigest(
  nonce: string,
  created: string,
  secret: string,
  form: WsseDigestForm = 'hex',
): string {
  const hash = createHash('sha256').update(nonce + created + secret, 'utf8');
  if (form === 'raw') return hash.digest('base64');
  return Buffer.from(hash.digest('hex'), 'ascii').toString('base64');
}

/** Options of {@link buildWsseHeaders}; every field exists so tests can pin the output. */
export interface WsseBuildOptions {
  /** Default: 32 random lower-case hex chars (the Python sample's length). */
  nonce?: string;
  /** Default: the current UTC time as `yyyy-MM-ddTHH:mm:ssZ`. */
  created?: string;
  /** Default `hex` (the documented form; Swiftlet and Huawei accept both). */
  digest?: WsseDigestForm;
}

/** Builds the two request headers of the X-WSSE scheme. A fresh nonce is used per call. */
export function buildWsseHeaders(
  appKey: string,
  appSecret: string,
  opts: WsseBuildOptions = {},
): { Authorization: string; 'X-WSSE': string } {
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const created = opts.created ?? formatHuaweiTime(new Date());
  const digest = wsseDigest(nonce, created, appSecret, opts.digest ?? 'hex');
  return {
    Authorization: WSSE_AUTHORIZATION,
    'X-WSSE': `UsernameToken Username="${appKey}",PasswordDigest="${digest}",Nonce="${nonce}",Created="${created}"`,
  };
}

/** A failed parse or check, carrying the MSGSMS API code to answer with. */
export interface AuthFailure {
  ok: false;
  code: string;
}

/**
 * Checks the `Authorization` header of an X-WSSE request (spec §4.1 error mapping):
 * absent/empty → E000001; scheme is not `WSSE` → E000008; no realm → E000002; realm ≠ `SDP` →
 * E000004; no profile → E000003; profile ≠ `UsernameToken` → E000005; no type → E000007;
 * type ≠ `Appkey` → E000006. An unparseable attribute list counts as "realm not contained".
 */
export function parseWsseAuthorization(header: string | string[] | undefined): { ok: true } | AuthFailure {
  const raw = headerValue(header);
  if (raw === undefined || raw.trim() === '') return { ok: false, code: 'E000001' };
  const { scheme, rest } = splitScheme(raw);
  if (scheme.toUpperCase() !== 'WSSE') return { ok: false, code: 'E000008' };
  const params = parseAuthParams(rest);
  if (!params) return { ok: false, code: 'E000002' };
  const realm = params.get('realm');
  if (realm === undefined) return { ok: false, code: 'E000002' };
  if (realm !== 'SDP') return { ok: false, code: 'E000004' };
  const profile = params.get('profile');
  if (profile === undefined) return { ok: false, code: 'E000003' };
  if (profile !== 'UsernameToken') return { ok: false, code: 'E000005' };
  const type = params.get('type');
  if (type === undefined) return { ok: false, code: 'E000007' };
  if (type !== 'Appkey') return { ok: false, code: 'E000006' };
  return { ok: true };
}

/** The four attributes of a parsed `X-WSSE` header, plus `createdMs` (epoch ms of Created). */
export interface WsseToken {
  ok: true;
  username: string;
  passwordDigest: string;
  nonce: string;
  created: string;
  createdMs: number;
}

/**
 * Parses `X-WSSE: UsernameToken Username="…",PasswordDigest="…",Nonce="…",Created="…"`:
 * absent/empty → E000020; scheme not `UsernameToken` or malformed list → E000026; missing or
 * empty Username → E000021, Nonce → E000022, Created → E000023, PasswordDigest → E000024.
 * A Nonce that is not 1–128 letters/digits also answers E000022 (the catalogue has no code for a
 * malformed nonce; "Nonce not contained" is the closest). Created not strictly
 * `yyyy-MM-ddTHH:mm:ssZ` (or not a real date) → E000025.
 */
export function parseXWsse(header: string | string[] | undefined): WsseToken | AuthFailure {
  const raw = headerValue(header);
  if (raw === undefined || raw.trim() === '') return { ok: false, code: 'E000020' };
  const { scheme, rest } = splitScheme(raw);
  if (scheme.toLowerCase() !== 'usernametoken') return { ok: false, code: 'E000026' };
  const params = parseAuthParams(rest);
  if (!params) return { ok: false, code: 'E000026' };
  const username = params.get('username');
  if (!username) return { ok: false, code: 'E000021' };
  const nonce = params.get('nonce');
  if (!nonce || !NONCE_RE.test(nonce)) return { ok: false, code: 'E000022' };
  const created = params.get('created');
  if (!created) return { ok: false, code: 'E000023' };
  const passwordDigest = params.get('passworddigest');
  if (!passwordDigest) return { ok: false, code: 'E000024' };
  const createdMs = CREATED_RE.test(created) ? parseHuaweiTime(created) : null;
  if (createdMs === null) return { ok: false, code: 'E000025' };
  return { ok: true, username, passwordDigest, nonce, created, createdMs };
}

/**
 * True when `token.passwordDigest` equals Base64(lower-case hex), Base64(upper-case hex) or
 * Base64(raw) of SHA256(Nonce + Created + secret). All three candidates are always compared, each
 * with `timingSafeEqual` when the lengths match, so timing does not reveal which prefix matched.
 */
export function verifyWsseDigest(
  token: { passwordDigest: string; nonce: string; created: string },
  secret: string,
): boolean {
  const hash = createHash('sha256')
    .update(token.nonce + token.created + secret, 'utf8')
    .digest();
  const hex = hash.toString('hex');
  const candidates = [
    Buffer.from(Buffer.from(hex, 'ascii').toString('base64'), 'ascii'),
    Buffer.from(Buffer.from(hex.toUpperCase(), 'ascii').toString('base64'), 'ascii'),
    Buffer.from(hash.toString('base64'), 'ascii'),
  ];
  const given = Buffer.from(token.passwordDigest, 'utf8');
  let match = false;
  for (const c of candidates) {
    if (c.length === given.length && timingSafeEqual(c, given)) match = true;
  }
  return match;
}
