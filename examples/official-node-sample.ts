/**
 * What Huawei's official Node.js X-WSSE sample (devg-msgsms sms_04_0008) puts on the wire,
 * re-created here without the SDK, to show that existing MSGSMS code works against Swiftlet when
 * only the URL changes. Written for this project from the sample's documented behaviour (spec §15):
 *
 * - `https.request` with `method: 'POST'` and `rejectUnauthorized: false`;
 * - headers exactly `Content-Type: application/x-www-form-urlencoded`,
 *   `Authorization: WSSE realm="SDP",profile="UsernameToken",type="Appkey"` and `X-WSSE`;
 * - body `querystring.stringify({from, to, templateId, templateParas, statusCallback})`, with
 *   `statusCallback` sent even when empty and `signature` only when non-empty;
 * - X-WSSE: a 128-hex-character nonce (64 random bytes), `Created` from `toISOString()` without
 *   milliseconds, and PasswordDigest = Base64 of the RAW 32-byte SHA-256 (not of its hex text).
 *
 * The only deviation: a plain `http://` URL (the local demo server) is sent with `http.request`,
 * since `https.request` cannot speak plain HTTP. Against `https://` it is `https.request` as in
 * the sample.
 *
 *   node --import tsx examples/official-node-sample.ts
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import querystring from 'node:querystring';
import { exampleEnv } from './demo-env.js';

const env = exampleEnv();

// The sample's configuration block: only `realUrl` differs from a Huawei Cloud setup.
const realUrl = `${env.url}/sms/batchSendSms/v1`;
const appKey = env.appKey;
const appSecret = env.appSecret;
const sender = env.from;
const templateId = env.templateId;
const signature = ''; // only for universal templates
const receiver = env.to.join(','); // e.g. '+86151****6789,+86152****7890'
const statusCallBack = env.statusCallback ?? '';
const templateParas = JSON.stringify(env.templateParas); // e.g. '["369751"]'

/** The X-WSSE header value, built the way the Node sample builds it. */
function buildWsseHeader(key: string, secret: string): string {
  const created = new Date(Date.now()).toISOString().replace(/\.[0-9]+Z$/, 'Z'); // 2018-02-12T15:30:20Z
  const nonce = crypto.randomBytes(64).toString('hex'); // 128 lowercase hex characters
  const digest = crypto
    .createHash('sha256')
    .update(nonce + created + secret)
    .digest('base64'); // Base64(raw)
  return `UsernameToken Username="${key}",PasswordDigest="${digest}",Nonce="${nonce}",Created="${created}"`;
}

const fields: Record<string, string> = {
  from: sender,
  to: receiver,
  templateId,
  templateParas,
  statusCallback: statusCallBack,
};
if (signature !== '') fields.signature = signature;
const body = querystring.stringify(fields);

const url = new URL(realUrl);
const transport = url.protocol === 'https:' ? https : http;
const req = transport.request(
  {
    protocol: url.protocol,
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'WSSE realm="SDP",profile="UsernameToken",type="Appkey"',
      'X-WSSE': buildWsseHeader(appKey, appSecret),
    },
    rejectUnauthorized: false, // as in the sample; do not copy this into production code
  },
  (res) => {
    console.log('statusCode:', res.statusCode);
    res.setEncoding('utf8');
    let data = '';
    res.on('data', (chunk: string) => {
      data += chunk;
    });
    res.on('end', () => {
      console.log(data);
      if (res.statusCode !== 200) process.exitCode = 1;
    });
  },
);
req.on('error', (e) => {
  console.error(e.message);
  process.exitCode = 1;
});
req.write(body);
req.end();
