import { z } from 'zod';

/**
 * Every environment variable Recado reads. Each entry is described: the description is
 * what `.env.example` and `docs/configuration.md` are generated from. Defaults are safe for
 * embedded mode (a laptop, no services).
 */

const booleanFromEnv = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalUrl = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    )
    .optional();

export const configSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'])
      .default('production')
      .describe(
        'Runtime environment, passed to libraries that read it. Logs are JSON in every environment.',
      ),
    RECADO_ROLE: z
      .enum(['all', 'api', 'worker'])
      .default('all')
      .describe(
        'Which parts this process runs: `all` (API, workers and web UI), `api` (HTTP only) or `worker` (jobs only).',
      ),
    HOST: z
      .string()
      .trim()
      .min(1)
      .default('127.0.0.1')
      .describe('Interface the HTTP server binds to. Use `0.0.0.0` in containers.'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port.'),
    PUBLIC_URL: optionalUrl(['http:', 'https:']).describe(
      'Public base URL of this server as providers and browsers see it (used to build webhook URLs and verify signatures). Defaults to http://HOST:PORT.',
    ),
    DATA_DIR: z
      .string()
      .trim()
      .min(1)
      .default('./data')
      .describe(
        'Directory for embedded data: the PGlite database, media files and generated keys.',
      ),
    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']).describe(
      'PostgreSQL connection string (scaled mode). When unset, an embedded PGlite database is kept in DATA_DIR.',
    ),
    DATABASE_POOL_MAX: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(10)
      .describe('Maximum connections in the PostgreSQL pool.'),
    DATABASE_MIGRATE_ON_START: booleanFromEnv(true).describe(
      'Apply pending migrations at start. Turn off when migrations run as a separate release step (`recado migrate`).',
    ),
    REDIS_URL: optionalUrl(['redis:', 'rediss:']).describe(
      'Redis connection string (scaled mode): jobs run on BullMQ, events fan out over pub/sub and rate limits are shared. When unset, all of this stays in-process.',
    ),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/, 'must be letters, digits, "_" or "-"')
      .default('recado')
      .describe(
        'Prefix of every Redis key and channel Recado uses, so several deployments can share one Redis.',
      ),
    JWT_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .optional()
      .describe(
        'Secret that signs access tokens. When unset, one is generated into DATA_DIR on first boot (embedded mode only; set it when running several API processes).',
      ),
    ENCRYPTION_KEY: z
      .string()
      .trim()
      .refine((value) => {
        const bytes = /^[0-9a-f]{64}$/i.test(value)
          ? Buffer.from(value, 'hex')
          : Buffer.from(value, 'base64');
        return bytes.length === 32;
      }, 'must be 32 bytes: 64 hex characters or 44 base64 characters (openssl rand -base64 32)')
      .optional()
      .describe(
        'Key that encrypts channel secrets at rest (AES-256-GCM). Embedded mode generates one into DATA_DIR/encryption.key on first boot; required when DATABASE_URL is set. Back it up: without it stored channel secrets cannot be read.',
      ),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(86_400)
      .default(900)
      .describe('Lifetime of an access token (default 15 minutes).'),
    REFRESH_TOKEN_TTL_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe('Lifetime of a refresh token family.'),
    RECADO_ADMIN_EMAIL: z
      .email()
      .optional()
      .describe('E-mail of the super admin created on first boot. Default: admin@recado.local.'),
    RECADO_ADMIN_PASSWORD: z
      .string()
      .min(12, 'must be at least 12 characters')
      .optional()
      .describe(
        'Password of the super admin created on first boot. When unset, a random one is printed once to stdout.',
      ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Minimum log level.'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin.length > 0),
      )
      .describe(
        'Comma-separated origins allowed to call the API from a browser. Empty: same origin only.',
      ),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1_048_576)
      .describe('Largest accepted JSON request body, in bytes.'),
    RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .default(600)
      .describe('Requests per minute allowed per IP (anonymous) or per user (authenticated).'),
    LOGIN_MAX_FAILURES: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe('Failed logins for one account before it is locked for LOGIN_LOCK_MINUTES.'),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Failed logins from one IP before it is blocked for LOGIN_LOCK_MINUTES.'),
    LOGIN_LOCK_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(1440)
      .default(15)
      .describe('How long an account or IP stays locked after too many failed logins.'),
    TRUST_PROXY: booleanFromEnv(false).describe(
      'Trust X-Forwarded-* headers (set when running behind a reverse proxy).',
    ),
    METRICS_ENABLED: booleanFromEnv(true).describe('Expose Prometheus metrics at /metrics.'),
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(15_000)
      .describe('How long a graceful shutdown waits for in-flight requests and jobs.'),
    WEB_ENABLED: booleanFromEnv(true).describe(
      'Serve the web dashboard (built into web/dist) from the API process.',
    ),
    STORAGE_DRIVER: z
      .enum(['local', 's3'])
      .default('local')
      .describe(
        'Where media bytes are kept: `local` (DATA_DIR/media) or `s3` (any S3-compatible service; set the S3_* variables).',
      ),
    S3_ENDPOINT: optionalUrl(['http:', 'https:']).describe(
      'S3-compatible endpoint, e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000. Required with STORAGE_DRIVER=s3.',
    ),
    S3_REGION: z
      .string()
      .trim()
      .min(1)
      .default('us-east-1')
      .describe('S3 region used for signing.'),
    S3_BUCKET: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('Bucket for media objects. Required with STORAGE_DRIVER=s3.'),
    S3_ACCESS_KEY_ID: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('Access key id for S3. Required with STORAGE_DRIVER=s3.'),
    S3_SECRET_ACCESS_KEY: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('Secret access key for S3. Required with STORAGE_DRIVER=s3.'),
    S3_FORCE_PATH_STYLE: booleanFromEnv(true).describe(
      'Address objects as ENDPOINT/BUCKET/KEY (MinIO, most self-hosted services) instead of BUCKET.ENDPOINT/KEY.',
    ),
    S3_PREFIX: z
      .string()
      .trim()
      .default('recado/')
      .describe('Key prefix inside the bucket, so one bucket can serve several deployments.'),
    MEDIA_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(104_857_600)
      .describe(
        'Largest media object accepted from any source, in bytes; per-kind limits (image 5 MB, audio/video 16 MB, sticker 500 KB, document 100 MB) apply below it.',
      ),
    NFCE_PORTAL_OVERRIDE: optionalUrl(['http:', 'https:'])
      .refine((value) => {
        if (value === undefined) return true;
        const url = new URL(value);
        return url.search === '' && url.hash === '';
      }, 'must be a base URL without query or fragment')
      .describe(
        "Sends every NFC-e consultation request (the tax authority's receipt page a QR code points to) to this base URL instead, keeping the path and query and passing the original host in `X-Original-Host`: for tests with a fake tax site, or portals reached through a proxy. Unset: the portals themselves (`.gov.br` only).",
      ),
  })
  .superRefine((config, context) => {
    if (config.STORAGE_DRIVER !== 's3') return;
    for (const key of [
      'S3_ENDPOINT',
      'S3_BUCKET',
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
    ] as const) {
      if (!config[key]) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: 'is required with STORAGE_DRIVER=s3',
        });
      }
    }
  });

export type Config = z.infer<typeof configSchema>;
