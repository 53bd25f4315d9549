/**
 * batchSendDiffSms: one request, two groups with different templates and parameters.
 * Group 1 gets the verification-code template (a different code per group is the usual use);
 * group 2 gets the template without variables.
 *
 *   node --import tsx examples/send-diff.ts
 *   TO=+8613800000001,+8613800000002 TO2=+8613800000003 node --import tsx examples/send-diff.ts
 *
 * Settings: see examples/demo-env.ts; `TO2` (default +8613800000002) is the second group.
 */
import { SmsClient } from '../src/client/index.js';
import { exampleEnv } from './demo-env.js';
import { printSendResult } from './print-result.js';

const env = exampleEnv();
if (!env.plainTemplateId) {
  console.error('PLAIN_TEMPLATE_ID is not set (a template without variables) and demo.json has none.');
  process.exit(2);
}
const plainTemplateId = env.plainTemplateId;
const to2 = (process.env.TO2 || '+8613800000002').split(',').map((s) => s.trim());
const client = new SmsClient({ endpoint: env.url, appKey: env.appKey, appSecret: env.appSecret });

await printSendResult(client, () =>
  client.batchSendDiffSms({
    from: env.from,
    statusCallback: env.statusCallback,
    smsContent: [
      { to: env.to, templateId: env.templateId, templateParas: env.templateParas },
      { to: to2, templateId: plainTemplateId },
    ],
  }),
);
