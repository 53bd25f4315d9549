/**
 * The one `Store` implementation, written against Kysely and an `EngineAdapter`. The engine
 * folders (`sqlite/`, `postgres/`) supply the adapter: dialect, capability flags, the
 * group-committed accept path and the migration lock. The operations live in small modules named
 * for their area; this class wires them to the interface.
 */

import { Migrator, sql } from 'kysely';
import * as apps from './app-repo.js';
import * as carriers from './carrier-repo.js';
import * as consoleState from './console-repo.js';
import * as coord from './coordination.js';
import type { EngineAdapter } from './engine-adapter.js';
import { GroupCommit } from './group-commit.js';
import * as groupSends from './group-send-repo.js';
import { LookupCache } from './lookup-cache.js';
import * as claims from './message-claims.js';
import * as outcomes from './message-outcomes.js';
import * as queries from './message-queries.js';
import { migrationList, migrationProvider } from './migrations/migration-list.js';
import * as outbox from './outbox-repo.js';
import { applyReceiptsTx, matchParkedReceiptsTx } from './receipt-apply.js';
import type { NewMessage } from './records.js';
import { purgeHistory } from './retention-repo.js';
import type { SecretBox } from './secret-box.js';
import * as sigs from './signature-repo.js';
import type { Store } from './store.js';
import type { StoreContext } from './store-context.js';
import * as tpls from './template-repo.js';
import * as uplink from './uplink-repo.js';

export interface KyselyStoreOptions {
  /** Group-commit window for `acceptMessages` in ms (default 2). */
  acceptWindowMs?: number;
  /** Rows that end a group-commit window early (default 2,000). */
  acceptMaxRows?: number;
  log?: (msg: string) => void;
}

export class KyselyStore implements Store {
  readonly #ctx: StoreContext;
  readonly #accept: GroupCommit<NewMessage>;
  #closed = false;

  constructor(adapter: EngineAdapter, box: SecretBox, opts: KyselyStoreOptions = {}) {
    this.#ctx = Object.freeze({ adapter, db: adapter.db, box, log: opts.log ?? (() => {}) });
    this.#accept = new GroupCommit<NewMessage>({
      write: (items) => adapter.writeAccepted(items),
      windowMs: opts.acceptWindowMs ?? 2,
      maxItems: opts.acceptMaxRows ?? 2000,
    });
  }

  get capabilities() {
    return this.#ctx.adapter.capabilities;
  }
  get kind() {
    return this.#ctx.adapter.kind;
  }

  /** Applies pending migrations under the engine's cross-process lock; safe to call repeatedly. */
  async migrate(): Promise<void> {
    const { adapter } = this.#ctx;
    await adapter.withMigrationLock(async () => {
      const migrator = new Migrator({ db: adapter.db, provider: migrationProvider(adapter.flavor) });
      const { error, results } = await migrator.migrateToLatest();
      for (const r of results ?? []) this.#ctx.log(`migration ${r.migrationName}: ${r.status}`);
      if (error) throw error;
    });
  }

  async migrationStatus(): Promise<{ applied: number; known: number }> {
    const { adapter } = this.#ctx;
    const migrator = new Migrator({ db: adapter.db, provider: migrationProvider(adapter.flavor) });
    const list = await migrator.getMigrations();
    return {
      applied: list.filter((m) => m.executedAt !== undefined).length,
      known: Object.keys(migrationList(adapter.flavor)).length,
    };
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#ctx.db);
  }

  /** Writes whatever accept calls are still gathering, then closes the connection(s). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#accept.flush();
    await this.#ctx.adapter.close();
  }

  /** Rows every send request reads, kept briefly (see LookupCache for freshness). */
  readonly #lookups = new LookupCache();

  /** A write to apps, signatures or templates: the cache is emptied before and after it. */
  async #write<T>(op: Promise<T>): Promise<T> {
    this.#lookups.invalidate();
    try {
      return await op;
    } finally {
      this.#lookups.invalidate();
    }
  }

  // apps
  createApp: Store['createApp'] = (a) => this.#write(apps.createApp(this.#ctx, a));
  getApp: Store['getApp'] = (id) => apps.getApp(this.#ctx, id);
  getAppByKey: Store['getAppByKey'] = (k) =>
    this.#lookups.get(`app:${k}`, () => apps.getAppByKey(this.#ctx, k));
  listApps: Store['listApps'] = (p) => apps.listApps(this.#ctx, p);
  updateApp: Store['updateApp'] = (id, p) => this.#write(apps.updateApp(this.#ctx, id, p));
  deleteApp: Store['deleteApp'] = (id) => this.#write(apps.deleteApp(this.#ctx, id));

  // signatures
  createSignature: Store['createSignature'] = (s) => this.#write(sigs.createSignature(this.#ctx, s));
  getSignature: Store['getSignature'] = (id) => sigs.getSignature(this.#ctx, id);
  findSignatureByChannel: Store['findSignatureByChannel'] = (c) =>
    this.#lookups.get(`sig:${c}`, () => sigs.findSignatureByChannel(this.#ctx, c));
  findSignatureByName: Store['findSignatureByName'] = (a, n) => sigs.findSignatureByName(this.#ctx, a, n);
  listSignatures: Store['listSignatures'] = (f, p) => sigs.listSignatures(this.#ctx, f, p);
  approveSignature: Store['approveSignature'] = (id) => this.#write(sigs.approveSignature(this.#ctx, id));
  rejectSignature: Store['rejectSignature'] = (id, r) => this.#write(sigs.rejectSignature(this.#ctx, id, r));
  updateSignature: Store['updateSignature'] = (id, p) => this.#write(sigs.updateSignature(this.#ctx, id, p));
  deleteSignature: Store['deleteSignature'] = (id) => this.#write(sigs.deleteSignature(this.#ctx, id));

  // templates
  createTemplate: Store['createTemplate'] = (t) => this.#write(tpls.createTemplate(this.#ctx, t));
  getTemplate: Store['getTemplate'] = (id) =>
    this.#lookups.get(`tpl:${id}`, () => tpls.getTemplate(this.#ctx, id));
  listTemplates: Store['listTemplates'] = (f, p) => tpls.listTemplates(this.#ctx, f, p);
  setTemplateStatus: Store['setTemplateStatus'] = (id, s, r) =>
    this.#write(tpls.setTemplateStatus(this.#ctx, id, s, r));
  updateTemplate: Store['updateTemplate'] = (id, p) => this.#write(tpls.updateTemplate(this.#ctx, id, p));
  deleteTemplate: Store['deleteTemplate'] = (id) => this.#write(tpls.deleteTemplate(this.#ctx, id));

  // messages
  /** Group-committed: resolves after the transaction holding these rows (and their neighbours') commits. */
  acceptMessages: Store['acceptMessages'] = (m) =>
    this.#closed ? Promise.reject(new Error('store is closed')) : this.#accept.submit(m);
  claimMessages: Store['claimMessages'] = (o, l, ms, now) =>
    this.#ctx.adapter.claimMessages
      ? this.#ctx.adapter.claimMessages(o, l, ms, now)
      : claims.claimMessages(this.#ctx, o, l, ms, now);
  renewMessageLeases: Store['renewMessageLeases'] = (o, ids, ms, now) =>
    claims.renewMessageLeases(this.#ctx, o, ids, ms, now);
  recordSubmits: Store['recordSubmits'] = (o) =>
    o.length === 0
      ? Promise.resolve()
      : this.#ctx.adapter.recordSubmits
        ? this.#ctx.adapter.recordSubmits(o)
        : outcomes.recordSubmits(this.#ctx, o);
  requeueMessages: Store['requeueMessages'] = (i) => claims.requeueMessages(this.#ctx, i);
  finalizeMessages: Store['finalizeMessages'] = (o) =>
    this.#ctx.adapter.finalizeMessages
      ? this.#ctx.adapter.finalizeMessages(o)
      : outcomes.finalizeMessages(this.#ctx, o);
  appendEvents: Store['appendEvents'] = (e) => outcomes.appendEvents(this.#ctx, e);
  applyReceipts: Store['applyReceipts'] = (r) =>
    r.length === 0
      ? Promise.resolve({ matched: 0, pending: 0 })
      : this.#ctx.adapter.applyReceipts
        ? this.#ctx.adapter.applyReceipts(r)
        : this.#ctx.db.transaction().execute((trx) => applyReceiptsTx(trx, r, true));
  expireParts: Store['expireParts'] = (b, now, l) =>
    this.#ctx.adapter.expireParts
      ? this.#ctx.adapter.expireParts(b, now, l)
      : outcomes.expireParts(this.#ctx, b, now, l);
  matchParkedReceipts: Store['matchParkedReceipts'] = (since, limit) =>
    this.#ctx.adapter.matchParkedReceipts
      ? this.#ctx.adapter.matchParkedReceipts(since, limit)
      : matchParkedReceiptsTx(this.#ctx.db, since, limit);
  queueDepth: Store['queueDepth'] = () => claims.queueDepth(this.#ctx);

  // send details and statistics
  queryMessages: Store['queryMessages'] = (f, p) => queries.queryMessages(this.#ctx, f, p);
  getMessageDetail: Store['getMessageDetail'] = (id) => queries.getMessageDetail(this.#ctx, id);
  recentSends: Store['recentSends'] = (n, s) => queries.recentSends(this.#ctx, n, s);
  statsByDay: Store['statsByDay'] = (f) => queries.statsByDay(this.#ctx, f);
  failureBreakdown: Store['failureBreakdown'] = (f) => queries.failureBreakdown(this.#ctx, f);

  // outbox
  claimOutbox: Store['claimOutbox'] = (o, l, ms, now) =>
    this.#ctx.adapter.claimOutbox
      ? this.#ctx.adapter.claimOutbox(o, l, ms, now)
      : outbox.claimOutbox(this.#ctx, o, l, ms, now);
  completeOutbox: Store['completeOutbox'] = (r) =>
    this.#ctx.adapter.completeOutbox
      ? this.#ctx.adapter.completeOutbox(r)
      : outbox.completeOutbox(this.#ctx, r);
  redeliverOutbox: Store['redeliverOutbox'] = (id, now) => outbox.redeliverOutbox(this.#ctx, id, now);
  listOutbox: Store['listOutbox'] = (f, p) => outbox.listOutbox(this.#ctx, f, p);
  outboxBacklog: Store['outboxBacklog'] = () => outbox.outboxBacklog(this.#ctx);

  purgeHistory: Store['purgeHistory'] = (cutoff, limit) => purgeHistory(this.#ctx, cutoff, limit);

  // group sends
  insertGroupTask: Store['insertGroupTask'] = (t) => groupSends.insertGroupTask(this.#ctx, t);
  getGroupTask: Store['getGroupTask'] = (id) => groupSends.getGroupTask(this.#ctx, id);
  listGroupTasks: Store['listGroupTasks'] = (f, p) => groupSends.listGroupTasks(this.#ctx, f, p);
  updateGroupTask: Store['updateGroupTask'] = (id, c) => groupSends.updateGroupTask(this.#ctx, id, c);
  recordGroupBatch: Store['recordGroupBatch'] = (id, p, f) =>
    groupSends.recordGroupBatch(this.#ctx, id, p, f);
  cancelGroupTask: Store['cancelGroupTask'] = (id, now) => groupSends.cancelGroupTask(this.#ctx, id, now);
  deleteGroupTask: Store['deleteGroupTask'] = (id) => groupSends.deleteGroupTask(this.#ctx, id);
  startDueGroupTask: Store['startDueGroupTask'] = (n, now) => groupSends.startDueGroupTask(this.#ctx, n, now);
  interruptGroupTasks: Store['interruptGroupTasks'] = (n, now) =>
    groupSends.interruptGroupTasks(this.#ctx, n, now);
  groupTaskFailures: Store['groupTaskFailures'] = (id, after, limit) =>
    groupSends.groupTaskFailures(this.#ctx, id, after, limit);

  // console
  listConsoleUsers: Store['listConsoleUsers'] = () => consoleState.listConsoleUsers(this.#ctx);
  getConsoleUser: Store['getConsoleUser'] = (u) => consoleState.getConsoleUser(this.#ctx, u);
  insertConsoleUser: Store['insertConsoleUser'] = (u) => consoleState.insertConsoleUser(this.#ctx, u);
  updateConsoleUser: Store['updateConsoleUser'] = (u, v) => consoleState.updateConsoleUser(this.#ctx, u, v);
  deleteConsoleUser: Store['deleteConsoleUser'] = (u) => consoleState.deleteConsoleUser(this.#ctx, u);
  loginLockedUntil: Store['loginLockedUntil'] = (k) => consoleState.loginLockedUntil(this.#ctx, k);
  recordLoginFailure: Store['recordLoginFailure'] = (k, now, max, lockMs) =>
    consoleState.recordLoginFailure(this.#ctx, k, now, max, lockMs);
  clearLoginFailures: Store['clearLoginFailures'] = (k) => consoleState.clearLoginFailures(this.#ctx, k);
  revokeSession: Store['revokeSession'] = (n, exp, now) => consoleState.revokeSession(this.#ctx, n, exp, now);
  isSessionRevoked: Store['isSessionRevoked'] = (n) => consoleState.isSessionRevoked(this.#ctx, n);

  // uplink and blocklist
  resolveChannel: Store['resolveChannel'] = (to) => uplink.resolveChannelIn(this.#ctx.db, to);
  insertMo: Store['insertMo'] = (mo) => uplink.insertMo(this.#ctx, mo);
  addMoPart: Store['addMoPart'] = (p, id, assemble) => uplink.addMoPart(this.#ctx, p, id, assemble);
  flushMoParts: Store['flushMoParts'] = (older, now, newId, assemble) =>
    uplink.flushMoParts(this.#ctx, older, now, newId, assemble);
  listMo: Store['listMo'] = (f, p) => uplink.listMo(this.#ctx, f, p);
  addBlock: Store['addBlock'] = (e) => uplink.addBlock(this.#ctx, e);
  removeBlock: Store['removeBlock'] = (id) => uplink.removeBlock(this.#ctx, id);
  listBlocks: Store['listBlocks'] = (f, p) => uplink.listBlocks(this.#ctx, f, p);
  findBlocks: Store['findBlocks'] = (a, n) => uplink.findBlocks(this.#ctx, a, n);

  // carriers
  createConnector: Store['createConnector'] = (c) => carriers.createConnector(this.#ctx, c);
  getConnector: Store['getConnector'] = (id) => carriers.getConnector(this.#ctx, id);
  listConnectors: Store['listConnectors'] = () => carriers.listConnectors(this.#ctx);
  updateConnector: Store['updateConnector'] = (id, p) => carriers.updateConnector(this.#ctx, id, p);
  deleteConnector: Store['deleteConnector'] = (id) => carriers.deleteConnector(this.#ctx, id);
  createRoute: Store['createRoute'] = (r) => carriers.createRoute(this.#ctx, r);
  listRoutes: Store['listRoutes'] = () => carriers.listRoutes(this.#ctx);
  updateRoute: Store['updateRoute'] = (id, p) => carriers.updateRoute(this.#ctx, id, p);
  deleteRoute: Store['deleteRoute'] = (id) => carriers.deleteRoute(this.#ctx, id);

  // coordination
  acquireLease: Store['acquireLease'] = (n, o, ttl, now) => coord.acquireLease(this.#ctx, n, o, ttl, now);
  releaseLease: Store['releaseLease'] = (n, o) => coord.releaseLease(this.#ctx, n, o);
  listLeases: Store['listLeases'] = (p, now) => coord.listLeases(this.#ctx, p, now);
  takeTokens: Store['takeTokens'] = (k, r, n, now) => coord.takeTokens(this.#ctx, k, r, n, now);
}
