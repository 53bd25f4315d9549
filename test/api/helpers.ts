/**
 * Shared setup for API tests: a real store (createTestStore), a config on a temp data dir, the
 * built app (never listening), and a provisioned mainland app with an approved signature and
 * active templates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/build-app.js';
import { type Config, type ConfigOverrides, loadConfig } from '../../src/config.js';
import type { AppRecord, SignatureRecord, TemplateRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore } from '../store/engines.js';
import { newTestApp } from '../store/fixtures.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface ApiFixture {
  app: FastifyInstance;
  store: Store;
  config: Config;
  tenant: AppRecord;
  signature: SignatureRecord;
  /** `验证码：${NUM_6}，5分钟内有效。` bound to `signature`. */
  verify: TemplateRecord;
  /** No variables, bound to `signature`. */
  plain: TemplateRecord;
  cleanup(): Promise<void>;
}

export function testConfig(over: ConfigOverrides = {}): { config: Config; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-api-'));
  const { config } = loadConfig(
    {
      dataDir,
      adminToken: ADMIN_TOKEN,
      secretKey: '07'.repeat(32),
      consoleDir: join(dataDir, 'no-console'),
      logLevel: 'silent',
      ...over,
    },
    {},
  );
  return { config, dataDir };
}

export async function setupApi(over: ConfigOverrides = {}): Promise<ApiFixture> {
  const { store, cleanup } = await createTestStore();
  const { config, dataDir } = testConfig(over);
  const app = await buildApp({ store, config });
  const tenant = await newTestApp(store, { name: 'tenant' });
  const sig = await store.createSignature({ appId: tenant.id, name: 'Swiftlet', type: 'VERIFY_CODE_TYPE' });
  const signature = (await store.approveSignature(sig.id)) as SignatureRecord;
  const mk = async (content: string, attrs = {}) => {
    const t = await store.createTemplate({
      appId: tenant.id,
      signatureId: signature.id,
      universal: false,
      name: 'tpl',
      type: 'VERIFY_CODE_TYPE',
      region: 'cn',
      content,
      variableAttributes: attrs,
    });
    return (await store.setTemplateStatus(t.id, 'active')) as TemplateRecord;
  };
  const verify = await mk('Your code is ${NUM_6}, valid for 5 minutes.');
  const plain = await mk('Welcome to Swiftlet.');
  return {
    app,
    store,
    config,
    tenant,
    signature,
    verify,
    plain,
    cleanup: async () => {
      await app.close();
      await cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Count of stored messages (to prove nothing was stored for a refused request). */
export async function messageCount(store: Store): Promise<number> {
  return (await store.queryMessages({}, { limit: 1 })).total;
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
