import path from 'node:path';
import { z } from 'zod';
import { sourceAllowlist } from './sources/safe-fetch';

const MiB = 1024 * 1024;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting the server reads, with its default and what it is for. The env is read only here. */
const schema = z.object({
  /** TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to bind; 0.0.0.0 so a container's port mapping reaches it. */
  HOST: z.string().default('0.0.0.0'),
  /** postgres://… of a PostgreSQL with PostGIS 3; unset means the embedded PGlite database. */
  DATABASE_URL: z.string().url().optional(),
  /** Where the embedded database keeps its files. */
  HAENAU_DATA_DIR: z.string().default('./data'),
  /** Operator token for /api/organisations; unset disables those routes over HTTP (use `npm run admin`). */
  HAENAU_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Load the sample layers when the database has no layers yet. */
  HAENAU_SEED: bool.default(true),
  /** Largest upload body accepted, in bytes. */
  HAENAU_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(1024 * MiB),
  /** Largest single feature in an upload, in bytes of JSON. */
  HAENAU_MAX_FEATURE_BYTES: z.coerce.number().int().positive().default(64 * MiB),
  /** Most features one upload may hold. */
  HAENAU_MAX_FEATURES: z.coerce.number().int().positive().default(5_000_000),
  /** Most vertices one feature's geometry may hold. */
  HAENAU_MAX_VERTICES: z.coerce.number().int().positive().default(1_000_000),
  /** Features per page when a reader gives no limit (OGC API Features default 10). */
  HAENAU_ITEMS_DEFAULT_LIMIT: z.coerce.number().int().positive().default(10),
  /** Most features one page may return; larger limits are reduced to this. */
  HAENAU_ITEMS_MAX_LIMIT: z.coerce.number().int().positive().default(10_000),
  /** Largest JSON body for metadata routes. */
  HAENAU_MAX_JSON_BYTES: z.coerce.number().int().positive().default(MiB),
  /** Statement timeout for request queries on a server database, in ms. */
  HAENAU_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Memory for rendered vector tiles kept in this process, in MiB; 0 turns the cache off. */
  HAENAU_TILE_CACHE_MB: z.coerce.number().min(0).default(64),
  /** Connections in the pool to a server database. */
  HAENAU_PG_POOL_MAX: z.coerce.number().int().positive().default(10),
  /** A MapLibre style URL to draw under the layers instead of the offline basemap the project ships. */
  BASEMAP_STYLE_URL: z.string().url().optional(),
  /** Hosts harvests may fetch from although they resolve to loopback or private addresses, e.g. "127.0.0.1,localhost". */
  HAENAU_SOURCE_ALLOWLIST: z.string().optional(),
  /** Time limit for one request to a remote source, in ms. */
  HAENAU_HARVEST_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** Most bytes one response from a remote source may have. */
  HAENAU_HARVEST_MAX_RESPONSE_BYTES: z.coerce.number().int().positive().default(256 * MiB),
  /** Most bytes one harvest may read over all its pages. */
  HAENAU_HARVEST_MAX_BYTES: z.coerce.number().int().positive().default(2048 * MiB),
  /** Features asked for per page of a remote source. */
  HAENAU_HARVEST_PAGE_SIZE: z.coerce.number().int().positive().default(5_000),
  /** Further tries of a request that failed in a way that may pass (network, timeout, 429, 5xx). */
  HAENAU_HARVEST_RETRIES: z.coerce.number().int().min(0).default(3),
  /** Wait before the first retry, in ms; doubled for each further one. */
  HAENAU_HARVEST_BACKOFF_MS: z.coerce.number().int().min(0).default(2_000),
  /** How often each process looks for sources due a scheduled harvest, in seconds; 0 turns the scheduler off. */
  HAENAU_SCHEDULER_INTERVAL_S: z.coerce.number().min(0).default(30),
  /** Minutes a signed-in session may sit unused before it ends (sliding). */
  HAENAU_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(120),
  /** Hours a session lasts at most after sign-in, however busy. */
  HAENAU_SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  /** Failed sign-ins one client address may make in 10 minutes; the next gets 429 with Retry-After. */
  HAENAU_SIGN_IN_ATTEMPTS_PER_IP: z.coerce.number().int().positive().default(20),
  /** Responses one client address may leave on one consultation in an hour; the next gets 429. */
  HAENAU_RESPONSES_PER_HOUR: z.coerce.number().int().positive().default(10),
  /** pino log level: fatal, error, warn, info, debug, trace or silent. */
  HAENAU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  adminToken?: string;
  seed: boolean;
  limits: {
    uploadBytes: number;
    featureBytes: number;
    features: number;
    verticesPerFeature: number;
    jsonBytes: number;
  };
  items: { defaultLimit: number; maxLimit: number };
  statementTimeoutMs: number;
  tileCacheBytes: number;
  poolMax: number;
  basemapStyleUrl?: string;
  harvest: {
    allowlist: string[];
    timeoutMs: number;
    maxResponseBytes: number;
    maxBytes: number;
    pageSize: number;
    retries: number;
    backoffMs: number;
    schedulerIntervalMs: number;
  };
  accounts: {
    session: { idleMs: number; maxMs: number };
    signInPerIp: { attempts: number; windowMs: number };
  };
  consultations: {
    responsesPerClient: { responses: number; windowMs: number };
  };
  logLevel: z.infer<typeof schema>['HAENAU_LOG_LEVEL'];
}

export class ConfigError extends Error {}

/** Turns the environment into a typed Config, listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined>, warn: (msg: string) => void = () => {}): Config {
  const known = new Set(Object.keys(schema.shape));
  for (const key of Object.keys(env)) {
    if (key.startsWith('HAENAU_') && !known.has(key)) warn(`unknown setting ${key} is ignored`);
  }
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    database: c.DATABASE_URL
      ? { kind: 'postgres', url: c.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.resolve(c.HAENAU_DATA_DIR) },
    adminToken: c.HAENAU_ADMIN_TOKEN,
    seed: c.HAENAU_SEED,
    limits: {
      uploadBytes: c.HAENAU_MAX_UPLOAD_BYTES,
      featureBytes: c.HAENAU_MAX_FEATURE_BYTES,
      features: c.HAENAU_MAX_FEATURES,
      verticesPerFeature: c.HAENAU_MAX_VERTICES,
      jsonBytes: c.HAENAU_MAX_JSON_BYTES,
    },
    items: { defaultLimit: c.HAENAU_ITEMS_DEFAULT_LIMIT, maxLimit: c.HAENAU_ITEMS_MAX_LIMIT },
    statementTimeoutMs: c.HAENAU_STATEMENT_TIMEOUT_MS,
    tileCacheBytes: Math.round(c.HAENAU_TILE_CACHE_MB * MiB),
    poolMax: c.HAENAU_PG_POOL_MAX,
    basemapStyleUrl: c.BASEMAP_STYLE_URL,
    harvest: {
      allowlist: sourceAllowlist(c.HAENAU_SOURCE_ALLOWLIST),
      timeoutMs: c.HAENAU_HARVEST_TIMEOUT_MS,
      maxResponseBytes: c.HAENAU_HARVEST_MAX_RESPONSE_BYTES,
      maxBytes: c.HAENAU_HARVEST_MAX_BYTES,
      pageSize: c.HAENAU_HARVEST_PAGE_SIZE,
      retries: c.HAENAU_HARVEST_RETRIES,
      backoffMs: c.HAENAU_HARVEST_BACKOFF_MS,
      schedulerIntervalMs: c.HAENAU_SCHEDULER_INTERVAL_S * 1000,
    },
    accounts: {
      session: { idleMs: c.HAENAU_SESSION_IDLE_MINUTES * 60_000, maxMs: c.HAENAU_SESSION_MAX_HOURS * 3_600_000 },
      signInPerIp: { attempts: c.HAENAU_SIGN_IN_ATTEMPTS_PER_IP, windowMs: 10 * 60_000 },
    },
    consultations: { responsesPerClient: { responses: c.HAENAU_RESPONSES_PER_HOUR, windowMs: 3_600_000 } },
    logLevel: c.HAENAU_LOG_LEVEL,
  };
}
