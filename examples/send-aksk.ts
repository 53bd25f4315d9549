/**
 * Send one template to one or more numbers with batchSendSms, signed with AK/SK
 * (SDK-HMAC-SHA256, the scheme Huawei recommends).
 *
 *   npm start                                    # in another terminal: the demo server
 *   node --import tsx examples/send-aksk.ts
 *   TO=+8613800001001 node --import tsx examples/send-aksk.ts   # a magic number: UNDELIV
 *
 * Settings: see examples/demo-env.ts. In your own project import from 'swiftlet/client'; the
 * examples import the SDK's source so they run in a checkout before `npm run build`.
 */
import { SmsApiError, SmsClient } from '../src/client/index.js';
import { exampleEnv } from './demo-env.js';

const env = exampleEnv();
const client = new SmsClient({
  endpoint: env.url,
  appKey: env.appKey,
  appSecret: env.appSecret,
  auth: 'aksk',
});

try {
  const res = await client.batchSendSms({
    from: env.from,
    to: env.to,
    templateId: env.templateId,
    templateParas: env.templateParas,
    statusCallback: env.statusCallback,
  });
  // `000000`: every number accepted. `E000510`: some numbers failed; their `status` says why.
  console.log(`${res.code} ${res.description}`);
  for (const r of res.result ?? []) {
    console.log(`  ${r.originTo}  status=${r.status}  smsMsgId=${r.smsMsgId}  segments=${r.total ?? '-'}`);
  }
} catch (err) {
  if (!(err instanceof SmsApiError)) throw err;
  // A request-level refusal: the code, the server's description and Swiftlet's handling suggestion.
  console.error(`${err.code} ${err.description}\n  → ${err.suggestion}`);
  process.exitCode = 1;
} finally {
  client.close();
}
