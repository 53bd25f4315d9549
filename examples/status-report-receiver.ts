/**
 * A status-report receiver: a plain node:http server with the SDK's `createReceiver`. It prints
 * every report (single pushes and batch pushes alike) with the meaning of its status code.
 *
 *   node --import tsx examples/status-report-receiver.ts
 *   # then send with statusCallback pointing at it:
 *   STATUS_CALLBACK=http://127.0.0.1:9330/report node --import tsx examples/send-aksk.ts
 *
 * Settings: `PORT` (default 9330; 0 picks a free port), `HOST` (default 127.0.0.1).
 * `VERIFY=1` checks the push signature (spec §4.3) with the app's key pair (APP_KEY/APP_SECRET or
 * demo.json); turn on the app's push signing first (`pushSigning: true`), else every push gets 401.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, type ReceiverOptions } from '../src/client/index.js';
import { exampleEnv } from './demo-env.js';

const port = Number(process.env.PORT ?? 9330);
const host = process.env.HOST || '127.0.0.1';

const options: ReceiverOptions = {
  onStatusReport(r) {
    const segment = `segment ${r.sequence}/${r.total}`;
    const who = r.source === undefined ? '' : `, source ${r.source}`;
    console.log(
      `report ${r.smsMsgId} ${r.status} (${segment}${who}) ${r.delivered ? 'DELIVERED' : 'NOT DELIVERED'}`,
    );
    console.log(`  meaning: ${r.meaning.description}`);
    if (!r.delivered) console.log(`  suggestion: ${r.meaning.suggestion}`);
    if (r.extend !== undefined) console.log(`  extend: ${r.extend}  to: ${r.to ?? '-'}`);
    if (r.updateTime !== undefined) console.log(`  updateTime: ${r.updateTime}`);
  },
  onUplink(m) {
    // The same handler also understands uplink pushes, should the app's uplink URL point here.
    console.log(`uplink ${m.smsMsgId} from ${m.from} to ${m.to}: ${m.body}`);
  },
};
if (process.env.VERIFY === '1') {
  const env = exampleEnv();
  options.verify = { appKey: env.appKey, appSecret: env.appSecret };
}

const server = http.createServer(createReceiver(options));
server.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/report`;
  console.log(
    `Status-report receiver listening on ${url}${options.verify ? ' (verifying push signatures)' : ''}`,
  );
  console.log(`Send with statusCallback=${url}`);
});

const stop = () => server.close(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
