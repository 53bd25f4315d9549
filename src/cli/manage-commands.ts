/**
 * Management commands: `app`, `signature`, `template`, `messages`, `webhooks`. Each reaches the
 * server's `/api/v1` over HTTP and prints a table (or `--json`).
 */
import type { Command } from 'commander';
import { CliUsageError, type ConnOptions, ManageClient } from './manage-client.js';
import { emit, record, table } from './output.js';

type Opts = ConnOptions & { json?: boolean } & Record<string, unknown>;
type Page<T> = { items: T[]; total: number };
type Obj = Record<string, unknown>;

/** Adds the connection options every management command takes. */
export function conn(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'server address (env SWIFTLET_URL)', undefined)
    .option('--token <token>', 'admin token (env SWIFTLET_ADMIN_TOKEN, or <data>/admin-token)')
    .option('--data <dir>', 'data directory holding admin-token', undefined)
    .option('--json', 'machine-readable JSON output');
}

const APP_COLS = ['id', 'name', 'appKey', 'region', 'status', 'channelNumber', 'createdAt'];
const SIG_COLS = ['id', 'name', 'type', 'status', 'channelNumber', 'rejectReason'];
const TPL_COLS = ['id', 'name', 'type', 'status', 'universal', 'signatureId', 'content'];
const MSG_COLS = ['smsMsgId', 'createdAt', 'to', 'channelNumber', 'total', 'state', 'result', 'statusCode'];

function showOne(opts: Opts, obj: Obj): void {
  emit(opts.json, obj, () => record(obj));
}
function showList(opts: Opts, page: Page<Obj>, cols: string[]): void {
  emit(opts.json, page, () => `${table(page.items, cols)}\n(${page.items.length} of ${page.total})`);
}

function ipList(v: unknown): string[] | undefined {
  return typeof v === 'string' ? v.split(/[\s,;]+/).filter(Boolean) : undefined;
}

/**
 * Adds `list`, `show`, `approve` and `reject` under `parent`: signatures and templates share one review
 * lifecycle on the server, so their commands differ only in path, wording and table columns.
 */
function registerReviewCommands(
  parent: Command,
  noun: string,
  path: string,
  approveDescription: string,
  cols: string[],
): void {
  conn(
    parent
      .command('list')
      .description(`list ${noun}s`)
      .option('--app <app>')
      .option('--status <status>')
      .option('--limit <n>', 'page size', '50'),
  ).action(async (o: Opts) =>
    showList(
      o,
      await new ManageClient(o).request<Page<Obj>>('GET', path, undefined, {
        app: o.app as string,
        status: o.status as string,
        limit: o.limit as string,
      }),
      cols,
    ),
  );
  conn(parent.command('show').argument('<id>').description(`show a ${noun}`)).action(
    async (id: string, o: Opts) =>
      showOne(o, await new ManageClient(o).request<Obj>('GET', `${path}/${encodeURIComponent(id)}`)),
  );
  conn(parent.command('approve').argument('<id>').description(approveDescription)).action(
    async (id: string, o: Opts) =>
      showOne(o, await new ManageClient(o).request<Obj>('POST', `${path}/${encodeURIComponent(id)}/approve`)),
  );
  conn(
    parent
      .command('reject')
      .argument('<id>')
      .requiredOption('--reason <text>')
      .description('reject with a reason'),
  ).action(async (id: string, o: Opts) =>
    showOne(
      o,
      await new ManageClient(o).request<Obj>('POST', `${path}/${encodeURIComponent(id)}/reject`, {
        reason: o.reason,
      }),
    ),
  );
}

export function registerManageCommands(program: Command): void {
  const app = program.command('app').description('manage applications');
  conn(
    app
      .command('create')
      .description('create an application; prints its appKey and appSecret')
      .requiredOption('--name <name>')
      .option('--region <region>', 'cn or intl', 'cn')
      .option('--uplink-url <url>')
      .option('--batch-report-url <url>')
      .option('--ip-allow <list>', 'comma-separated addresses/CIDRs'),
  ).action(async (o: Opts) => {
    if (o.region !== 'cn' && o.region !== 'intl') throw new CliUsageError('--region must be cn or intl');
    const body = {
      name: o.name,
      region: o.region,
      uplinkUrl: o.uplinkUrl,
      batchReportUrl: o.batchReportUrl,
      ipAllowList: ipList(o.ipAllow),
    };
    showOne(o, await new ManageClient(o).request<Obj>('POST', '/apps', body));
  });
  conn(app.command('list').description('list applications').option('--limit <n>', 'page size', '50')).action(
    async (o: Opts) =>
      showList(
        o,
        await new ManageClient(o).request<Page<Obj>>('GET', '/apps', undefined, { limit: o.limit as string }),
        APP_COLS,
      ),
  );
  conn(app.command('show').description('show an application (id or app key)').argument('<app>')).action(
    async (id: string, o: Opts) =>
      showOne(o, await new ManageClient(o).request<Obj>('GET', `/apps/${encodeURIComponent(id)}`)),
  );
  conn(
    app
      .command('update')
      .description('update an application')
      .argument('<app>')
      .option('--name <name>')
      .option('--uplink-url <url>', 'empty string clears it')
      .option('--batch-report-url <url>', 'empty string clears it')
      .option('--ip-allow <list>', 'comma-separated addresses/CIDRs; empty string clears it'),
  ).action(async (id: string, o: Opts) => {
    const body: Obj = {};
    if (o.name !== undefined) body.name = o.name;
    if (o.uplinkUrl !== undefined) body.uplinkUrl = o.uplinkUrl === '' ? null : o.uplinkUrl;
    if (o.batchReportUrl !== undefined)
      body.batchReportUrl = o.batchReportUrl === '' ? null : o.batchReportUrl;
    if (o.ipAllow !== undefined) body.ipAllowList = ipList(o.ipAllow);
    showOne(o, await new ManageClient(o).request<Obj>('PATCH', `/apps/${encodeURIComponent(id)}`, body));
  });
  for (const action of ['freeze', 'unfreeze']) {
    conn(app.command(action).description(`${action} an application`).argument('<app>')).action(
      async (id: string, o: Opts) =>
        showOne(
          o,
          await new ManageClient(o).request<Obj>('POST', `/apps/${encodeURIComponent(id)}/${action}`),
        ),
    );
  }

  const sig = program.command('signature').description('manage signatures');
  conn(
    sig
      .command('create')
      .description('apply for a signature')
      .requiredOption('--app <app>', 'app key or id')
      .requiredOption('--name <name>')
      .requiredOption('--type <type>', 'VERIFY_CODE_TYPE | NOTIFY_TYPE | PROMOTION_TYPE'),
  ).action(async (o: Opts) => {
    const s = await new ManageClient(o).request<Obj>('POST', '/signatures', {
      app: o.app,
      name: o.name,
      type: o.type,
    });
    showOne(o, s);
  });
  registerReviewCommands(sig, 'signature', '/signatures', 'approve (allocates the channel number)', SIG_COLS);

  const tpl = program.command('template').description('manage templates');
  conn(
    tpl
      .command('create')
      .description('create a template')
      .requiredOption('--app <app>', 'app key or id')
      .option('--signature <id>', 'bound signature id')
      .option('--universal', 'universal template (needs `signature` at send time)')
      .requiredOption('--type <type>', 'VERIFY_CODE_TYPE | NOTIFY_TYPE | PROMOTION_TYPE')
      .requiredOption('--name <name>')
      .requiredOption('--content <text>')
      .option('--var <n=ATTR...>', 'attribute of ${n}: PHONE, CHARDIGIT, DATETIME, MONEY, TEXT'),
  ).action(async (o: Opts) => {
    if (!o.signature && !o.universal) throw new CliUsageError('give --signature ID or --universal');
    const variableAttributes: Record<string, string> = {};
    for (const v of (o.var as string[] | undefined) ?? []) {
      const m = /^([0-9]{1,2})=([A-Z]+)$/.exec(v);
      if (!m) throw new CliUsageError(`--var expects n=ATTRIBUTE, got ${v}`);
      variableAttributes[m[1]] = m[2];
    }
    const body = {
      app: o.app,
      ...(o.universal ? { universal: true } : { signatureId: o.signature }),
      type: o.type,
      name: o.name,
      content: o.content,
      ...(Object.keys(variableAttributes).length ? { variableAttributes } : {}),
    };
    const t = await new ManageClient(o).request<Obj>('POST', '/templates', body);
    showOne(o, { templateId: t.id, ...t });
  });
  registerReviewCommands(tpl, 'template', '/templates', 'approve (becomes active)', TPL_COLS);

  conn(
    program
      .command('messages')
      .description('query send details; with --id, one message with its parts and events')
      .option('--to <number>')
      .option('--id <smsMsgId>')
      .option('--app <app>', 'app key or id')
      .option('--status <status>', 'state (QUEUED, DELIVERED…) or status code (DELIVRD…)')
      .option('--since <time>', 'ISO time or epoch ms')
      .option('--until <time>', 'ISO time or epoch ms')
      .option('--limit <n>', 'page size', '50'),
  ).action(async (o: Opts) => {
    const client = new ManageClient(o);
    if (o.id) {
      const d = await client.request<{ message: Obj; parts: Obj[]; events: Obj[] }>(
        'GET',
        `/messages/${encodeURIComponent(o.id as string)}`,
      );
      emit(o.json, d, () =>
        [
          record(d.message),
          '',
          'Parts:',
          table(d.parts, ['seq', 'state', 'carrierMsgId', 'statusCode', 'submittedAt', 'receiptAt']),
          '',
          'Events:',
          table(d.events, ['at', 'kind', 'seq', 'detail']),
        ].join('\n'),
      );
      return;
    }
    const page = await client.request<Page<Obj>>('GET', '/messages', undefined, {
      to: o.to as string,
      app: o.app as string,
      status: o.status as string,
      since: o.since as string,
      until: o.until as string,
      limit: o.limit as string,
    });
    showList(o, page, MSG_COLS);
  });

  const hooks = program.command('webhooks').description('status-report and uplink pushes');
  conn(hooks.command('redeliver').argument('<id>').description('queue a push again, due now')).action(
    async (id: string, o: Opts) =>
      showOne(
        o,
        await new ManageClient(o).request<Obj>('POST', `/pushes/${encodeURIComponent(id)}/redeliver`),
      ),
  );
}
