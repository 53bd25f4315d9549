/**
 * Moves SQLite's WAL checkpoints off the event loop.
 *
 * With the default `wal_autocheckpoint`, the commit that takes the WAL past 1000 pages copies
 * them into the database file and fsyncs it, inside the writer's call: at accept rates of 20k+
 * messages/s that was about half of the accept transaction's cost and came as stalls of 10 ms or
 * more on the event loop (send API p99). Here the writer connection's auto-checkpoint is turned
 * off and a worker thread with its own connection runs `wal_checkpoint(PASSIVE)` every
 * `intervalMs` (default 100 ms); PASSIVE never blocks the writer or readers.
 *
 * A background checkpoint cannot restart the WAL while the writer keeps appending (a restart
 * needs a checkpoint that caught up with the last commit), so the WAL could grow without bound
 * under sustained load. When the worker reports a WAL of `maxWalFrames` pages or more (default
 * 8192, 32 MiB at 4 KiB pages), one PASSIVE checkpoint runs on the writer connection, between two
 * transactions (through `exclusive`, which holds the connection): it only copies the tail the
 * worker has not (most pages are already backfilled), and the writer's next transaction then
 * starts the WAL over. If the worker cannot start or fails, auto-checkpoint on the writer connection is
 * switched back on, so correctness never depends on the worker.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

export interface WalCheckpointerOptions {
  /** Worker checkpoint period, ms. Default 100. */
  intervalMs?: number;
  /** WAL size (pages) from which the writer finishes a checkpoint itself. Default 8192. */
  maxWalFrames?: number;
  /** `synchronous` of the worker's connection (checkpoint fsyncs follow it). Default NORMAL. */
  sync?: 'NORMAL' | 'FULL';
  /**
   * Runs `fn` while no transaction is open on the writer connection (the adapter holds Kysely's
   * single connection for it). Default: runs it at once.
   */
  exclusive?: (fn: () => void) => Promise<void>;
}

/** Default SQLite auto-checkpoint threshold, restored when the worker is gone. */
const DEFAULT_AUTOCHECKPOINT = 1000;

// CommonJS, evaluated in the worker: better-sqlite3 is loaded from the path resolved here.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.sync);
let timer = null;
const tick = () => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'close') { clearTimeout(timer); db.close(); parentPort.close(); }
});
`;

export class WalCheckpointer {
  readonly #db: BetterSqlite3.Database;
  readonly #maxWalFrames: number;
  readonly #exclusive: (fn: () => void) => Promise<void>;
  #worker: Worker | null;
  #tailPending = false;
  #markReady: () => void = () => {};
  /** Resolves at the worker's first checkpoint (its connection is open and working). */
  readonly ready: Promise<void> = new Promise<void>((r) => {
    this.#markReady = r;
  });

  /** Starts the worker for the database file `path` that `db` (the writer) has open. */
  constructor(db: BetterSqlite3.Database, path: string, opts: WalCheckpointerOptions = {}) {
    this.#db = db;
    this.#maxWalFrames = opts.maxWalFrames ?? 8192;
    this.#exclusive = opts.exclusive ?? (async (fn) => fn());
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, modulePath, intervalMs: opts.intervalMs ?? 100, sync: opts.sync ?? 'NORMAL' },
    });
    worker.unref();
    worker.on('message', (m: { log?: number; error?: string }) => {
      this.#markReady();
      if (typeof m.log === 'number' && m.log >= this.#maxWalFrames) this.#finishTail();
    });
    worker.on('error', () => this.#fallBack());
    worker.on('exit', () => this.#fallBack());
    this.#worker = worker;
    db.pragma('wal_autocheckpoint = 0');
  }

  /** The WAL is large: copy the tail on the writer connection so its next commit restarts it. */
  #finishTail(): void {
    if (this.#tailPending) return;
    this.#tailPending = true;
    this.#exclusive(() => {
      if (this.#db.open && !this.#db.inTransaction) this.#db.pragma('wal_checkpoint(PASSIVE)');
    })
      .catch(() => {})
      .finally(() => {
        this.#tailPending = false;
      });
  }

  /** Stops the worker and gives checkpointing back to the writer connection. */
  async close(): Promise<void> {
    const w = this.#worker;
    if (!w) return;
    // Keep the process alive until the worker has closed its connection (it is unref'd otherwise).
    w.ref();
    const exited = new Promise<void>((r) => w.once('exit', () => r()));
    w.postMessage('close');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    await w.terminate();
    this.#fallBack();
  }

  #fallBack(): void {
    if (this.#worker === null) return;
    this.#worker = null;
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
  }
}
