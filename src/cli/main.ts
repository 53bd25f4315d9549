/**
 * The `swiftlet` command. Exit codes: 0 ok, 1 API/server error, 2 usage error.
 * Management commands talk to a running server over HTTP (`--url`, `--token`); `serve` and
 * `simulator` run servers in this process; `codes` reads the catalogues locally.
 */
import { Command, CommanderError } from 'commander';
import { SmsClient } from '../client/sms-client.js';
import { API_CODES } from '../domain/api-codes.js';
import { describeStatus, STATUS_CODES } from '../domain/status-codes.js';
import { CliApiError, CliUsageError, type ConnOptions, ManageClient } from './manage-client.js';
import { conn, registerManageCommands } from './manage-commands.js';
import { emit, record, table } from './output.js';

type Opts = Record<string, unknown> & { json?: boolean };

function buildProgram(): Command {
  const program = new Command('swiftlet')
    .description('Self-hosted SMS platform, wire-compatible with Huawei Cloud MSGSMS')
    .version('0.1.0')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the server (API, console, delivery engine, simulator)')
    .option('--port <port>', 'listen port (default 8080)')
    .option('--host <host>', 'listen address (default 127.0.0.1)')
    .option('--data <dir>', 'data directory (default ./data)')
    .option('--database <url>', 'sqlite path or postgres:// URL (default sqlite under --data)')
    .option('--config <file>', 'YAML or JSON configuration file')
    .option('--demo', 'demo profile: provision a demo app, auto-approve reviews')
    .option('--no-demo', 'disable the demo profile even if configured')
    .action(async (o: Opts) => {
      const { loadConfig } = await import('../config.js');
      const { startServer, installShutdownHandlers } = await import('../main.js');
      const port = o.port === undefined ? undefined : Number(o.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
        throw new CliUsageError('--port must be 0-65535');
      const db = o.database as string | undefined;
      const loaded = loadConfig({
        configFile: o.config as string | undefined,
        port,
        host: o.host as string | undefined,
        dataDir: o.data as string | undefined,
        databaseUrl:
          db === undefined ? undefined : /^(postgres(ql)?|sqlite):/i.test(db) ? db : `sqlite:${db}`,
        demo: o.demo as boolean | undefined,
      });
      const server = await startServer(loaded.config, { adminTokenGenerated: loaded.adminTokenGenerated });
      installShutdownHandlers(server);
      process.stdout.write(
        `Swiftlet listening on ${server.url} (console: ${server.url}/console/, API docs: ${server.url}/docs)\n`,
      );
    });

  program
    .command('send')
    .description('send through the public MSGSMS API (a real client, like your code)')
    .requiredOption('--app-key <key>')
    .requiredOption('--app-secret <secret>')
    .requiredOption('--from <channel>', 'channel number')
    .requiredOption('--to <numbers>', 'comma-separated numbers')
    .requiredOption('--template <id>', 'template id')
    .option('--params <json>', 'template parameters as a JSON array, e.g. ["123456"]')
    .option('--signature <name>', 'signature name (universal templates only)')
    .option('--callback <url>', 'statusCallback URL')
    .option('--extend <text>', 'echoed in status reports')
    .option('--auth <scheme>', 'wsse or aksk', 'aksk')
    .option('--url <url>', 'API address (env SWIFTLET_URL)')
    .option('--json', 'print the raw response')
    .action(async (o: Opts) => {
      if (o.auth !== 'wsse' && o.auth !== 'aksk') throw new CliUsageError('--auth must be wsse or aksk');
      let params: string[] | undefined;
      if (o.params !== undefined) {
        try {
          params = JSON.parse(o.params as string);
        } catch {
          throw new CliUsageError('--params must be a JSON array of strings, e.g. ["123456"]');
        }
        if (!Array.isArray(params)) throw new CliUsageError('--params must be a JSON array');
      }
      const client = new SmsClient({
        endpoint: (
          (o.url as string | undefined) ??
          process.env.SWIFTLET_URL ??
          'http://127.0.0.1:8080'
        ).replace(/\/+$/, ''),
        appKey: o.appKey as string,
        appSecret: o.appSecret as string,
        auth: o.auth,
        retries: 0,
      });
      try {
        const res = await client.batchSendSms({
          from: o.from as string,
          to: o.to as string,
          templateId: o.template as string,
          templateParas: params,
          statusCallback: o.callback as string | undefined,
          signature: o.signature as string | undefined,
          extend: o.extend as string | undefined,
        });
        emit(
          o.json,
          res,
          () =>
            `${res.code} ${res.description}\n${table((res.result ?? []) as never, ['smsMsgId', 'originTo', 'status', 'total', 'countryId'])}`,
        );
        if (res.code !== '000000') process.exitCode = 1;
      } catch (err) {
        const e = err as {
          code?: string;
          description?: string;
          suggestion?: string;
          body?: unknown;
          name?: string;
          message: string;
        };
        if (e.name === 'SmsApiError') {
          emit(
            o.json,
            e.body,
            () => `${e.code} ${e.description}${e.suggestion ? `\n  ${e.suggestion}` : ''}`,
          );
          process.exitCode = 1;
          return;
        }
        throw new CliApiError(e.message, 'SEND_FAILED', 0);
      } finally {
        client.close();
      }
    });

  program
    .command('codes')
    .description('look up an API result code or a status-report code with its suggestion')
    .argument('[code]')
    .option('--json', 'machine-readable output')
    .action((code: string | undefined, o: Opts) => {
      if (code === undefined) {
        const all = { api: Object.values(API_CODES), status: Object.values(STATUS_CODES) };
        emit(o.json, all, () =>
          [
            'API codes:',
            table(all.api as never, ['code', 'http', 'description']),
            '',
            'Status codes:',
            table(all.status as never, ['code', 'source', 'description']),
          ].join('\n'),
        );
        return;
      }
      const info = Object.hasOwn(API_CODES, code)
        ? { kind: 'api', ...API_CODES[code] }
        : Object.hasOwn(STATUS_CODES, code)
          ? { kind: 'status', ...STATUS_CODES[code] }
          : undefined;
      if (!info) {
        const guess = { kind: 'status', ...describeStatus(code), known: false };
        emit(
          o.json,
          guess,
          () => `${code}: not in Swiftlet's catalogues.\n${guess.description}\n${guess.suggestion}`,
        );
        process.exitCode = 1;
        return;
      }
      emit(o.json, info, () => record(info));
    });

  const sim = program.command('simulator').description('the SMSC simulator');
  sim
    .command('run', { isDefault: true })
    .description('run the standalone SMPP simulator')
    .option('--port <port>', 'SMPP port', '2775')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--receipt-delay <ms>', 'delay before a delivery receipt', '200')
    .option('--system-id <id>', 'accept binds only with this system_id (with --password)')
    .option('--password <password>', 'password for --system-id')
    .option(
      '--control-port <port>',
      'also serve POST /mo, GET /stats, GET /magic-numbers over HTTP on this port',
    )
    .action(async (o: Opts) => {
      let mod: typeof import('../simulator/cli.js');
      try {
        mod = await import('../simulator/cli.js');
      } catch (err) {
        throw new CliApiError(
          `the simulator is not available in this build: ${(err as Error).message}`,
          'UNAVAILABLE',
          0,
        );
      }
      await mod.runStandaloneSimulator({
        port: Number(o.port),
        host: o.host as string,
        receiptDelayMs: Number(o.receiptDelay),
        systemId: o.systemId as string | undefined,
        password: o.password as string | undefined,
        controlPort: o.controlPort === undefined ? undefined : Number(o.controlPort),
      });
    });
  conn(
    sim
      .command('mo')
      .description("inject an uplink (MO) message through the server's embedded simulator")
      .requiredOption('--from <number>', 'handset number')
      .requiredOption('--to <number>', 'channel number (+ extension)')
      .requiredOption('--text <text>'),
  ).action(async (o: Opts) => {
    const res = await new ManageClient(o as ConnOptions).request<Record<string, unknown>>(
      'POST',
      '/simulator/mo',
      { from: o.from, to: o.to, text: o.text },
    );
    emit(o.json, res, () => 'MO injected.');
  });

  registerManageCommands(program);
  return program;
}

/** Runs the CLI with `argv` (node-style: argv[0] node, argv[1] script). Resolves to the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const c of program.commands) {
    c.exitOverride();
    for (const s of c.commands) s.exitOverride();
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (err instanceof CliUsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CliApiError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    const e = err as Error & { code?: string };
    if (e.name === 'ConfigError') {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${e.stack ?? e.message}\n`);
    return 1;
  }
}

const isMain =
  process.argv[1] !== undefined && /swiftlet(\.mjs)?$|cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (isMain) {
  // Set the code and let the event loop drain (process.exit could cut piped stdout short);
  // `serve` and `simulator` stay alive through their servers.
  process.exitCode = await runCli(process.argv);
}
