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
import { SmsClient } from '../src/client/index.js';
import { exampleEnv } from './demo-env.js';
import { printSendResult } from './print-result.js';

const env = exampleEnv();
const client = new SmsClient({
  endpoint: env.url,
  appKey: env.appKey,
  appSecret: env.appSecret,
  auth: 'aksk',
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
