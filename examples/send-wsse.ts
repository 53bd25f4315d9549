/**
 * The same send as send-aksk.ts, authenticated with X-WSSE (`Authorization: WSSE realm="SDP"…`
 * plus the `X-WSSE: UsernameToken …` header), the scheme of Huawei's older samples.
 *
 *   node --import tsx examples/send-wsse.ts
 *   WSSE_DIGEST=raw node --import tsx examples/send-wsse.ts   # the Node sample's Base64(raw) digest
 *
 * Settings: see examples/demo-env.ts.
 */
import { SmsClient } from '../src/client/index.js';
import { exampleEnv } from './demo-env.js';
import { printSendResult } from './print-result.js';

const env = exampleEnv();
const client = new SmsClient({
  endpoint: env.url,
  appKey: env.appKey,
  appSecret: env.appSecret,
  auth: 'wsse',
  // 'hex' = Base64(hex(SHA-256)) as documented; 'raw' = Base64 of the 32 digest bytes. Both are accepted.
  wsseDigest: process.env.WSSE_DIGEST === 'raw' ? 'raw' : 'hex',
});

await printSendResult(client, () =>
  client.batchSendSms({
    from: env.from,
    to: env.to,
    templateId: env.templateId,
    templateParas: env.templateParas,
    statusCallback: env.statusCallback,
  }),
);
