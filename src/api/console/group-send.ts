/**
 * `groupSendPlugin`: MSGSMS's "Group SMS Assistant" on the management API, under
 * `/api/v1/group-sends` (admin bearer token or console session, see console-auth.ts).
 *
 * - `POST /api/v1/group-sends?app=&templateId=&signature=&scheduleAt=&name=&fileName=` with the CSV
 *   or XLSX file as the raw request body (any content type). A CSV body is streamed through
 *   {@link CsvRecordParser} into `<id>.rows`; it is never held whole. An XLSX body (recognised by
 *   its ZIP magic) is spooled to `<id>.upload.xlsx`, its first sheet streamed by
 *   {@link readXlsxRows} into `<id>.rows`, and the spool deleted. Each record is
 *   `number[,param1,param2…]`; a first record whose first cell has no digit is a header. → `201` task.
 * - `GET /api/v1/group-sends` (newest first, `limit`/`offset`), `GET /api/v1/group-sends/:id`.
 * - `POST /api/v1/group-sends/:id/cancel` (scheduled or running), `DELETE /api/v1/group-sends/:id`.
 * - `GET /api/v1/group-sends/:id/failed.csv` — `number,status` of every refused number.
 *
 * A task runs in the background on the node that received its upload (which holds the numbers
 * file), one at a time per node, in batches of {@link BATCH_SIZE}: each batch goes through the
 * public send API's own per-number logic (`planSend` from src/api/send) and
 * `store.acceptMessages`, so statuses (E200028, E200031, E200041…) are the ones a client would
 * get. Messages carry `taskId` = the task id. Task records, progress and refused numbers are in
 * the store, so every node of a cluster lists, shows, cancels, deletes and serves them.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { newSmsMsgId } from '../../domain/ids.js';
import type { AppRecord, GroupTaskRecord, SignatureRecord, TemplateRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { SendGroup, SendRequest } from '../send/send-request.js';
import { planSend, templateVariables } from '../send/validate-send.js';
import { type OnRequestHook, sendError } from './console-auth.js';
import { CsvRecordParser } from './csv-record-parser.js';
import { GroupSendFiles } from './group-send-files.js';
import { XlsxError } from './xlsx-error.js';
import { readXlsxRows } from './xlsx-sheet-reader.js';
import { detectUploadFormat, MAX_XLSX_UPLOAD_BYTES, readHead, spoolUpload } from './xlsx-upload.js';

/** Rows per acceptance batch: 500, the send API's per-request maximum. */
export const BATCH_SIZE = 500;
/** Most rows in one file: 1,000,000 (MSGSMS's limit). */
export const MAX_ROWS = 1_000_000;
/** Largest upload: 128 MiB (1,000,000 rows with a few params each). */
export const MAX_UPLOAD_BYTES = 128 * 1024 * 1024;
/** Latest schedule: 31 days ahead (MSGSMS: one month). */
export const MAX_SCHEDULE_AHEAD_MS = 31 * 24 * 60 * 60 * 1000;

export interface GroupSendOptions {
  store: Store;
  /** Where this node keeps the numbers files of the tasks it received. */
  dataDir: string;
  /** This node (config `nodeId`): it runs the tasks uploaded to it. */
  nodeId: string;
  /** Authorisation hook, normally `consoleAuth.authenticateConsoleOrToken`. */
  authenticate: OnRequestHook;
  now?: () => number;
  /** How often scheduled tasks are checked: default 1000 ms. */
  tickMs?: number;
  /** Largest CSV upload: default {@link MAX_UPLOAD_BYTES}. */
  maxUploadBytes?: number;
  /** Largest XLSX upload: default {@link MAX_XLSX_UPLOAD_BYTES} (12 MiB, as MSGSMS). */
  maxXlsxUploadBytes?: number;
  maxRows?: number;
}

class GroupSendError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The task as the API shows it. */
export function groupTaskView(t: GroupTaskRecord) {
  return {
    ...t,
    scheduleAt: iso(t.scheduleAt),
    createdAt: iso(t.createdAt),
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    progress: t.total === 0 ? (t.status === 'completed' ? 1 : 0) : t.processed / t.total,
  };
}

function hasDigit(s: string): boolean {
  return /[0-9]/.test(s);
}

/** Writes CSV-safe text (numbers and status codes; quote if needed). */
function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function findApp(store: Store, idOrKey: string): Promise<AppRecord | undefined> {
  return (
    (await store.getApp(idOrKey)) ??
    (/^[A-Za-z0-9]{28}$/.test(idOrKey) ? await store.getAppByKey(idOrKey) : undefined)
  );
}

/** Resolves app, template, signature and `from` for a new task. @throws GroupSendError */
async function resolveTarget(store: Store, q: Record<string, string | undefined>) {
  if (!q.app) throw new GroupSendError(400, 'VALIDATION_FAILED', 'app is required');
  if (!q.templateId) throw new GroupSendError(400, 'VALIDATION_FAILED', 'templateId is required');
  const app = await findApp(store, q.app);
  if (!app) throw new GroupSendError(404, 'NOT_FOUND', `application ${q.app} not found`);
  const tpl = await store.getTemplate(q.templateId);
  if (!tpl || tpl.appId !== app.id)
    throw new GroupSendError(404, 'NOT_FOUND', `template ${q.templateId} not found in this application`);
  if (tpl.status !== 'active')
    throw new GroupSendError(409, 'INVALID_STATE', `template ${tpl.id} is ${tpl.status}, not active`);
  if (app.region !== 'cn') {
    if (!app.channelNumber)
      throw new GroupSendError(409, 'INVALID_STATE', 'the application has no channel number');
    return {
      app,
      tpl,
      signature: null as SignatureRecord | null,
      signatureName: null as string | null,
      from: app.channelNumber,
    };
  }
  const sigId = q.signature || (tpl.universal ? undefined : (tpl.signatureId ?? undefined));
  if (!sigId)
    throw new GroupSendError(400, 'VALIDATION_FAILED', 'signature is required for a universal template');
  const signature = await store.getSignature(sigId);
  if (!signature || signature.appId !== app.id)
    throw new GroupSendError(404, 'NOT_FOUND', `signature ${sigId} not found in this application`);
  if (signature.status !== 'approved' || !signature.channelNumber)
    throw new GroupSendError(409, 'INVALID_STATE', 'the signature is not approved');
  if (!tpl.universal && tpl.signatureId !== signature.id)
    throw new GroupSendError(400, 'VALIDATION_FAILED', 'the template is bound to another signature');
  return {
    app,
    tpl,
    signature,
    signatureName: tpl.universal ? signature.name : null,
    from: signature.channelNumber,
  };
}

/** Registers the group-send routes and starts the background runner (stopped on close). */
export async function groupSendPlugin(app: FastifyInstance, opts: GroupSendOptions): Promise<void> {
  const { store } = opts;
  const now = opts.now ?? Date.now;
  const maxBytes = opts.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const maxXlsxBytes = opts.maxXlsxUploadBytes ?? MAX_XLSX_UPLOAD_BYTES;
  const maxRows = opts.maxRows ?? MAX_ROWS;
  const files = new GroupSendFiles(opts.dataDir);
  let running: Promise<void> | null = null;
  let closing = false;
  const ready = (async () => {
    await store.interruptGroupTasks(opts.nodeId, now());
    const imported = await files.importLegacy(store, opts.nodeId, now());
    if (imported > 0) app.log.info({ imported }, 'group-send tasks of an earlier version imported');
  })();
  // Awaited by uploads and the runner (they fail with it); never an unhandled rejection.
  ready.catch((err) => app.log.error({ err }, 'group-send start-up failed'));

  const fail = (reply: FastifyReply, err: unknown) => {
    if (err instanceof GroupSendError) return sendError(reply, err.status, err.code, err.message);
    throw err;
  };

  // ---- the runner -------------------------------------------------------------------------
  /** Accepts one batch of rows; returns the refused numbers with their status. */
  async function acceptBatch(
    task: GroupTaskRecord,
    rows: unknown[][],
  ): Promise<{ accepted: number; failures: Array<{ number: string; status: string }> }> {
    const [appRec, tpl, channelSignature] = await Promise.all([
      store.getApp(task.appId),
      store.getTemplate(task.templateId),
      task.signatureId ? store.findSignatureByChannel(task.from) : Promise.resolve(null),
    ]);
    if (!appRec) throw new GroupSendError(404, 'NOT_FOUND', 'the application was deleted');
    if (appRec.status === 'frozen')
      throw new GroupSendError(409, 'INVALID_STATE', 'the application is frozen (E000112)');
    // Consecutive rows with the same params share one group, like one batchSendDiffSms element.
    const groups: SendGroup[] = [];
    let lastKey: string | null = null;
    for (const row of rows) {
      const number = String(row[0] ?? '').trim();
      const params = row.slice(1).map((p) => String(p));
      while (params.length > 0 && params[params.length - 1] === '') params.pop();
      const key = JSON.stringify(params);
      if (key === lastKey) groups[groups.length - 1].to.push(number);
      else groups.push({ to: [number], templateId: task.templateId, params, signature: task.signatureName });
      lastKey = key;
    }
    const request: SendRequest = { from: task.from, statusCallback: null, extend: null, groups };
    const signaturesByName = new Map<string, SignatureRecord | undefined>();
    if (task.signatureName)
      signaturesByName.set(
        task.signatureName,
        await store.findSignatureByName(task.appId, task.signatureName),
      );
    const entries = planSend(request, {
      app: appRec,
      channelSignature: channelSignature ?? null,
      templates: new Map<string, TemplateRecord | undefined>([[task.templateId, tpl]]),
      signaturesByName,
      variablesOf: templateVariables,
      now: now(),
      newSmsMsgId,
    });
    const messages = [];
    const failures: Array<{ number: string; status: string }> = [];
    for (const e of entries) {
      if (e.message) messages.push({ ...e.message, taskId: task.id });
      else failures.push({ number: e.originTo, status: e.status });
    }
    if (messages.length > 0) await store.acceptMessages(messages);
    return { accepted: messages.length, failures };
  }

  async function runTask(task: GroupTaskRecord): Promise<void> {
    const progress = { processed: 0, accepted: 0, failed: 0 };
    let cancelled = false;
    const flush = async (batch: unknown[][]) => {
      const r = await acceptBatch(task, batch);
      progress.processed += batch.length;
      progress.accepted += r.accepted;
      progress.failed += r.failures.length;
      cancelled = (await store.recordGroupBatch(task.id, progress, r.failures)).cancelRequested;
    };
    let status: GroupTaskRecord['status'] = 'completed';
    let error: string | null = null;
    try {
      const lines = createInterface({
        input: createReadStream(files.rowsPath(task.id)),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      let batch: unknown[][] = [];
      for await (const line of lines) {
        if (line === '') continue;
        batch.push(JSON.parse(line) as unknown[]);
        if (batch.length >= BATCH_SIZE) {
          await flush(batch);
          batch = [];
          if (cancelled || closing) break;
          await new Promise((r) => setImmediate(r)); // let API requests in between batches
        }
      }
      lines.close();
      if (batch.length > 0 && !cancelled && !closing) await flush(batch);
      status = cancelled ? 'cancelled' : closing ? 'interrupted' : 'completed';
    } catch (err) {
      status = 'failed';
      error = err instanceof Error ? err.message : String(err);
      app.log.error({ err, task: task.id }, 'group send failed');
    } finally {
      await store.updateGroupTask(task.id, { status, error, finishedAt: now() });
    }
  }

  /** Starts this node's next due task unless one runs. */
  function pump(): void {
    if (running || closing) return;
    running = (async () => {
      await ready;
      for (;;) {
        if (closing) return;
        const due = await store.startDueGroupTask(opts.nodeId, now());
        if (!due) return;
        await runTask(due);
      }
    })()
      .catch((err) => app.log.error({ err }, 'group-send runner failed'))
      .finally(() => {
        running = null;
      });
  }
  let ticks = 0;
  const ticker = setInterval(() => {
    pump();
    // Numbers files of tasks deleted through another node, about once a minute.
    if (++ticks % 60 === 0) void files.removeOrphans(store).catch(() => undefined);
  }, opts.tickMs ?? 1000);
  ticker.unref();
  app.addHook('onClose', async () => {
    closing = true;
    clearInterval(ticker);
    await ready.catch(() => undefined);
    if (running) await running;
  });

  // ---- routes -----------------------------------------------------------------------------
  await app.register(async (r) => {
    r.addHook('onRequest', opts.authenticate);
    r.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
      if (err instanceof GroupSendError) return sendError(reply, err.status, err.code, err.message);
      if (err.statusCode && err.statusCode < 500)
        return sendError(reply, err.statusCode, 'VALIDATION_FAILED', err.message);
      req.log.error({ err }, 'group-send route failed');
      return sendError(reply, 500, 'INTERNAL', 'internal error');
    });

    // Upload: the body stays a stream (its own encapsulated parser, so other routes keep JSON).
    await r.register(async (up) => {
      up.removeAllContentTypeParsers();
      up.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
      up.post('/api/v1/group-sends', async (req, reply) => {
        const q = req.query as Record<string, string | undefined>;
        const body = req.body as Readable | undefined;
        let target: Awaited<ReturnType<typeof resolveTarget>>;
        let scheduleAt: number | null = null;
        try {
          target = await resolveTarget(store, q);
          if (q.scheduleAt) {
            const t = /^[0-9]+$/.test(q.scheduleAt) ? Number(q.scheduleAt) : Date.parse(q.scheduleAt);
            if (Number.isNaN(t))
              throw new GroupSendError(400, 'VALIDATION_FAILED', 'scheduleAt must be ISO 8601 or epoch ms');
            if (t > now() + MAX_SCHEDULE_AHEAD_MS)
              throw new GroupSendError(400, 'VALIDATION_FAILED', 'scheduleAt may be at most 31 days ahead');
            scheduleAt = t > now() ? t : null;
          }
          if (!body || typeof body.pipe !== 'function')
            throw new GroupSendError(
              400,
              'VALIDATION_FAILED',
              'send the CSV or XLSX file as the request body',
            );
        } catch (err) {
          body?.resume?.();
          return fail(reply, err);
        }
        const id = GroupSendFiles.newId();
        const task: GroupTaskRecord = {
          id,
          nodeId: opts.nodeId,
          name:
            (q.name ?? '').slice(0, 64) ||
            `Group send ${new Date(now()).toISOString().slice(0, 16).replace('T', ' ')}`,
          appId: target.app.id,
          templateId: target.tpl.id,
          signatureId: target.signature?.id ?? null,
          signatureName: target.signatureName,
          from: target.from,
          fileName: q.fileName ? q.fileName.slice(0, 128) : null,
          status: 'uploading',
          scheduleAt,
          total: 0,
          processed: 0,
          accepted: 0,
          failed: 0,
          error: null,
          cancelRequested: false,
          createdBy: req.consoleIdentity?.username ?? 'unknown',
          createdAt: now(),
          startedAt: null,
          finishedAt: null,
        };
        await ready;
        await store.insertGroupTask(task);
        const out = createWriteStream(files.rowsPath(id));
        const spool = files.spoolPath(id);
        // Read without destroy-on-return, so a refused upload can be drained and answered cleanly.
        const it = (body as Readable).iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
        try {
          let first = true;
          const write = async (records: string[][]) => {
            let text = '';
            for (const rec of records) {
              if (first) {
                first = false;
                if (!hasDigit(rec[0] ?? '')) continue; // header row
              }
              if (++task.total > maxRows)
                throw new GroupSendError(400, 'VALIDATION_FAILED', `the file has more than ${maxRows} rows`);
              text += `${JSON.stringify(rec.map((c) => c.trim()))}\n`;
            }
            if (text && !out.write(text)) await once(out, 'drain');
          };
          const { head, done } = await readHead(it);
          if (detectUploadFormat(head, q.fileName, req.headers['content-type']) === 'xlsx') {
            await spoolUpload(head, done ? null : it, spool, maxXlsxBytes, () => {
              return new GroupSendError(
                413,
                'VALIDATION_FAILED',
                `the XLSX file is larger than ${maxXlsxBytes} bytes`,
              );
            });
            for await (const rows of readXlsxRows(spool)) await write(rows);
          } else {
            const parser = new CsvRecordParser();
            const decoder = new TextDecoder('utf-8');
            let bytes = 0;
            const feed = async (chunk: Buffer) => {
              bytes += chunk.length;
              if (bytes > maxBytes)
                throw new GroupSendError(
                  413,
                  'VALIDATION_FAILED',
                  `the file is larger than ${maxBytes} bytes`,
                );
              await write(parser.push(decoder.decode(chunk, { stream: true })));
            };
            await feed(head);
            if (!done) for (let r = await it.next(); !r.done; r = await it.next()) await feed(r.value);
            await write([...parser.push(decoder.decode()), ...parser.end()]);
          }
          out.end();
          await once(out, 'close');
          if (task.total === 0) throw new GroupSendError(400, 'VALIDATION_FAILED', 'the file has no numbers');
        } catch (err) {
          out.on('error', () => {}); // a write in flight fails late once destroyed; nothing to report
          out.destroy();
          // Discard the rest of the body instead of destroying the socket under the reply.
          await it.return?.();
          if (!(body as Readable).readableEnded) {
            reply.header('connection', 'close');
            (body as Readable).resume();
          }
          // The task never got past `uploading`: it goes (a failed mark first, since tasks that
          // are uploading or running cannot be deleted).
          await store
            .updateGroupTask(id, { status: 'failed' })
            .then(() => store.deleteGroupTask(id))
            .catch((e) => req.log.warn({ err: e, task: id }, 'removing a refused upload failed'));
          files.remove(id);
          if (err instanceof GroupSendError) return fail(reply, err);
          if (err instanceof XlsxError) return sendError(reply, 400, 'VALIDATION_FAILED', err.message);
          if (err instanceof Error && /CSV record/.test(err.message))
            return sendError(reply, 400, 'VALIDATION_FAILED', err.message);
          throw err;
        } finally {
          rmSync(spool, { force: true });
        }
        task.status = 'scheduled';
        await store.updateGroupTask(id, { status: 'scheduled', total: task.total });
        setImmediate(pump);
        return reply.code(201).send(groupTaskView(task));
      });
    });

    r.get('/api/v1/group-sends', async (req) => {
      const q = req.query as Record<string, string | undefined>;
      const limit = Math.min(Math.max(Number(q.limit) || 50, 1), 1000);
      const offset = Math.max(Number(q.offset) || 0, 0);
      const page = await store.listGroupTasks({ appId: q.app || undefined }, { limit, offset });
      return { items: page.items.map(groupTaskView), total: page.total, limit, offset };
    });

    const taskOr404 = async (id: string): Promise<GroupTaskRecord> => {
      const t = await store.getGroupTask(id);
      if (!t) throw new GroupSendError(404, 'NOT_FOUND', `group send ${id} not found`);
      return t;
    };

    r.get('/api/v1/group-sends/:id', async (req) =>
      groupTaskView(await taskOr404((req.params as { id: string }).id)),
    );

    r.post('/api/v1/group-sends/:id/cancel', async (req) => {
      const { id } = req.params as { id: string };
      const r = await store.cancelGroupTask(id, now());
      if (r === 'missing') throw new GroupSendError(404, 'NOT_FOUND', `group send ${id} not found`);
      if (r === 'not-cancellable') {
        const t = await taskOr404(id);
        throw new GroupSendError(409, 'INVALID_STATE', `the task is ${t.status}`);
      }
      return groupTaskView(r);
    });

    r.delete('/api/v1/group-sends/:id', async (req, reply) => {
      const { id } = req.params as { id: string };
      const r = await store.deleteGroupTask(id);
      if (r === 'missing') throw new GroupSendError(404, 'NOT_FOUND', `group send ${id} not found`);
      if (r === 'busy') throw new GroupSendError(409, 'INVALID_STATE', 'cancel the task first');
      files.remove(id); // on another node the file is removed by that node's clean-up
      return reply.code(204).send();
    });

    r.get('/api/v1/group-sends/:id/failed.csv', async (req, reply) => {
      const t = await taskOr404((req.params as { id: string }).id);
      reply
        .header('content-disposition', `attachment; filename="group-send-${t.id}-failed.csv"`)
        .type('text/csv; charset=utf-8');
      // Streamed page by page from the store: a million refused numbers are never held at once.
      async function* csv() {
        yield 'number,status\n';
        for (let after = 0; ; ) {
          const rows = await store.groupTaskFailures(t.id, after, 5_000);
          if (rows.length === 0) return;
          yield rows.map((f) => `${csvCell(f.number)},${csvCell(f.status)}\n`).join('');
          after = rows[rows.length - 1].seq;
        }
      }
      return reply.send(Readable.from(csv()));
    });
  });
}
