/**
 * Settings shared by the examples: every value comes from an environment variable, and falls back
 * to `<data>/demo.json`, which `npm start` (the demo profile) writes on its first start. So after
 * `npm start` in another terminal, `node --import tsx examples/send-aksk.ts` runs with no setup.
 *
 * | Variable | Default |
 * |---|---|
 * | `SWIFTLET_URL` | `http://127.0.0.1:8080` (the APP access address; a Huawei one works too) |
 * | `SWIFTLET_DATA_DIR` | `./data` (where demo.json and admin-token live) |
 * | `APP_KEY`, `APP_SECRET` | the demo application's key pair |
 * | `FROM` | the demo signature's channel number |
 * | `TEMPLATE_ID` | the demo template with one `${NUM_6}` variable |
 * | `TEMPLATE_PARAS` | `["123456"]` (a JSON array) |
 * | `PLAIN_TEMPLATE_ID` | the demo template without variables (send-diff, uplink-auto-reply) |
 * | `TO` | `+8613800000001` (comma-separated for several) |
 * | `STATUS_CALLBACK` | unset (no status report is pushed) |
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The part of `<data>/demo.json` the examples read (written by src/api/demo/provision-demo.ts). */
interface DemoFile {
  appId: string;
  appKey: string;
  appSecret: string;
  signature: { name: string; channelNumber: string };
  templates: Array<{ id: string; name: string; content: string; params: string[] }>;
}

export interface ExampleEnv {
  url: string;
  dataDir: string;
  appKey: string;
  appSecret: string;
  from: string;
  /** Template with one variable (demo: "Your verification code is ${NUM_6}…"). */
  templateId: string;
  templateParas: string[];
  /** Template without variables (demo: "Welcome to Swiftlet!…"); used by send-diff and the auto-reply. */
  plainTemplateId?: string;
  to: string[];
  statusCallback?: string;
  /** The demo app's id, when demo.json was found (the auto-reply registers its uplink URL with it). */
  appId?: string;
}

function readDemo(dataDir: string): DemoFile | undefined {
  const file = join(dataDir, 'demo.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DemoFile;
}

/** Environment first, then demo.json. Exits with a hint when a required value is missing. */
export function exampleEnv(): ExampleEnv {
  const env = process.env;
  const dataDir = resolve(env.SWIFTLET_DATA_DIR || './data');
  const demo = readDemo(dataDir);
  const pick = (name: string, fallback: string | undefined): string => {
    const v = env[name] || fallback;
    if (!v) {
      console.error(
        `${name} is not set and ${join(dataDir, 'demo.json')} was not found.\n` +
          'Start the demo server first (npm start), or set SWIFTLET_DATA_DIR / the variables listed in examples/demo-env.ts.',
      );
      process.exit(2);
    }
    return v;
  };
  const withParams = demo?.templates.find((t) => t.params.length > 0);
  const plain = demo?.templates.find((t) => t.params.length === 0);
  return {
    url: (env.SWIFTLET_URL || 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    dataDir,
    appKey: pick('APP_KEY', demo?.appKey),
    appSecret: pick('APP_SECRET', demo?.appSecret),
    from: pick('FROM', demo?.signature.channelNumber),
    templateId: pick('TEMPLATE_ID', withParams?.id),
    templateParas: env.TEMPLATE_PARAS
      ? (JSON.parse(env.TEMPLATE_PARAS) as string[])
      : (withParams?.params ?? []),
    plainTemplateId: env.PLAIN_TEMPLATE_ID || plain?.id,
    to: (env.TO || '+8613800000001')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    statusCallback: env.STATUS_CALLBACK || undefined,
    appId: demo?.appId,
  };
}
