/**
 * The files of group-send tasks on the node that received their upload, under
 * `<dataDir>/group-sends/`: `<id>.rows` (one JSON array per line: `[number, ...params]`), read
 * by the task's runner on this node, and the transient `<id>.upload.xlsx` spool. Task records and
 * refused numbers are in the store.
 *
 * Also brings over what an earlier version kept here — `tasks.json` (task records) and
 * `<id>.failed.csv` (refused numbers) — into the store, once.
 */
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GroupTaskRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';

export class GroupSendFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'group-sends');
    mkdirSync(this.dir, { recursive: true });
  }

  static newId(): string {
    return randomBytes(12).toString('hex');
  }

  rowsPath(id: string): string {
    return join(this.dir, `${id}.rows`);
  }

  spoolPath(id: string): string {
    return join(this.dir, `${id}.upload.xlsx`);
  }

  remove(id: string): void {
    rmSync(this.rowsPath(id), { force: true });
    rmSync(this.spoolPath(id), { force: true });
  }

  /** Removes the numbers files of tasks that no longer exist (deleted through another node). */
  async removeOrphans(store: Store): Promise<void> {
    for (const name of readdirSync(this.dir)) {
      const m = /^([0-9a-f]{24})\.rows$/.exec(name);
      if (m && !(await store.getGroupTask(m[1]))) this.remove(m[1]);
    }
  }

  /** Imports `tasks.json` and the `.failed.csv` files of an earlier version, then renames them away. */
  async importLegacy(store: Store, nodeId: string, now: number): Promise<number> {
    const path = join(this.dir, 'tasks.json');
    if (!existsSync(path)) return 0;
    const list = JSON.parse(readFileSync(path, 'utf8')) as {
      tasks: Array<Omit<GroupTaskRecord, 'nodeId' | 'cancelRequested'>>;
    };
    let n = 0;
    for (const t of list.tasks ?? []) {
      if (await store.getGroupTask(t.id)) continue;
      const unfinished = t.status === 'running' || t.status === 'uploading';
      // Refused numbers first: the task becomes visible only once it is whole.
      const failedCsv = join(this.dir, `${t.id}.failed.csv`);
      if (existsSync(failedCsv)) await this.#importFailures(store, t.id, failedCsv);
      await store.insertGroupTask({
        ...t,
        nodeId,
        cancelRequested: false,
        status: unfinished ? 'interrupted' : t.status,
        error: unfinished ? 'the server stopped while this task ran; it was not resumed' : t.error,
        finishedAt: unfinished ? (t.finishedAt ?? now) : t.finishedAt,
      });
      rmSync(failedCsv, { force: true });
      n++;
    }
    renameSync(path, `${path}.imported`);
    return n;
  }

  async #importFailures(store: Store, id: string, file: string): Promise<void> {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    let batch: Array<{ number: string; status: string }> = [];
    let first = true;
    // The task row does not exist yet, so these counters update nothing; the task brings its own.
    const counts = { processed: 0, accepted: 0, failed: 0 };
    for await (const line of lines) {
      if (first) {
        first = false;
        continue; // number,status
      }
      const cut = line.lastIndexOf(',');
      if (cut <= 0) continue;
      batch.push({
        number: line.slice(0, cut).replace(/^"|"$/g, '').replace(/""/g, '"'),
        status: line.slice(cut + 1),
      });
      if (batch.length >= 500) {
        await store.recordGroupBatch(id, counts, batch);
        batch = [];
      }
    }
    if (batch.length > 0) await store.recordGroupBatch(id, counts, batch);
  }
}
