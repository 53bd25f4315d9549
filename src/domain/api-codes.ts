/**
 * THE catalogue of send-API result codes (spec §5) and per-number statuses (spec §3.4).
 *
 * `description` is what goes on the wire in `{"code","description"}`; English strings are
 * Huawei's own where the spec quotes them, otherwise written for Swiftlet from the Chinese text.
 *
 * HTTP status (spec §3.4 recommendation, Swiftlet's choice where Huawei's is unknown):
 * - 200: `000000`, `E000510` (the request was processed; per-number `status` tells the rest) and
 *   the per-number statuses (they never stand alone as a response code, 200 is nominal).
 * - 400: request format and parameter errors — E000000–E000008, E000020–E000027, E000040–E000043,
 *   E000503.
 * - 401: credential and clock failures — E000044, E000045, E000101–E000112.
 * - 403: E000620 (caller IP not in the app's whitelist), as Huawei documents.
 * - 429: E000623 / E000630 (volume limits). The spec allows 403 or 429; 429 tells clients and
 *   proxies the refusal is about rate/volume and may succeed later.
 */
export interface ApiCodeInfo {
  code: string;
  http: number;
  description: string;
  suggestion: string;
}

type Row = [code: string, http: number, description: string, suggestion: string];

const ROWS: Row[] = [
  ['000000', 200, 'Success', 'Request accepted; wait for the status report.'],
  [
    'E000000',
    400,
    'System error.',
    'The request could not be parsed: check the body encoding and that templateParas is a JSON array string (batchSendSms) or a JSON array (batchSendDiffSms).',
  ],
  [
    'E000001',
    400,
    'Authorization not contained in the HTTP header.',
    'Send the Authorization header: WSSE realm="SDP",profile="UsernameToken",type="Appkey" or SDK-HMAC-SHA256.',
  ],
  ['E000002', 400, 'realm not contained in Authorization.', 'Add realm="SDP" to the Authorization header.'],
  [
    'E000003',
    400,
    'profile not contained in Authorization.',
    'Add profile="UsernameToken" to the Authorization header.',
  ],
  ['E000004', 400, 'The value of realm in Authorization must be SDP.', 'Set realm="SDP".'],
  [
    'E000005',
    400,
    'The value of profile in Authorization must be UsernameToken.',
    'Set profile="UsernameToken".',
  ],
  ['E000006', 400, 'The value of type in Authorization must be app_key.', 'Set type="Appkey".'],
  ['E000007', 400, 'type not contained in Authorization.', 'Add type="Appkey" to the Authorization header.'],
  ['E000008', 400, 'WSSE not contained in Authorization.', 'The Authorization header must start with WSSE.'],
  [
    'E000020',
    400,
    'X-WSSE not contained in the HTTP header.',
    'Send the X-WSSE header with the UsernameToken.',
  ],
  ['E000021', 400, 'UserName not contained in X-WSSE.', 'Add Username="<app_key>" to X-WSSE.'],
  ['E000022', 400, 'Nonce not contained in X-WSSE.', 'Add a fresh Nonce to X-WSSE.'],
  ['E000023', 400, 'Created not contained in X-WSSE.', 'Add Created="yyyy-MM-ddTHH:mm:ssZ" (UTC) to X-WSSE.'],
  ['E000024', 400, 'PasswordDigest not contained in X-WSSE.', 'Add PasswordDigest to X-WSSE.'],
  [
    'E000025',
    400,
    'The format of Created in X-WSSE is invalid.',
    'Use yyyy-MM-ddTHH:mm:ssZ in UTC (note yyyy, not YYYY, in Java formats).',
  ],
  [
    'E000026',
    400,
    'UsernameToken not contained in X-WSSE.',
    'The X-WSSE header must start with UsernameToken.',
  ],
  ['E000027', 400, 'Invalid request.', 'Check the credentials and the request format.'],
  [
    'E000040',
    400,
    'The Content-Type must be application/x-www-form-urlencoded.',
    'batchSendSms takes application/x-www-form-urlencoded; batchSendDiffSms takes application/json.',
  ],
  ['E000041', 400, 'X-Sdk-Date is missing.', 'Send X-Sdk-Date (yyyyMMddTHHmmssZ, UTC) and sign it.'],
  [
    'E000042',
    400,
    'The format of X-Sdk-Date is invalid.',
    'Use yyyyMMddTHHmmssZ in UTC, e.g. 20240228T081151Z.',
  ],
  [
    'E000043',
    400,
    'The format of Authorization is invalid.',
    'Use SDK-HMAC-SHA256 Access=<app_key>, SignedHeaders=<h1;h2>, Signature=<hex>.',
  ],
  [
    'E000044',
    401,
    'X-Sdk-Date has expired.',
    'Synchronise the client clock; X-Sdk-Date must be close to the server time.',
  ],
  [
    'E000045',
    401,
    'Authorization verification failed.',
    'Check the app_secret and the canonical request used for signing.',
  ],
  [
    'E000101',
    401,
    'Authentication failed.',
    'Check that the Authorization and X-WSSE headers are filled in correctly.',
  ],
  ['E000102', 401, 'Invalid app_key.', 'Check the app_key; if it is correct, check the access address.'],
  ['E000103', 401, 'The app_key is unavailable.', 'The application is disabled; contact the administrator.'],
  ['E000104', 401, 'Invalid app_secret.', 'Check the app_secret.'],
  [
    'E000105',
    401,
    'Invalid PasswordDigest.',
    'Compute PasswordDigest as Base64(hex(SHA256(Nonce + Created + app_secret))).',
  ],
  [
    'E000106',
    401,
    'The app_key is not allowed to call this API.',
    'Contact the administrator to enable this API for the application.',
  ],
  ['E000109', 401, 'The user status is not activated.', 'Activate the account.'],
  [
    'E000110',
    401,
    'The time is out of the allowed range.',
    'Synchronise the client clock; Created must be close to the server time.',
  ],
  [
    'E000111',
    401,
    'Incorrect user name or password.',
    'No user was found for this app_key; check the credentials.',
  ],
  [
    'E000112',
    401,
    'The subscriber status is frozen.',
    'The account is frozen (arrears or violation); contact the administrator.',
  ],
  ['E000503', 400, 'Parameter format error.', 'Check the request parameters against the API reference.'],
  [
    'E000510',
    200,
    'The SMS fails to be sent. For details, see status.',
    'Check the status of each number in result.',
  ],
  [
    'E000620',
    403,
    'The app client ip is not in ip white list.',
    'Add the caller IP to the application IP whitelist.',
  ],
  [
    'E000623',
    429,
    'Number of SMSs sent reaches the configured limit.',
    'The traffic threshold was reached; raise the limit or wait for the next period.',
  ],
  [
    'E000630',
    429,
    'Number of SMSs sent reaches the country/region limit.',
    'The country/region threshold was reached; raise the limit or wait for the next period.',
  ],
  // Per-number `status` values of the send response (spec §3.4).
  ['E200015', 200, 'Too many SMSs to send.', 'Reduce the number of recipients or the sending frequency.'],
  [
    'E200028',
    200,
    'Template variable check failed.',
    'Check that templateParas matches the template variables in count, length and content.',
  ],
  [
    'E200029',
    200,
    'Template type check failed.',
    'The signature (channel) type must equal the template type.',
  ],
  ['E200030', 200, 'The template is not activated.', 'Use an approved, active template.'],
  [
    'E200031',
    200,
    'Protocol check failed.',
    'Check the request fields (from, signature, template) against the API reference.',
  ],
  ['E200033', 200, 'Wrong template type.', 'Use a template whose type fits this request.'],
  [
    'E200041',
    200,
    'Duplicate recipient for the same content.',
    'The SMS was sent once to this number; remove duplicates from the request.',
  ],
];

function build(rows: Row[]): Readonly<Record<string, ApiCodeInfo>> {
  const out: Record<string, ApiCodeInfo> = {};
  for (const [code, http, description, suggestion] of rows) {
    if (out[code]) throw new Error(`duplicate API code ${code}`);
    out[code] = Object.freeze({ code, http, description, suggestion });
  }
  return Object.freeze(out);
}

/** Every send-API code, keyed by code. */
export const API_CODES: Readonly<Record<string, ApiCodeInfo>> = build(ROWS);

/** True when `code` is in {@link API_CODES}. */
export function isApiCode(code: string): boolean {
  return Object.hasOwn(API_CODES, code);
}

/** Look up a code. Throws on an unknown code: naming a code that does not exist is a programming error. */
export function apiCode(code: string): ApiCodeInfo {
  if (!isApiCode(code)) throw new Error(`unknown API code ${code}`);
  return API_CODES[code];
}
