/**
 * Group-send task records, kept in memory and mirrored to `<dataDir>/group-sends/tasks.json`
 * (atomic rewrite, throttled). Each task's numbers live beside it in `<id>.rows` (one JSON array
 * per line: `[number, ...params]`) and refused numbers in `<id>.failed.csv`.
 *
 * Limitation (documented in docs/console.md): the file belongs to one node. Run group sending on
 * one node of a cluster; a task that was running when the process stopped is marked `interrupted`
 * on the next start (it is not resumed, so no number is sent twice).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type GroupTaskStatus =
  | 'uploading'
  | 'scheduled'
  | 'running'
  | 'completed'
  | 'cancelled'
  | 'failed'
  | 'interrupted';

export interface GroupTask {
  id: string;
  name: string;
  appId: string;
  templateId: string;
  /** Signature used (mainland apps); null for international apps. */
  signatureId: string | null;
  /** Signature name passed with a universal template; null otherwise. */
  signatureName: string | null;
  /** The `from` channel number. */
  from: string;
  fileName: string | null;
  status: GroupTaskStatus;
  /** Epoch ms to start at; null = at once. */
  scheduleAt: number | null;
  /** Rows in the file (after the optional header). */
  total: number;
  processed: number;
  accepted: number;
  failed: number;
  error: string | null;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Minimum interval between two rewrites of tasks.json while a task runs: 500 ms. */
export const PERSIST_INTERVAL_MS = 500;

export class GroupTaskFile {
  readonly dir: string;
  private readonly path: string;
  private readonly tasks = new Map<string, GroupTask>();
  private lastWrite = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'group-sends');
    this.path = join(this.dir, 'tasks.json');
    mkdirSync(this.dir, { recursive: true });
    if (existsSync(this.path)) {
      const list = JSON.parse(readFileSync(this.path, 'utf8')) as { tasks: GroupTask[] };
      for (const t of list.tasks) {
        if (t.status === 'running' || t.status === 'uploading') {
          t.status = 'interrupted';
          t.error = 'the server stopped while this task ran; it was not resumed';
          t.finishedAt = t.finishedAt ?? Date.now();
        }
        this.tasks.set(t.id, t);
      }
      this.flush();
    }
  }

  static newId(): string {
    return randomBytes(12).toString('hex');
  }

  rowsPath(id: string): string {
    return join(this.dir, `${id}.rows`);
  }

  failedPath(id: string): string {
    return join(this.dir, `${id}.failed.csv`);
  }

  get(id: string): GroupTask | undefined {
    return this.tasks.get(id);
  }

  /** Newest first. */
  list(): GroupTask[] {
    return [...this.tasks.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  put(task: GroupTask, urgent = true): void {
    this.tasks.set(task.id, task);
    this.save(urgent);
  }

  delete(id: string): void {
    this.tasks.delete(id);
    this.save(true);
  }

  /** Persists now when urgent or when the last write is older than PERSIST_INTERVAL_MS; else soon. */
  save(urgent: boolean): void {
    if (urgent || Date.now() - this.lastWrite >= PERSIST_INTERVAL_MS) {
      this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), PERSIST_INTERVAL_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastWrite = Date.now();
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ tasks: [...this.tasks.values()] }));
    renameSync(tmp, this.path);
  }
}
