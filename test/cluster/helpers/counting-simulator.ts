/**
 * A standalone SMSC simulator process for cluster tests and the cluster benchmark: the project's
 * {@link SmscSimulator} on its own port plus a small HTTP stats server that counts `submit_sm`
 * per destination and per SMPP session (which bind it arrived on, when that session opened and
 * closed). Duplicate submits can then be traced to the sessions of a node that was killed.
 *
 * Run: `node --import tsx test/cluster/helpers/counting-simulator.ts [receiptDelayMs]`; prints one
 * line `READY {"port":…,"statsPort":…}` once both listen. SIGTERM stops it.
 *
 * `GET /stats` → `{ stats, sessions: [{ id, openedAt, closedAt, submits }], destinations,
 *  submits, maxBound, duplicates: [{ destination, sessions: [id…] }] }`.
 */
import http from 'node:http';
import { SmscSimulator } from '../../../src/simulator/smsc-simulator.js';

const receiptDelayMs = Number(process.argv[2] ?? 100);
const sim = new SmscSimulator({ port: 0, scenario: { receiptDelayMs } });

interface SessionInfo {
  id: number;
  openedAt: number;
  closedAt: number | null;
  submits: number;
}
const sessions: SessionInfo[] = [];
/** destination → ids of the sessions each submit_sm arrived on, in order. */
const byDestination = new Map<string, number[]>();
let submits = 0;
let bound = 0;
let maxBound = 0;

sim.server.on('session', (session) => {
  const info: SessionInfo = { id: sessions.length + 1, openedAt: Date.now(), closedAt: null, submits: 0 };
  sessions.push(info);
  let isBound = false;
  session.on('bound', () => {
    isBound = true;
    bound++;
    maxBound = Math.max(maxBound, bound);
  });
  session.on('pdu', (dir, pdu) => {
    if (dir !== 'in' || pdu.command !== 'submit_sm') return;
    submits++;
    info.submits++;
    const dest = (pdu as { destination_addr: string }).destination_addr;
    const list = byDestination.get(dest);
    if (list) list.push(info.id);
    else byDestination.set(dest, [info.id]);
  });
  session.on('close', () => {
    info.closedAt = Date.now();
    if (isBound) bound--;
  });
});

const port = await sim.listen();
const stats = http.createServer((req, res) => {
  if (req.url === '/stats') {
    const duplicates = [...byDestination]
      .filter(([, ids]) => ids.length > 1)
      .map(([destination, ids]) => ({ destination, sessions: ids }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        stats: sim.stats(),
        sessions,
        bound,
        maxBound,
        submits,
        destinations: byDestination.size,
        duplicates,
      }),
    );
    return;
  }
  res.writeHead(404).end();
});
await new Promise<void>((r) => stats.listen(0, '127.0.0.1', () => r()));
const statsPort = (stats.address() as { port: number }).port;
process.stdout.write(`READY ${JSON.stringify({ port, statsPort })}\n`);

const stop = async () => {
  stats.closeAllConnections();
  stats.close();
  await sim.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
