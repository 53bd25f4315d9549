/**
 * An in-process Swiftlet server on the embedded default (`startServer` with the demo profile, no
 * carriers → the embedded SMSC simulator over a real SMPP connection on loopback), with short
 * timings so receipts, the expiry sweep and submit time-outs happen within a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoInfo } from '../../../src/api/demo/provision-demo.js';
import { type Config, loadConfig } from '../../../src/config.js';
import { type RunningServer, startServer } from '../../../src/main.js';

export const ADMIN_TOKEN = 'delivery-test-admin-token-0123';

/** Short timings of the delivery tests (see docs/configuration.md for each key). */
export const TIMINGS = {
  /** `engine.receiptWindowMs`: long enough for the slow receipt (1007) below. */
  receiptWindowMs: 2_500,
  sweepIntervalMs: 200,
  submitTimeoutMs: 600,
  retryBaseMs: 50,
  maxAttempts: 2,
  receiptDelayMs: 30,
  slowReceiptDelayMs: 1_000,
  batchDelayMs: 100,
};

export interface DemoServer {
  server: RunningServer;
  demo: DemoInfo;
  url: string;
  /** Management API call with the admin token; returns status and parsed JSON. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export async function startDemoServer(): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-delivery-'));
  const { config: base } = loadConfig(
    {
      dataDir,
      port: 0,
      demo: true,
      adminToken: ADMIN_TOKEN,
      secretKey: '0d'.repeat(32),
      consoleDir: join(dataDir, 'no-console'),
      logLevel: 'silent',
    },
    {},
  );
  // Keys the schema does not list (webhook poll, simulator slow receipt) are read by the
  // components as optional tuning; the config object is built by hand for them.
  const config = {
    ...base,
    engine: {
      ...base.engine,
      pollMs: 5,
      receiptWindowMs: TIMINGS.receiptWindowMs,
      sweepIntervalMs: TIMINGS.sweepIntervalMs,
      submitTimeoutMs: TIMINGS.submitTimeoutMs,
      retryBaseMs: TIMINGS.retryBaseMs,
      maxAttempts: TIMINGS.maxAttempts,
    },
    webhooks: { ...base.webhooks, batchDelayMs: TIMINGS.batchDelayMs, pollMs: 20, timeoutMs: 2_000 },
    simulator: {
      ...base.simulator,
      receiptDelayMs: TIMINGS.receiptDelayMs,
      slowReceiptDelayMs: TIMINGS.slowReceiptDelayMs,
    },
  } as unknown as Config;
  const server = await startServer(config, { print: () => {} });
  const demo = server.demo as DemoInfo;
  return {
    server,
    demo,
    url: server.url,
    async api(method, path, body) {
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
