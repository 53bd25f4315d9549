/**
 * The demo profile's one-time provisioning: a demo application, an approved signature with its
 * channel number, and two active templates (one without variables, one with `${NUM_6}`). The
 * result is written to `<dataDir>/demo.json`; later starts reuse it as long as the app exists.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../store/store.js';

export interface DemoInfo {
  appId: string;
  appKey: string;
  appSecret: string;
  signature: { id: string; name: string; type: string; channelNumber: string };
  templates: Array<{ id: string; name: string; content: string; params: string[] }>;
}

export const DEMO_SIGNATURE = 'Swiftlet';

/** Provision once; returns the demo and whether it was created now. */
export async function provisionDemo(
  store: Store,
  dataDir: string,
): Promise<{ demo: DemoInfo; created: boolean }> {
  const file = join(dataDir, 'demo.json');
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
      const app = await store.getApp(saved.appId);
      if (app) return { demo: { ...saved, appKey: app.appKey, appSecret: app.appSecret }, created: false };
    } catch {
      // Unreadable or stale: provision again below.
    }
  }
  const app = await store.createApp({
    name: 'demo',
    region: 'cn',
    uplinkUrl: null,
    batchReportUrl: null,
    ipAllowList: [],
    status: 'active',
    pushSigning: false,
    uplinkCreateTime: false,
    tpsLimit: null,
  });
  const sig = await store.createSignature({ appId: app.id, name: DEMO_SIGNATURE, type: 'VERIFY_CODE_TYPE' });
  const approved = await store.approveSignature(sig.id);
  if (!approved?.channelNumber) throw new Error('demo signature approval did not allocate a channel number');
  const specs = [
    {
      name: 'demo-welcome',
      content: 'Welcome to Swiftlet! Your demo platform is working.',
      params: [] as string[],
    },
    {
      name: 'demo-code',
      content: 'Your verification code is ${NUM_6}. It expires in 5 minutes.',
      params: ['123456'],
    },
  ];
  const templates: DemoInfo['templates'] = [];
  for (const s of specs) {
    const t = await store.createTemplate({
      appId: app.id,
      signatureId: approved.id,
      universal: false,
      name: s.name,
      type: 'VERIFY_CODE_TYPE',
      region: 'cn',
      content: s.content,
      variableAttributes: {},
    });
    await store.setTemplateStatus(t.id, 'active');
    templates.push({ id: t.id, name: s.name, content: s.content, params: s.params });
  }
  const demo: DemoInfo = {
    appId: app.id,
    appKey: app.appKey,
    appSecret: app.appSecret,
    signature: {
      id: approved.id,
      name: approved.name,
      type: approved.type,
      channelNumber: approved.channelNumber,
    },
    templates,
  };
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return { demo, created: true };
}

/** The human summary printed at start, with a ready-to-run `swiftlet send` line. */
export function demoSummary(demo: DemoInfo, url: string, dataDir: string): string {
  const code = demo.templates[1];
  const welcome = demo.templates[0];
  return [
    `Demo application (saved in ${join(dataDir, 'demo.json')}):`,
    `  appKey     ${demo.appKey}`,
    `  appSecret  ${demo.appSecret}`,
    `  signature  【${demo.signature.name}】 channel number (from): ${demo.signature.channelNumber}`,
    `  template   ${welcome.id}  ${welcome.content}`,
    `  template   ${code.id}  ${code.content}`,
    'Send one:',
    `  npx swiftlet send --url ${url} --app-key ${demo.appKey} --app-secret ${demo.appSecret} --from ${demo.signature.channelNumber} --to +8613800000001 --template ${code.id} --params '["123456"]'`,
  ].join('\n');
}
