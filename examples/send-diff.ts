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
import { SmsApiError, SmsClient } from '../src/client/index.js';
import { exampleEnv } from './demo-env.js';

const env = exampleEnv();
if (!env.plainTemplateId) {
  console.error('PLAIN_TEMPLATE_ID is not set (a template without variables) and demo.json has none.');
  process.exit(2);
}
const to2 = (process.env.TO2 || '+8613800000002').split(',').map((s) => s.trim());
const client = new SmsClient({ endpoint: env.url, appKey: env.appKey, appSecret: env.appSecret });

try {
  const res = await client.batchSendDiffSms({
    from: env.from,
    statusCallback: env.statusCallback,
    smsContent: [
      { to: env.to, templateId: env.templateId, templateParas: env.templateParas },
      { to: to2, templateId: env.plainTemplateId },
    ],
  });
  console.log(`${res.code} ${res.description}`);
  for (const r of res.result ?? []) {
    console.log(`  ${r.originTo}  status=${r.status}  smsMsgId=${r.smsMsgId}  segments=${r.total ?? '-'}`);
  }
} catch (err) {
  if (!(err instanceof SmsApiError)) throw err;
  console.error(`${err.code} ${err.description}\n  → ${err.suggestion}`);
  process.exitCode = 1;
} finally {
  client.close();
}
