/**
 * Issue #3 "Done when": fuzz against LIVE sessions of a running server process.
 * - Random bytes and mutated PDUs at the embedded SMSC simulator's SMPP port (server side).
 * - A hostile SMSC (a raw TCP server in this process, configured as a carrier) that answers the
 *   engine's bind and then sends random bytes and mutated PDUs (client side).
 * - Random and garbage HTTP bodies at the two send routes, with and without valid credentials.
 * Afterwards the process is still up, a well-formed bind works on both sides and a normal send
 * is delivered end to end. The generator is seeded (printed) so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoInfo } from '../../src/api/demo/provision-demo.js';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import { SmsClient } from '../../src/client/index.js';
import { decodePdu, encodePdu } from '../../src/smpp/pdu-codec.js';
import type { PduInput } from '../../src/smpp/pdu-types.js';
import { formatReceiptText } from '../../src/smpp/receipt.js';
import { SmppClient } from '../../src/smpp/smpp-client.js';
import { type ReportReceiver, startReportReceiver } from './helpers/report-receiver.js';
import { freePort, type ServerProcess, spawnServer } from './helpers/server-process.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: small, seeded, good enough to drive mutations. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, bytes, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] };
}
type Rng = ReturnType<typeof rng>;

/** Valid PDUs of every kind the two sides exchange: the material that gets mutated. */
function templates(): Buffer[] {
  const receipt = formatReceiptText({
    id: 'abc123',
    stat: 'DELIVRD',
    submitDate: new Date(),
    doneDate: new Date(),
  });
  const inputs: PduInput[] = [
    {
      command: 'bind_transceiver',
      sequence_number: 1,
      system_id: 'fuzz',
      password: 'pw',
      interface_version: 0x34,
    },
    { command: 'bind_transmitter', sequence_number: 2, system_id: 'fuzz', password: 'pw' },
    { command: 'bind_receiver', sequence_number: 3, system_id: 'fuzz', password: 'pw' },
    { command: 'enquire_link', sequence_number: 4 },
    { command: 'enquire_link_resp', sequence_number: 4 },
    { command: 'generic_nack', sequence_number: 5, command_status: 3 },
    { command: 'unbind', sequence_number: 6 },
    {
      command: 'submit_sm',
      sequence_number: 7,
      source_addr: 'csms0001',
      destination_addr: '8613800000001',
      registered_delivery: 1,
      esm_class: 0x40,
      short_message: Buffer.concat([Buffer.from([5, 0, 3, 9, 2, 1]), Buffer.from('hello fuzz')]),
    },
    {
      command: 'deliver_sm',
      sequence_number: 8,
      source_addr: '8613800000001',
      destination_addr: 'csms0001',
      esm_class: 0x04,
      short_message: Buffer.from(receipt, 'latin1'),
      tlvs: [
        { tag: 0x001e, value: Buffer.from('abc123\0') },
        { tag: 0x0427, value: Buffer.from([2]) },
      ],
    },
    {
      command: 'deliver_sm',
      sequence_number: 9,
      source_addr: '8613700000001',
      destination_addr: 'csms0001',
      esm_class: 0x40,
      data_coding: 8,
      short_message: Buffer.concat([
        Buffer.from([5, 0, 3, 7, 2, 1]),
        Buffer.from('你好', 'utf16le').swap16(),
      ]),
    },
    { command: 'submit_sm_resp', sequence_number: 10, message_id: 'ffff' },
    { command: 'deliver_sm_resp', sequence_number: 11 },
    { command: 'data_sm', sequence_number: 12, source_addr: '1', destination_addr: '2' },
    { command: 'query_sm', sequence_number: 13, message_id: 'abc' },
    { command: 'cancel_sm', sequence_number: 14, message_id: 'abc' },
    { command: 'alert_notification', sequence_number: 15, source_addr: '1', esme_addr: '2' },
  ] as PduInput[];
  const out: Buffer[] = [];
  for (const i of inputs) {
    try {
      out.push(encodePdu(i));
    } catch {
      // A kind this codec wants more fields for: the others are material enough.
    }
  }
  assert.ok(out.length >= 10, 'enough valid PDUs to mutate');
  return out;
}

/** One chunk of hostile input: random bytes or a mutated valid PDU. */
function fuzzChunk(r: Rng, pool: Buffer[]): Buffer {
  const base = Buffer.from(r.pick(pool));
  switch (r.int(7)) {
    case 0:
      return r.bytes(1 + r.int(64));
    case 1: {
      // Flip a few bytes anywhere (header included).
      for (let k = 0; k < 1 + r.int(4); k++) base[r.int(base.length)] = r.int(256);
      return base;
    }
    case 2: {
      // Body bytes flipped, header intact: the decoder, not the framer, sees it.
      for (let k = 0; k < 1 + r.int(6); k++) base[16 + r.int(Math.max(1, base.length - 16))] = r.int(256);
      return base.subarray(0, base.length);
    }
    case 3:
      // command_length lies (too short, or more than is sent).
      base.writeUInt32BE(
        r.pick([0, 1, 15, 16, base.length - 1, base.length + 5, 0x7fffffff, 0xffffffff]) >>> 0,
        0,
      );
      return base;
    case 4:
      // A command_id nobody knows, or a response id where a request is expected.
      base.writeUInt32BE(r.pick([0, 0x80000000, 0x0000ffff, 0x12345678, 0x80000004, 0x80000009]) >>> 0, 4);
      return base;
    case 5: {
      // Truncated, with a matching length: the fields run out early.
      const cut = 16 + r.int(Math.max(1, base.length - 16));
      const b = Buffer.from(base.subarray(0, cut));
      b.writeUInt32BE(cut, 0);
      return b;
    }
    default: {
      // Garbage TLVs appended to a valid body.
      const extra = r.bytes(1 + r.int(12));
      const b = Buffer.concat([base, extra]);
      b.writeUInt32BE(b.length, 0);
      return b;
    }
  }
}

function bindPdu(seq: number): Buffer {
  return encodePdu({
    command: 'bind_transceiver',
    sequence_number: seq,
    system_id: 'fuzz',
    password: 'pw',
    interface_version: 0x34,
  } as PduInput);
}

/** Opens a socket, writes `chunks` with short pauses, reads whatever comes back, closes. */
async function hit(port: number, chunks: Buffer[]): Promise<void> {
  await new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('data', () => {});
    const done = () => {
      s.destroy();
      resolve();
    };
    s.on('error', done);
    s.on('close', done);
    s.on('connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) break;
        s.write(c);
        await new Promise((r) => setTimeout(r, 2));
      }
      setTimeout(done, 30);
    });
  });
}

/**
 * A carrier that answers bind_transceiver correctly and then, for the first `hostileRounds`
 * connections, sends hostile chunks and hangs up; later connections behave (enquire_link answered).
 */
class HostileSmsc {
  readonly server: Server;
  binds = 0;
  readonly sockets = new Set<Socket>();
  constructor(
    readonly r: Rng,
    readonly pool: Buffer[],
    readonly hostileRounds: number,
  ) {
    this.server = createServer((s) => this.#serve(s));
  }
  async listen(): Promise<number> {
    await new Promise<void>((res) => this.server.listen(0, '127.0.0.1', () => res()));
    return (this.server.address() as { port: number }).port;
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
  #serve(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    let round = -1;
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 16) {
        const len = buf.readUInt32BE(0);
        if (len < 16 || len > 65536) return void s.destroy();
        if (buf.length < len) return;
        const decoded = decodePdu(buf.subarray(0, len));
        buf = buf.subarray(len);
        if (!decoded.ok) continue;
        const p = decoded.pdu;
        if (p.command === 'bind_transceiver') {
          round = this.binds++;
          s.write(
            encodePdu({
              command: 'bind_transceiver_resp',
              sequence_number: p.sequence_number,
              system_id: 'HOSTILE',
            } as PduInput),
          );
          if (round < this.hostileRounds) void this.#attack(s);
        } else if (p.command === 'enquire_link') {
          s.write(
            encodePdu({ command: 'enquire_link_resp', sequence_number: p.sequence_number } as PduInput),
          );
        } else if (p.command === 'unbind') {
          s.write(encodePdu({ command: 'unbind_resp', sequence_number: p.sequence_number } as PduInput));
        }
      }
    });
  }
  async #attack(s: Socket): Promise<void> {
    for (let k = 0; k < 40 && !s.destroyed; k++) {
      s.write(fuzzChunk(this.r, this.pool));
      await new Promise((r) => setTimeout(r, 3));
    }
    setTimeout(() => s.destroy(), 100);
  }
}

describe('fuzz against live sessions of a running server', () => {
  const r = rng(SEED);
  const pool = templates();
  let dataDir: string;
  let server: ServerProcess;
  let hostile: HostileSmsc;
  let rx: ReportReceiver;
  let demo: DemoInfo;
  let token: string;
  const HOSTILE_ROUNDS = 3;

  const alive = () => server.proc.exitCode === null && server.proc.signalCode === null;
  const api = async (path: string) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    return res.json() as Promise<any>;
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'swiftlet-fuzz-'));
    hostile = new HostileSmsc(r, pool, HOSTILE_ROUNDS);
    const hostilePort = await hostile.listen();
    rx = await startReportReceiver();
    const configFile = join(dataDir, 'swiftlet.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        simulator: { enabled: true, receiptDelayMs: 20 },
        carriers: {
          connectors: [
            {
              name: 'hostile',
              host: '127.0.0.1',
              port: hostilePort,
              systemId: 'swiftlet',
              password: 'pw',
              window: 10,
            },
          ],
          // Only numbers starting +86199 go to the hostile carrier; the rest to the simulator.
          routes: [
            { name: 'hostile', priority: 1, match: { prefixes: ['+86199'] }, connectors: ['hostile'] },
          ],
        },
      }),
    );
    server = await spawnServer({ dataDir, port: await freePort(), configFile });
    demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoInfo;
    token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  });
  after(async () => {
    if (server && alive()) {
      server.proc.kill('SIGKILL');
      await server.exited;
    }
    await hostile?.close();
    await rx?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`random bytes and mutated PDUs at the simulator's SMPP port (seed ${SEED})`, async () => {
    const connectors = (await api('/connectors')).items as Array<{ name: string; port: number }>;
    const simPort = connectors.find((c) => c.name === 'simulator')?.port;
    assert.ok(simPort, 'the embedded simulator has a connector');
    for (let group = 0; group < 10; group++) {
      await Promise.all(
        Array.from({ length: 8 }, () => {
          const chunks = Array.from({ length: 1 + r.int(12) }, () => fuzzChunk(r, pool));
          // Half the connections bind first, so the bound-state handlers see the garbage too.
          return hit(simPort, r.next() < 0.5 ? [bindPdu(1), ...chunks] : chunks);
        }),
      );
      assert.ok(alive(), `server still running after group ${group}\n${server.output()}`);
    }
    // A well-formed bind afterwards still works, and the SMSC still answers submits.
    const client = new SmppClient({
      host: '127.0.0.1',
      port: simPort,
      bind: { system_id: 'after-fuzz', password: 'pw' },
      reconnect: false,
    });
    client.start();
    await client.ready();
    const [res] = await client.submit([
      { source_addr: 'x', destination_addr: '8613800000009', short_message: Buffer.from('hi') },
    ]);
    assert.equal(res.ok, true);
    await client.close();
  });

  it("a hostile SMSC sending garbage to the engine's client session: reconnect and bind again", async (t) => {
    await rx.until(
      () => hostile.binds > HOSTILE_ROUNDS && hostile.sockets.size > 0,
      30_000,
      'engine bound again after the hostile rounds',
    );
    assert.ok(alive(), `server still running\n${server.output()}`);
    // The engine reports its link to the (now well-behaved) carrier as ready again.
    let link: { name: string; ready: boolean } | undefined;
    for (let i = 0; i < 50 && !link?.ready; i++) {
      const overview = await api('/overview');
      link = (overview.engine?.connectors ?? []).find((c: { name: string }) => c.name === 'hostile');
      if (!link?.ready) await new Promise((res) => setTimeout(res, 100));
    }
    t.diagnostic(`hostile carrier: ${hostile.binds} binds, link ${JSON.stringify(link)}`);
    assert.equal(link?.ready, true);
  });

  it('random and garbage HTTP bodies at both send routes never crash the server', async (t) => {
    const paths = ['/sms/batchSendSms/v1', '/sms/batchSendDiffSms/v1'];
    const types = [
      'application/x-www-form-urlencoded',
      'application/json',
      'application/json;charset=UTF-8',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
    ];
    const bodies = (): Buffer | string => {
      switch (r.int(8)) {
        case 0:
          return r.bytes(r.int(2048));
        case 1:
          return `from=${demo.signature.channelNumber}&to=${encodeURIComponent('+86138' + r.int(1e8))}&templateId=${demo.templates[0].id}&templateParas=${r.pick(['[', '[1,2', '{}', '["a"]', '%ZZ', '[null]'])}`;
        case 2:
          return JSON.stringify({
            from: demo.signature.channelNumber,
            smsContent: r.pick([null, 1, 'x', [], [{}], [{ to: 'x' }], [{ to: [1, 2], templateId: {} }]]),
          });
        case 3:
          return '['.repeat(r.int(5000)) + ']'.repeat(r.int(5000));
        case 4:
          return `${'%'.repeat(r.int(300))}=${'&'.repeat(r.int(300))}`;
        case 5:
          return JSON.stringify({
            __proto__: { polluted: true },
            constructor: { prototype: { x: 1 } },
            from: 1,
            statusCallback: 'javascript:alert(1)',
          });
        case 6:
          return `to=${Array.from({ length: 600 }, (_, k) => `+8613${String(k).padStart(9, '0')}`).join(',')}&from=${demo.signature.channelNumber}&templateId=${demo.templates[0].id}`;
        default:
          return Buffer.from(
            JSON.stringify({
              from: demo.signature.channelNumber,
              smsContent: [
                {
                  to: ['+8613800000001'],
                  templateId: demo.templates[0].id,
                  templateParas: r.bytes(20).toString('latin1'),
                },
              ],
            }),
          );
      }
    };
    const statuses = new Map<number, number>();
    for (let group = 0; group < 30; group++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const headers: Record<string, string> = {};
          const type = r.pick(types);
          if (type) headers['content-type'] = type;
          if (r.next() < 0.7) Object.assign(headers, buildWsseHeaders(demo.appKey, demo.appSecret));
          else if (r.next() < 0.5)
            headers.authorization = r
              .bytes(40)
              .toString('latin1')
              .replace(/[^\x20-\x7e]/g, 'x');
          const res = await fetch(`${server.url}${r.pick(paths)}`, {
            method: 'POST',
            headers,
            body: bodies(),
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          assert.ok(res.status < 500, `HTTP ${res.status} for a garbage body`);
        }),
      );
    }
    assert.ok(alive(), `server still running\n${server.output()}`);
    t.diagnostic(`HTTP statuses: ${JSON.stringify([...statuses])}`);
    assert.ok(
      [...statuses.keys()].some((s) => s === 400),
      `garbage is answered with 400s: ${JSON.stringify([...statuses])}`,
    );
  });

  it('afterwards a normal send is still delivered end to end', async () => {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    const client = new SmsClient({ endpoint: server.url, appKey: demo.appKey, appSecret: demo.appSecret });
    const res = await client.batchSendSms({
      from: demo.signature.channelNumber,
      to: '+8613800000001',
      templateId: demo.templates[0].id,
      statusCallback: rx.url('/after'),
    });
    client.close();
    assert.equal(res.code, '000000');
    const [report] = await rx.until(
      () => rx.forms('/after').length > 0 && rx.forms('/after'),
      15_000,
      'report after fuzz',
    );
    assert.equal(report.smsMsgId, res.result?.[0].smsMsgId);
    assert.equal(report.status, 'DELIVRD');
  });
});
