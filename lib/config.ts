import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import { SANDBOX_CREDENTIALS } from './integrations/sandbox-credentials';
import { allowEntryProblem, splitAllowList } from './automations/http/address-policy';
import type { HttpRequestLimits } from './automations/http/request';

/**
 * The one configuration module. Every process (api, worker, launcher, tests) reads its settings here;
 * a missing or bad value stops the process with a message naming the variable and what it expects.
 */

export const repoRoot = path.resolve(__dirname, '..');

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port number from 1 to 65535')
    .max(65535, 'expected a port number from 1 to 65535')
    .default(fallback);

const positiveInt = (fallback: number) =>
  z.coerce.number({ error: 'expected a number' }).int('expected a whole number').positive().default(fallback);

const optionalUrl = (protocols: string[], what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine(
      (v) => {
        if (v === undefined) return true;
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `expected ${what}` },
    );

const mode = z.enum(['sandbox', 'live'], { error: 'expected sandbox or live' }).optional();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // auto: readable lines on a terminal, JSON otherwise (files, containers, log shippers).
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  HOPFLOW_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.data')),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'a postgres:// connection URL'),
  DATABASE_POOL_MAX: positiveInt(10),
  // The API's statements only (not the worker's, not migrations); 0 turns it off. PostgreSQL only: PGlite ignores it.
  DB_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(0, 'expected 0 (off) or more milliseconds')
    .default(5000),
  // Heavy requests (contact searches, imports) a team may have in flight at once, across all API processes.
  HEAVY_REQUESTS_PER_TEAM: positiveInt(1),
  REDIS_URL: optionalUrl(['redis:', 'rediss:'], 'a redis:// URL'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port(4000),
  UI_PORT: port(3000),
  PUBLIC_API_URL: optionalUrl(['http:', 'https:'], 'an http(s) URL'),
  PUBLIC_UI_URL: optionalUrl(['http:', 'https:'], 'an http(s) URL'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'expected host:port, for example 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_UI_URL: optionalUrl(['http:', 'https:'], 'an http(s) URL'),
  // auto: the launcher starts a local dev server when TEMPORAL_ADDRESS is local and nothing answers there.
  TEMPORAL_DEV_SERVER: z.enum(['auto', 'always', 'never']).default('auto'),
  JWT_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: positiveInt(7),
  LOGIN_MAX_FAILS_PER_ACCOUNT: positiveInt(5),
  LOGIN_MAX_FAILS_PER_IP: positiveInt(50),
  LOGIN_FAIL_WINDOW_SECONDS: positiveInt(15 * 60),
  // Per-client-address request limits on the doors that need no login (see docs/api.md, Limits).
  REGISTER_LIMIT_PER_IP: positiveInt(10),
  REGISTER_LIMIT_WINDOW_SECONDS: positiveInt(60 * 60),
  REGISTER_CONFIRM_LIMIT_PER_IP: positiveInt(30),
  REGISTER_CONFIRM_LIMIT_WINDOW_SECONDS: positiveInt(60 * 60),
  REFRESH_LIMIT_PER_IP: positiveInt(300),
  REFRESH_LIMIT_WINDOW_SECONDS: positiveInt(15 * 60),
  PUBLIC_LINK_LIMIT_PER_IP: positiveInt(120),
  PUBLIC_LINK_LIMIT_WINDOW_SECONDS: positiveInt(60),
  WEBHOOK_LIMIT_PER_IP: positiveInt(600),
  WEBHOOK_LIMIT_WINDOW_SECONDS: positiveInt(60),
  // Shared by the UI server and the API: with it, the UI passes the browser's address, which the API's limits use.
  UI_API_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  // Data rows one synchronous import request may carry; bigger files go to the import job (POST .../contacts/imports).
  CONTACT_IMPORT_MAX_ROWS: positiveInt(10_000),
  // The largest file the import job accepts.
  CONTACT_IMPORT_JOB_MAX_MB: positiveInt(50),
  // Automations' http_request steps (docs/automations-http.md): only public addresses, unless allowed here.
  AUTOMATION_HTTP_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform(splitAllowList)
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        const problem = allowEntryProblem(entry);
        if (problem)
          ctx.addIssue({
            code: 'custom',
            message: `${problem}: expected host names, addresses or CIDR ranges`,
          });
      }
    }),
  AUTOMATION_HTTP_TIMEOUT_MS: positiveInt(10_000),
  AUTOMATION_HTTP_MAX_RESPONSE_BYTES: positiveInt(1024 * 1024),
  AUTOMATION_HTTP_MAX_REQUEST_BYTES: positiveInt(1024 * 1024),
  // Automation runs of one team holding a slot at once (running or waiting); more wait in a queue.
  AUTOMATION_RUNS_PER_TEAM: positiveInt(200),
  AUTOMATION_HTTP_MAX_REDIRECTS: z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(0, 'expected 0 (do not follow) to 20')
    .max(20, 'expected 0 (do not follow) to 20')
    .default(5),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 1mb or 512kb')
    .default('1mb'),
  // Outside services. sandbox: the local protocol servers of sandbox/ (started by the launcher); live: the real
  // providers, where each team connects its own account. Default: sandbox, except in production.
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  ANTHROPIC_MODE: mode,
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-6'),
  ANTHROPIC_SANDBOX_PORT: port(4701),
  CLICKBANK_MODE: mode,
  CLICKBANK_SANDBOX_PORT: port(4702),
  POSTMARK_MODE: mode,
  POSTMARK_SANDBOX_PORT: port(4703),
  WORDPRESS_MODE: mode,
  WORDPRESS_SANDBOX_PORT: port(4704),
  STRIPE_MODE: mode,
  STRIPE_SANDBOX_PORT: port(12111),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_\w+$/, 'expected a Stripe secret key (sk_test_... or sk_live_...)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, 'expected a Stripe webhook secret (whsec_...)')
    .optional(),
  // The platform's own account emails (registration confirmation, "someone tried to register"): a Postmark server
  // of the platform, not of a team. Sent where POSTMARK_MODE points (the sandbox outside production).
  PLATFORM_POSTMARK_TOKEN: z.string().trim().min(1).optional(),
  PLATFORM_MAIL_FROM: z
    .string()
    .trim()
    .regex(
      /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/,
      'expected a sender address such as accounts@example.com or "Hopflow <accounts@example.com>"',
    )
    .optional(),
  INTEGRATIONS_ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'expected 32 bytes, base64 encoded (openssl rand -base64 32)',
    )
    .optional(),
  // Uploaded bonus files (default: <data dir>/bonus-files) and how long a bonus download link stays valid.
  BONUS_FILES_DIR: z.string().min(1).optional(),
  BONUS_LINK_TTL_DAYS: positiveInt(30),
  BONUS_MAX_UPLOAD_MB: positiveInt(100),
  // Nightly backups (default folder: <data dir>/backups) and how many days of them are kept.
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_RETENTION_DAYS: positiveInt(30),
  // Months of raw analytics events kept (older monthly partitions are dropped; daily rollups stay). At least 3:
  // a sale can come 60 days after its click and must still find it.
  ANALYTICS_RETENTION_MONTHS: z.coerce
    .number({ error: 'expected a number of months' })
    .int('expected a whole number of months')
    .min(3, 'expected at least 3 months (a sale can come 60 days after its click)')
    .default(25),
  PG_DUMP_PATH: z.string().min(1).default('pg_dump'),
  PG_RESTORE_PATH: z.string().min(1).default('pg_restore'),
  TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  // Tracking links (/r/{slug}, docs/analytics.md): a header a trusted proxy sets to the visitor's country
  // (e.g. CF-IPCountry); unset, no country is recorded.
  CLICK_COUNTRY_HEADER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]*$/, 'expected an HTTP header name such as CF-IPCountry')
    .optional(),
  CLICK_FLUSH_INTERVAL_MS: positiveInt(1000),
  CLICK_BATCH_SIZE: positiveInt(1000),
  // Clicks held in memory while the database cannot take them; beyond it new clicks are counted and dropped.
  CLICK_BUFFER_MAX: positiveInt(200_000),
  // How long a tracking link is served from memory before it is read again (the old answer serves meanwhile).
  CLICK_LINK_CACHE_SECONDS: positiveInt(60),
});

type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  logFormat: Env['LOG_FORMAT'];
  dataDir: string;
  /** true when no DATABASE_URL is set: PGlite in the data folder, in-process cache and rate limits. */
  embedded: boolean;
  /**
   * statementTimeoutMs: PostgreSQL cancels an API statement running longer (the API answers 503); 0 = no limit.
   * Applied by api/server.ts to the API's own pool only.
   */
  database: { url?: string; poolMax: number; pgliteDir: string; statementTimeoutMs: number };
  redis: { url?: string };
  api: {
    host: string;
    port: number;
    publicUrl: string;
    bodyLimit: string;
    trustProxy: boolean;
    /**
     * Proves a request comes from the UI server, which then names the browser's address (null: not trusted,
     * every request's address is its own). Generated into the data folder outside production.
     */
    uiSecret: string | null;
  };
  /** Requests per client address per window on the doors without a login; over it: 429 with Retry-After. */
  limits: {
    register: RateLimit;
    registerConfirm: RateLimit;
    refresh: RateLimit;
    publicLinks: RateLimit;
    webhooks: RateLimit;
    /** Heavy requests (contact searches, imports) one team may have in flight at once; over it: 429. */
    heavyRequestsPerTeam: number;
  };
  /** originPinned: PUBLIC_UI_URL was set, so the UI's CSRF origin is fixed to it. */
  ui: { port: number; publicUrl: string; originPinned: boolean };
  temporal: {
    address: string;
    namespace: string;
    uiUrl: string;
    uiPort: number;
    devServer: 'auto' | 'always' | 'never';
  };
  integrations: IntegrationsConfig;
  platformMail: PlatformMailConfig;
  /**
   * Links in emails that work without a login (unsubscribe, bonus download): signed with `secret` (derived
   * from JWT_SECRET) and served by the API at `publicUrl`.
   */
  links: { secret: Buffer; publicUrl: string };
  bonuses: { filesDir: string; linkTtlDays: number; maxUploadBytes: number };
  /**
   * Tracking-link redirects: countryHeader (lower-case; null = off) names the trusted proxy's country header;
   * clicks are written every flushIntervalMs or batchSize clicks; at most bufferMax wait in memory.
   */
  clicks: {
    countryHeader: string | null;
    flushIntervalMs: number;
    batchSize: number;
    bufferMax: number;
    linkCacheMs: number;
  };
  /** CSV imports: rows per synchronous request (more answers 413), bytes per import job file. */
  contacts: { importMaxRows: number; importJobMaxBytes: number };
  backup: { dir: string; retentionDays: number; pgDumpPath: string; pgRestorePath: string };
  /** Months of raw analytics events kept by the daily analytics maintenance (rollups are kept). */
  analyticsRetention: { months: number };
  /** http: the limits of the automations' http_request steps (allowed internal destinations, deadline, caps). */
  automations: { http: HttpRequestLimits; runsPerTeam: number };
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    loginMaxFailsPerAccount: number;
    loginMaxFailsPerIp: number;
    loginFailWindowSeconds: number;
  };
}

export interface RateLimit {
  points: number;
  windowSeconds: number;
}

type IntegrationMode = 'sandbox' | 'live';

/** The platform's own sender for account emails, through the Postmark adapter (same host settings as teams). */
interface PlatformMailConfig {
  serverToken: string;
  fromEmail: string;
  /** host[:port] and protocol, as the postmark ServerClient takes them. */
  requestHost: string;
  useHttps: boolean;
  /**
   * The Postmark sandbox's mailbox page when platform mail goes to the sandbox outside production (so a newcomer
   * can read the confirmation email); null otherwise.
   */
  sandboxMailboxUrl: string | null;
}

interface IntegrationsConfig {
  /** AES-256-GCM key for team credentials at rest. */
  encryptionKey: Buffer;
  sandboxHost: string;
  anthropic: { mode: IntegrationMode; baseUrl: string; model: string; sandboxPort: number };
  clickbank: { mode: IntegrationMode; apiBaseUrl: string; feedUrl: string; sandboxPort: number };
  /** postmark's ServerClient takes a host[:port] and a protocol flag rather than a URL. */
  postmark: { mode: IntegrationMode; requestHost: string; useHttps: boolean; sandboxPort: number };
  wordpress: { mode: IntegrationMode; sandboxUrl: string; sandboxPort: number };
  stripe: {
    mode: IntegrationMode;
    secretKey: string;
    webhookSecret?: string;
    host?: string;
    port?: number;
    protocol: 'http' | 'https';
    sandboxPort: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Outside production a missing secret is generated once and kept in the data folder, so sessions and
 * encrypted credentials survive a restart. The file name keeps the historical `jwt-secret` for JWT_SECRET.
 */
function resolveSecret(
  env: Env,
  dataDir: string,
  variable: 'JWT_SECRET' | 'INTEGRATIONS_ENCRYPTION_KEY' | 'UI_API_SECRET',
  requirement: string,
  generate: () => string,
): string {
  const given = env[variable];
  if (given) return given;
  if (env.NODE_ENV === 'production') {
    throw new ConfigError([{ variable, message: `required in production (${requirement})` }]);
  }
  const files = {
    JWT_SECRET: 'jwt-secret',
    INTEGRATIONS_ENCRYPTION_KEY: 'integrations-encryption-key',
    UI_API_SECRET: 'ui-api-secret',
  };
  const file = path.join(dataDir, files[variable]);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length > 0) return existing;
  } catch {
    // not created yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = generate();
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Everything production must be given (outside production secrets are generated), reported together. */
function requiredSecrets(env: Env): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET)
      problems.push({ variable: 'JWT_SECRET', message: 'required in production (at least 32 characters)' });
    if (!env.INTEGRATIONS_ENCRYPTION_KEY) {
      problems.push({
        variable: 'INTEGRATIONS_ENCRYPTION_KEY',
        message: 'required in production (32 bytes, base64 encoded)',
      });
    }
  }
  const postmarkLive = (env.POSTMARK_MODE ?? (env.NODE_ENV === 'production' ? 'live' : 'sandbox')) === 'live';
  if (env.NODE_ENV === 'production' || postmarkLive) {
    const when = 'required in production and when POSTMARK_MODE is live: the platform sends account emails';
    if (!env.PLATFORM_POSTMARK_TOKEN) {
      problems.push({
        variable: 'PLATFORM_POSTMARK_TOKEN',
        message: `${when} (the server token of the platform's own Postmark server)`,
      });
    }
    if (!env.PLATFORM_MAIL_FROM) {
      problems.push({
        variable: 'PLATFORM_MAIL_FROM',
        message: `${when} (a sender signature of that server, e.g. "Hopflow <accounts@example.com>")`,
      });
    }
  }
  const stripeLive = (env.STRIPE_MODE ?? (env.NODE_ENV === 'production' ? 'live' : 'sandbox')) === 'live';
  if (stripeLive && !env.STRIPE_SECRET_KEY) {
    problems.push({
      variable: 'STRIPE_SECRET_KEY',
      message: 'required when STRIPE_MODE is live (the default in production)',
    });
  }
  return problems;
}

function integrationsConfig(env: Env, dataDir: string): IntegrationsConfig {
  const fallback: IntegrationMode = env.NODE_ENV === 'production' ? 'live' : 'sandbox';
  const host = env.SANDBOX_HOST;
  const sandbox = (p: number) => `http://${host}:${p}`;
  const key = resolveSecret(env, dataDir, 'INTEGRATIONS_ENCRYPTION_KEY', '32 bytes, base64 encoded', () =>
    crypto.randomBytes(32).toString('base64'),
  );
  const anthropicMode = env.ANTHROPIC_MODE ?? fallback;
  const clickbankMode = env.CLICKBANK_MODE ?? fallback;
  const postmarkMode = env.POSTMARK_MODE ?? fallback;
  const stripeMode = env.STRIPE_MODE ?? fallback;
  const clickbankSandbox = sandbox(env.CLICKBANK_SANDBOX_PORT);
  return {
    encryptionKey: Buffer.from(key, 'base64'),
    sandboxHost: host,
    anthropic: {
      mode: anthropicMode,
      baseUrl: anthropicMode === 'live' ? 'https://api.anthropic.com' : sandbox(env.ANTHROPIC_SANDBOX_PORT),
      model: env.ANTHROPIC_MODEL,
      sandboxPort: env.ANTHROPIC_SANDBOX_PORT,
    },
    clickbank: {
      mode: clickbankMode,
      apiBaseUrl:
        clickbankMode === 'live' ? 'https://api.clickbank.com/rest/1.3' : `${clickbankSandbox}/rest/1.3`,
      feedUrl:
        clickbankMode === 'live'
          ? 'https://accounts.clickbank.com/feeds/marketplace_feed_v2.xml.zip'
          : `${clickbankSandbox}/feeds/marketplace_feed_v2.xml.zip`,
      sandboxPort: env.CLICKBANK_SANDBOX_PORT,
    },
    postmark: {
      mode: postmarkMode,
      requestHost: postmarkMode === 'live' ? 'api.postmarkapp.com' : `${host}:${env.POSTMARK_SANDBOX_PORT}`,
      useHttps: postmarkMode === 'live',
      sandboxPort: env.POSTMARK_SANDBOX_PORT,
    },
    wordpress: {
      mode: env.WORDPRESS_MODE ?? fallback,
      sandboxUrl: sandbox(env.WORDPRESS_SANDBOX_PORT),
      sandboxPort: env.WORDPRESS_SANDBOX_PORT,
    },
    stripe:
      stripeMode === 'live'
        ? {
            mode: 'live',
            secretKey: env.STRIPE_SECRET_KEY ?? '',
            webhookSecret: env.STRIPE_WEBHOOK_SECRET,
            protocol: 'https',
            sandboxPort: env.STRIPE_SANDBOX_PORT,
          }
        : {
            mode: 'sandbox',
            // stripe-mock accepts any key of exactly three underscore-separated parts.
            secretKey: 'sk_test_123',
            webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? 'whsec_hopflowsandbox',
            host,
            port: env.STRIPE_SANDBOX_PORT,
            protocol: 'http',
            sandboxPort: env.STRIPE_SANDBOX_PORT,
          },
  };
}

function platformMailConfig(env: Env, postmark: IntegrationsConfig['postmark']): PlatformMailConfig {
  // Outside production and live mode, requiredSecrets() lets these default to the sandbox's own.
  return {
    serverToken: env.PLATFORM_POSTMARK_TOKEN ?? SANDBOX_CREDENTIALS.postmark.serverToken,
    fromEmail: env.PLATFORM_MAIL_FROM ?? 'Hopflow <accounts@hopflow.test>',
    requestHost: postmark.requestHost,
    useHttps: postmark.useHttps,
    sandboxMailboxUrl:
      env.NODE_ENV !== 'production' && postmark.mode === 'sandbox' ? `http://${postmark.requestHost}/` : null,
  };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset so `FOO=` in a .env file falls back to the default.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message:
          issue.message +
          (issue.path[0] !== undefined ? `, got ${JSON.stringify(raw[String(issue.path[0])])}` : ''),
      })),
    );
  }
  const env = parsed.data;
  const missing = requiredSecrets(env);
  if (missing.length > 0) throw new ConfigError(missing);
  const dataDir = path.resolve(env.HOPFLOW_DATA_DIR);
  const apiPublic = env.PUBLIC_API_URL ?? `http://localhost:${env.API_PORT}`;
  const temporalHost = env.TEMPORAL_ADDRESS.split(':')[0] ?? '127.0.0.1';
  const jwtSecret = resolveSecret(env, dataDir, 'JWT_SECRET', 'at least 32 characters', () =>
    crypto.randomBytes(48).toString('base64url'),
  );
  const integrations = integrationsConfig(env, dataDir);
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    dataDir,
    embedded: env.DATABASE_URL === undefined,
    database: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      pgliteDir: path.join(dataDir, 'pglite'),
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    },
    redis: { url: env.REDIS_URL },
    api: {
      host: env.API_HOST,
      port: env.API_PORT,
      publicUrl: apiPublic.replace(/\/$/, ''),
      bodyLimit: env.BODY_LIMIT,
      trustProxy: env.TRUST_PROXY,
      // In production only when given (the UI may run elsewhere; set the same value on both).
      uiSecret:
        env.NODE_ENV === 'production' && !env.UI_API_SECRET
          ? null
          : resolveSecret(env, dataDir, 'UI_API_SECRET', 'at least 32 characters', () =>
              crypto.randomBytes(32).toString('base64url'),
            ),
    },
    limits: {
      register: { points: env.REGISTER_LIMIT_PER_IP, windowSeconds: env.REGISTER_LIMIT_WINDOW_SECONDS },
      registerConfirm: {
        points: env.REGISTER_CONFIRM_LIMIT_PER_IP,
        windowSeconds: env.REGISTER_CONFIRM_LIMIT_WINDOW_SECONDS,
      },
      refresh: { points: env.REFRESH_LIMIT_PER_IP, windowSeconds: env.REFRESH_LIMIT_WINDOW_SECONDS },
      publicLinks: {
        points: env.PUBLIC_LINK_LIMIT_PER_IP,
        windowSeconds: env.PUBLIC_LINK_LIMIT_WINDOW_SECONDS,
      },
      webhooks: { points: env.WEBHOOK_LIMIT_PER_IP, windowSeconds: env.WEBHOOK_LIMIT_WINDOW_SECONDS },
      heavyRequestsPerTeam: env.HEAVY_REQUESTS_PER_TEAM,
    },
    ui: {
      port: env.UI_PORT,
      originPinned: env.PUBLIC_UI_URL !== undefined,
      publicUrl: (env.PUBLIC_UI_URL ?? `http://localhost:${env.UI_PORT}`).replace(/\/$/, ''),
    },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      uiPort: env.TEMPORAL_UI_PORT,
      devServer: env.TEMPORAL_DEV_SERVER,
      uiUrl: (
        env.TEMPORAL_UI_URL ??
        `http://${temporalHost === '127.0.0.1' ? 'localhost' : temporalHost}:${env.TEMPORAL_UI_PORT}`
      ).replace(/\/$/, ''),
    },
    integrations,
    platformMail: platformMailConfig(env, integrations.postmark),
    links: {
      // A separate key per purpose: a leaked link signature says nothing about session tokens.
      secret: Buffer.from(crypto.hkdfSync('sha256', jwtSecret, 'hopflow', 'email-links', 32)),
      publicUrl: apiPublic.replace(/\/$/, ''),
    },
    bonuses: {
      filesDir: path.resolve(env.BONUS_FILES_DIR ?? path.join(dataDir, 'bonus-files')),
      linkTtlDays: env.BONUS_LINK_TTL_DAYS,
      maxUploadBytes: env.BONUS_MAX_UPLOAD_MB * 1024 * 1024,
    },
    clicks: {
      countryHeader: env.CLICK_COUNTRY_HEADER ? env.CLICK_COUNTRY_HEADER.toLowerCase() : null,
      flushIntervalMs: env.CLICK_FLUSH_INTERVAL_MS,
      batchSize: env.CLICK_BATCH_SIZE,
      bufferMax: env.CLICK_BUFFER_MAX,
      linkCacheMs: env.CLICK_LINK_CACHE_SECONDS * 1000,
    },
    contacts: {
      importMaxRows: env.CONTACT_IMPORT_MAX_ROWS,
      importJobMaxBytes: env.CONTACT_IMPORT_JOB_MAX_MB * 1024 * 1024,
    },
    backup: {
      dir: path.resolve(env.BACKUP_DIR ?? path.join(dataDir, 'backups')),
      retentionDays: env.BACKUP_RETENTION_DAYS,
      pgDumpPath: env.PG_DUMP_PATH,
      pgRestorePath: env.PG_RESTORE_PATH,
    },
    analyticsRetention: { months: env.ANALYTICS_RETENTION_MONTHS },
    automations: {
      http: {
        allowedHosts: env.AUTOMATION_HTTP_ALLOWED_HOSTS,
        timeoutMs: env.AUTOMATION_HTTP_TIMEOUT_MS,
        maxResponseBytes: env.AUTOMATION_HTTP_MAX_RESPONSE_BYTES,
        maxRequestBytes: env.AUTOMATION_HTTP_MAX_REQUEST_BYTES,
        maxRedirects: env.AUTOMATION_HTTP_MAX_REDIRECTS,
      },
      runsPerTeam: env.AUTOMATION_RUNS_PER_TEAM,
    },
    auth: {
      jwtSecret,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      loginMaxFailsPerAccount: env.LOGIN_MAX_FAILS_PER_ACCOUNT,
      loginMaxFailsPerIp: env.LOGIN_MAX_FAILS_PER_IP,
      loginFailWindowSeconds: env.LOGIN_FAIL_WINDOW_SECONDS,
    },
  };
}

/** For process entry points: print the problem and exit instead of a stack trace. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
