/**
 * The one configuration of a Swiftlet process: defaults ← optional file (YAML or JSON) ← environment
 * (`SWIFTLET_*`) ← command-line flags. It is validated once against a TypeBox schema and frozen;
 * every other module receives the resulting {@link Config} and never reads `process.env` itself.
 *
 * Secrets that are not configured are generated on first start into the data directory:
 * `<dataDir>/admin-token` (management API bearer token) and `<dataDir>/secret.key` (the key that
 * encrypts app secrets at rest), both mode 0600. See docs/configuration.md for every key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_FREQUENCY_RULES } from './domain/frequency.js';
import { MESSAGE_ID_MODES } from './smpp/message-id.js';

const HOUR = 60 * 60 * 1000;

const FrequencyRuleSchema = Type.Object(
  {
    windowMs: Type.Integer({ minimum: 1 }),
    max: Type.Integer({ minimum: 0 }),
    sameContent: Type.Boolean(),
    code: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

const CarrierConnectorSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    systemId: Type.String(),
    password: Type.String(),
    systemType: Type.Optional(Type.String()),
    bindMode: Type.Optional(Type.Union([Type.Literal('transceiver'), Type.Literal('transmitter_receiver')])),
    binds: Type.Optional(Type.Integer({ minimum: 1 })),
    window: Type.Optional(Type.Integer({ minimum: 1 })),
    tps: Type.Optional(Type.Integer({ minimum: 0 })),
    concat: Type.Optional(
      Type.Union([Type.Literal('udh8'), Type.Literal('udh16'), Type.Literal('sar'), Type.Literal('payload')]),
    ),
    textMode: Type.Optional(
      Type.Union([Type.Literal('gsm7'), Type.Literal('gsm7-packed'), Type.Literal('latin1')]),
    ),
    msgIdType: Type.Optional(Type.Union(MESSAGE_ID_MODES.map((m) => Type.Literal(m)))),
    tls: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const CarrierRouteSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    priority: Type.Optional(Type.Integer()),
    match: Type.Optional(
      Type.Object({
        prefixes: Type.Optional(Type.Array(Type.String())),
        countries: Type.Optional(Type.Array(Type.String())),
        appIds: Type.Optional(Type.Array(Type.String())),
        templateTypes: Type.Optional(Type.Array(Type.String())),
      }),
    ),
    /** Connector names (as declared in `carriers.connectors`). */
    connectors: Type.Array(Type.String(), { minItems: 1 }),
    strategy: Type.Optional(Type.Union([Type.Literal('failover'), Type.Literal('roundrobin')])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The validated shape. Every field is documented in docs/configuration.md. */
export const ConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    dataDir: Type.String({ minLength: 1 }),
    databaseUrl: Type.String({ minLength: 1 }),
    demo: Type.Boolean(),
    adminToken: Type.String({ minLength: 16 }),
    secretKey: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }),
    bodyLimit: Type.Integer({ minimum: 1024 }),
    trustProxy: Type.Union([Type.Boolean(), Type.String()]),
    nodeId: Type.String({ minLength: 1 }),
    logLevel: Type.Union([
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ]),
    consoleDir: Type.String(),
    engine: Type.Object(
      {
        claimBatch: Type.Integer({ minimum: 1 }),
        leaseMs: Type.Integer({ minimum: 100 }),
        pollMs: Type.Integer({ minimum: 1 }),
        receiptWindowMs: Type.Integer({ minimum: 1000 }),
        retryBaseMs: Type.Integer({ minimum: 1 }),
        maxAttempts: Type.Integer({ minimum: 1 }),
        /** Connector refresh + node heartbeat interval (cluster). Default 1 000 ms (engine). */
        connectorRefreshMs: Type.Optional(Type.Integer({ minimum: 50 })),
        /** Node heartbeat and bind-slot lease TTL (cluster). Default 5 000 ms (engine). */
        bindLeaseMs: Type.Optional(Type.Integer({ minimum: 100 })),
        submitTimeoutMs: Type.Optional(Type.Integer({ minimum: 100 })),
        sweepIntervalMs: Type.Optional(Type.Integer({ minimum: 10 })),
      },
      { additionalProperties: false },
    ),
    webhooks: Type.Object(
      {
        timeoutMs: Type.Integer({ minimum: 1 }),
        maxAgeMs: Type.Integer({ minimum: 1 }),
        allowPrivate: Type.Boolean(),
        allowLoopback: Type.Boolean(),
        batchDelayMs: Type.Integer({ minimum: 0 }),
        pollMs: Type.Optional(Type.Integer({ minimum: 1 })),
        /** Outbox claim lease; a dead node's pushes are retried after it. Default 60 000 ms (worker). */
        leaseMs: Type.Optional(Type.Integer({ minimum: 100 })),
        /** Keep-alive sockets per receiver origin. Default 64 (worker). */
        connectionsPerOrigin: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
      },
      { additionalProperties: false },
    ),
    simulator: Type.Object(
      {
        enabled: Type.Union([Type.Literal('auto'), Type.Boolean()]),
        receiptDelayMs: Type.Integer({ minimum: 0 }),
        port: Type.Integer({ minimum: 0, maximum: 65535 }),
        /**
         * Run the embedded simulator in a worker thread (default true) so it does not share the
         * server's event loop; false runs it in-process (tests that need the instance).
         */
        thread: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    frequency: Type.Object(
      { enabled: Type.Boolean(), rules: Type.Array(FrequencyRuleSchema) },
      { additionalProperties: false },
    ),
    retention: Type.Object(
      {
        /** Days of history kept (final messages, finished pushes, MOs); 0 keeps everything. */
        days: Type.Integer({ minimum: 0, maximum: 36_500 }),
        /** How often old history is removed. Default 600 000 ms. */
        intervalMs: Type.Optional(Type.Integer({ minimum: 1000 })),
      },
      { additionalProperties: false },
    ),
    carriers: Type.Object(
      { connectors: Type.Array(CarrierConnectorSchema), routes: Type.Array(CarrierRouteSchema) },
      { additionalProperties: false },
    ),
    interception: Type.Object(
      {
        /** Content rules: a plain string matches case-insensitively; `{ regex, flags?, code? }` a pattern. */
        keywords: Type.Array(
          Type.Union([
            Type.String({ minLength: 1 }),
            Type.Object(
              {
                regex: Type.String({ minLength: 1 }),
                flags: Type.Optional(Type.String({ pattern: '^[dgimsuy]*$' })),
                code: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
              },
              { additionalProperties: false },
            ),
          ]),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Readonly<Static<typeof ConfigSchema>>;
export type CarrierConnectorConfig = Static<typeof CarrierConnectorSchema>;
export type CarrierRouteConfig = Static<typeof CarrierRouteSchema>;

/** Thrown for a configuration that does not validate; `details` lists every problem. */
export class ConfigError extends Error {
  readonly code = 'SWIFTLET_CONFIG_INVALID';
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(details.length > 0 ? `${message}:\n  ${details.join('\n  ')}` : message);
  }
}

/** Values given on the command line (or by tests); nested groups are merged key by key. */
export type ConfigOverrides = DeepPartial<Static<typeof ConfigSchema>> & {
  /** Path of a YAML/JSON config file; also `SWIFTLET_CONFIG`. */
  configFile?: string;
};
type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

/** What {@link loadConfig} generated on this start, so the caller can print it exactly once. */
export interface LoadedConfig {
  config: Config;
  /** True when `<dataDir>/admin-token` was created now (print the token once). */
  adminTokenGenerated: boolean;
  /** True when `<dataDir>/secret.key` was created now. */
  secretKeyGenerated: boolean;
}

function defaults(): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port: 8080,
    dataDir: './data',
    demo: false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    nodeId: `${hostname()}-${process.pid}`,
    logLevel: 'info',
    engine: {
      claimBatch: 200,
      leaseMs: 30_000,
      pollMs: 20,
      receiptWindowMs: 72 * HOUR,
      retryBaseMs: 1000,
      maxAttempts: 10,
    },
    webhooks: { timeoutMs: 5000, maxAgeMs: 72 * HOUR, allowPrivate: false, batchDelayMs: 1000 },
    simulator: { enabled: 'auto', receiptDelayMs: 200, port: 0, thread: true },
    frequency: { rules: DEFAULT_FREQUENCY_RULES.map((r) => ({ ...r })) },
    carriers: { connectors: [], routes: [] },
    retention: { days: 90 },
    interception: { keywords: [] },
  };
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

function readFileConfig(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  try {
    const parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    if (!isPlainObject(parsed)) throw new Error('top level must be a mapping');
    return parsed;
  } catch (err) {
    throw new ConfigError(`cannot parse config file ${path}: ${(err as Error).message}`);
  }
}

function envBool(v: string | undefined, name: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(v)}`);
}

function envInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^-?[0-9]+$/.test(v)) throw new ConfigError(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

function envStr(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** The `SWIFTLET_*` variables, as a partial config. Documented in docs/configuration.md. */
function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const simEnabled = envStr(env.SWIFTLET_SIMULATOR);
  const trust = envStr(env.SWIFTLET_TRUST_PROXY);
  return {
    host: envStr(env.SWIFTLET_HOST),
    port: envInt(env.SWIFTLET_PORT, 'SWIFTLET_PORT'),
    dataDir: envStr(env.SWIFTLET_DATA_DIR),
    databaseUrl: envStr(env.SWIFTLET_DATABASE_URL),
    demo: envBool(env.SWIFTLET_DEMO, 'SWIFTLET_DEMO'),
    adminToken: envStr(env.SWIFTLET_ADMIN_TOKEN),
    secretKey: envStr(env.SWIFTLET_SECRET_KEY),
    bodyLimit: envInt(env.SWIFTLET_BODY_LIMIT, 'SWIFTLET_BODY_LIMIT'),
    trustProxy:
      trust === undefined
        ? undefined
        : /^(true|false)$/i.test(trust)
          ? trust.toLowerCase() === 'true'
          : trust,
    nodeId: envStr(env.SWIFTLET_NODE_ID),
    logLevel: envStr(env.SWIFTLET_LOG_LEVEL),
    consoleDir: envStr(env.SWIFTLET_CONSOLE_DIR),
    webhooks: {
      allowPrivate: envBool(env.SWIFTLET_WEBHOOKS_ALLOW_PRIVATE, 'SWIFTLET_WEBHOOKS_ALLOW_PRIVATE'),
      allowLoopback: envBool(env.SWIFTLET_WEBHOOKS_ALLOW_LOOPBACK, 'SWIFTLET_WEBHOOKS_ALLOW_LOOPBACK'),
    },
    simulator: {
      enabled:
        simEnabled === undefined
          ? undefined
          : simEnabled === 'auto'
            ? 'auto'
            : envBool(simEnabled, 'SWIFTLET_SIMULATOR'),
    },
    frequency: { enabled: envBool(env.SWIFTLET_FREQUENCY, 'SWIFTLET_FREQUENCY') },
    retention: { days: envInt(env.SWIFTLET_RETENTION_DAYS, 'SWIFTLET_RETENTION_DAYS') },
  };
}

function readOrCreate(path: string, create: () => string): { value: string; created: boolean } {
  if (existsSync(path)) return { value: readFileSync(path, 'utf8').trim(), created: false };
  const value = create();
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { value, created: true };
}

/** Default console build directory: `<repo>/console/dist`, found from this file (src/ or dist/). */
function defaultConsoleDir(): string {
  return resolve(new URL('.', import.meta.url).pathname, '..', 'console', 'dist');
}

/** Keyword rules whose regular expression does not compile, as ConfigError details. */
function invalidKeywordPatterns(config: Config): string[] {
  const out: string[] = [];
  config.interception.keywords.forEach((rule, i) => {
    if (typeof rule === 'string') return;
    try {
      new RegExp(rule.regex, rule.flags ?? 'i');
    } catch (err) {
      out.push(`/interception/keywords/${i}/regex: ${(err as Error).message}`);
    }
  });
  return out;
}

/**
 * Build the configuration. Precedence: defaults ← file (`overrides.configFile` or
 * `SWIFTLET_CONFIG`) ← environment ← `overrides` (flags). Creates the data directory and, when
 * not configured, the admin token and secret key files in it.
 *
 * Derived defaults: `databaseUrl` = `sqlite:<dataDir>/swiftlet.db`; `webhooks.allowLoopback` and
 * `frequency.enabled` follow the demo profile (loopback pushes allowed and no frequency caps in
 * the demo, the reverse otherwise) unless set explicitly.
 *
 * @throws ConfigError listing every invalid key; fix the file/env/flag it names.
 */
export function loadConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig {
  const { configFile: flagFile, ...flags } = overrides;
  const file = flagFile ?? envStr(env.SWIFTLET_CONFIG);
  let raw = defaults();
  if (file) raw = merge(raw, readFileConfig(file));
  raw = merge(raw, fromEnv(env));
  raw = merge(raw, flags as Record<string, unknown>);

  const dataDir = resolve(String(raw.dataDir));
  raw.dataDir = dataDir;
  if (raw.databaseUrl === undefined) raw.databaseUrl = `sqlite:${join(dataDir, 'swiftlet.db')}`;
  if (raw.consoleDir === undefined) raw.consoleDir = defaultConsoleDir();
  const demo = raw.demo === true;
  const webhooks = raw.webhooks as Record<string, unknown>;
  if (webhooks.allowLoopback === undefined) webhooks.allowLoopback = demo;
  const frequency = raw.frequency as Record<string, unknown>;
  if (frequency.enabled === undefined) frequency.enabled = !demo;

  mkdirSync(dataDir, { recursive: true });
  let adminTokenGenerated = false;
  let secretKeyGenerated = false;
  if (raw.adminToken === undefined) {
    const r = readOrCreate(join(dataDir, 'admin-token'), () => randomBytes(24).toString('base64url'));
    raw.adminToken = r.value;
    adminTokenGenerated = r.created;
  }
  if (raw.secretKey === undefined) {
    const r = readOrCreate(join(dataDir, 'secret.key'), () => randomBytes(32).toString('hex'));
    raw.secretKey = r.value;
    secretKeyGenerated = r.created;
  }

  if (!Value.Check(ConfigSchema, raw)) {
    const details = [...Value.Errors(ConfigSchema, raw)].map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new ConfigError('invalid configuration', details);
  }
  const badPatterns = invalidKeywordPatterns(raw as unknown as Config);
  if (badPatterns.length > 0) throw new ConfigError('invalid configuration', badPatterns);
  return { config: deepFreeze(raw) as unknown as Config, adminTokenGenerated, secretKeyGenerated };
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}
