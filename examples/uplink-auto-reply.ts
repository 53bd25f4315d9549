/**
 * Uplink (MO) auto-reply: receives the uplink pushes of an application (spec §8) and answers each
 * sender with an SMS sent through the SDK, from the channel number the uplink arrived on.
 *
 *   node --import tsx examples/uplink-auto-reply.ts
 *   # then make a handset "reply" through the demo server's simulator:
 *   curl -X POST http://127.0.0.1:8080/api/v1/simulator/mo -H "authorization: Bearer $(cat data/admin-token)" \
 *        -H 'content-type: application/json' -d '{"from":"+8613800000001","to":"csms00000001","text":"hello"}'
 *
 * On start it sets the application's uplink address (`uplinkUrl`) to this receiver through the
 * management API when it finds the admin token (`SWIFTLET_ADMIN_TOKEN` or `<data>/admin-token`);
 * with `REGISTER=0`, or against Huawei Cloud, set the address yourself (console: "uplink receiving
 * address"). Settings: `PORT` (default 9331; 0 = any), `HOST` (127.0.0.1), `PUBLIC_URL` (the
 * address the server pushes to; default this receiver's), `REPLY_TEMPLATE_ID` (default the demo
 * template without variables) and examples/demo-env.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createReceiver, SmsApiError, SmsClient, type UplinkMessage } from '../src/client/index.js';
import { exampleEnv } from './demo-env.js';

const env = exampleEnv();
const replyTemplateId = process.env.REPLY_TEMPLATE_ID || env.plainTemplateId;
if (!replyTemplateId) {
  console.error('REPLY_TEMPLATE_ID is not set (a template without variables) and demo.json has none.');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 9331);
const host = process.env.HOST || '127.0.0.1';
const client = new SmsClient({ endpoint: env.url, appKey: env.appKey, appSecret: env.appSecret });

async function reply(m: UplinkMessage): Promise<void> {
  // The uplink's `to` is the channel number (plus any extension) it arrived on; answer from the
  // channel itself so the handset sees the same sender.
  const from = m.to.startsWith(env.from) ? env.from : m.to;
  try {
    const res = await client.batchSendSms({ from, to: m.from, templateId: replyTemplateId as string });
    const r = res.result?.[0];
    console.log(
      `replied to ${m.from}: ${res.code} ${res.description} status=${r?.status} smsMsgId=${r?.smsMsgId}`,
    );
  } catch (err) {
    if (!(err instanceof SmsApiError)) throw err;
    console.log(`reply to ${m.from} refused: ${err.code} ${err.description} → ${err.suggestion}`);
  }
}

const server = http.createServer(
  createReceiver({
    async onUplink(m) {
      console.log(`uplink ${m.smsMsgId} from ${m.from} to ${m.to}: ${m.body}`);
      // Answered after the reply was sent: if sending throws unexpectedly the push gets 500 and
      // Swiftlet pushes it again.
      await reply(m);
    },
  }),
);

/** Points the app's uplink address at this receiver (Swiftlet management API). */
async function register(url: string): Promise<void> {
  const tokenFile = join(env.dataDir, 'admin-token');
  const token =
    process.env.SWIFTLET_ADMIN_TOKEN || (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
  if (process.env.REGISTER === '0' || !token) {
    console.log(`Set the application's uplink address to ${url} yourself.`);
    return;
  }
  const res = await fetch(`${env.url}/api/v1/apps/${encodeURIComponent(env.appKey)}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ uplinkUrl: url }),
  });
  if (!res.ok) throw new Error(`could not set uplinkUrl: HTTP ${res.status} ${await res.text()}`);
  console.log(`Registered ${url} as the uplink address of app ${env.appKey}`);
}

server.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  const url = process.env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${bound}/uplink`;
  console.log(`Uplink auto-reply listening on ${url}`);
  register(url).then(
    () => console.log('Ready: waiting for uplink messages'),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
});

const stop = () => {
  client.close();
  server.close(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
