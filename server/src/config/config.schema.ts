import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const cronOverrides = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"sessions.purge":"0 * * * *"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.string()));

/** A comma-separated list of MySQL/MariaDB URLs; blanks between commas are dropped. */
const readReplicaUrls = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^(mysql|mariadb):\/\/[^/]+\/\w+/, 'each must be mysql://user:pass@host:3306/db or mariadb://…')));

/** An S3 key prefix such as `scrm/` (leading and trailing slashes are tidied). */
const s3Prefix = z
  .string()
  .regex(/^[\w./-]*$/, 'letters, digits, _ . - and / only')
  .transform((text) => text.replace(/^\/+|\/+$/g, ''))
  .transform((text) => (text ? `${text}/` : ''));

/** Every environment variable the server reads. Anything not listed here is not configuration. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DB_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite:, mysql:// or mariadb://')
    .default('sqlite:./data/scrm.sqlite'),
  /** Read replicas of DB_URL for list and report queries (MySQL/MariaDB). */
  DB_READ_URLS: readReplicaUrls.optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]*$/, 'letters, digits, _ : . - only').default('scrm:'),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SEED_DEMO: booleanFlag.optional(),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  TRUST_PROXY: booleanFlag.default(false),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  LOGIN_IP_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(50),
  LOGIN_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_ACCOUNT_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  BODY_LIMIT_KB: z.coerce.number().int().min(1).max(102400).default(1024),
  JOB_POLL_MS: z.coerce.number().int().min(50).default(1000),
  /** How often new audit entries are sealed into the hash chain. */
  AUDIT_SEAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  JOB_WORKER_ENABLED: booleanFlag.default(true),
  SCHEDULER_ENABLED: booleanFlag.default(true),
  CRON_OVERRIDES: cronOverrides.optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  CONSOLE_DIR: z.string().optional(),
  JOB_LEASE_MS: z.coerce.number().int().min(500).default(5 * 60_000),
  /** Look for plugins in plugins/* and node_modules/scrm-plugin-* (false: only PLUGIN_PATHS). */
  PLUGIN_DISCOVERY: booleanFlag.default(true),
  /** Further plugin modules or folders, comma-separated. */
  PLUGIN_PATHS: z.string().optional().transform((v) => (v ? v.split(',').map((p) => p.trim()).filter(Boolean) : [])),
  /** Time limit of a hook delivery, a plugin route, job or async step. */
  PLUGIN_HOOK_TIMEOUT_MS: z.coerce.number().int().min(10).default(10_000),
  /** Time limit of a filter or a sync step (they hold up a core action). */
  PLUGIN_FILTER_TIMEOUT_MS: z.coerce.number().int().min(10).default(2000),
  /** Attempts of a hook delivery before it is dead-lettered. */
  PLUGIN_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** Let automation-rule webhooks reach internal addresses (this host, private networks, link-local). */
  WEBHOOK_ALLOW_INTERNAL: booleanFlag.default(false),
  PUBLIC_URL: z.string().url().optional(),
  WECOM_CORP_ID: z.string().regex(/^[\w-]{2,64}$/, 'letters, digits, _ and - only').optional(),
  WECOM_API_BASE: z.string().url().optional(),
  WECOM_CALLBACK_TOKEN: z.string().min(1).max(64).optional(),
  WECOM_CALLBACK_AES_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey').optional(),
  WECOM_CONTACT_SECRET: z.string().min(1).optional(),
  WECOM_CUSTOMER_SECRET: z.string().min(1).optional(),
  WECOM_AGENT_ID: z.string().regex(/^\d+$/, 'digits only').optional(),
  WECOM_AGENT_SECRET: z.string().min(1).optional(),
  /** WeCom calls per API per minute this installation allows itself (WeCom's limit is 10,000; a sandbox may set less). */
  WECOM_API_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).optional(),
  WECOM_SANDBOX: z.enum(['auto', 'off']).default('auto'),
  WECOM_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  WECOM_SANDBOX_CUSTOMERS: z.coerce.number().int().min(0).max(1_000_000).default(60),
  /** Chat archive (会话内容存档): the Finance SDK library, the archive secret, batch size and poll interval of `npm run worker:archive`. */
  WECOM_FINANCE_SDK_PATH: z.string().min(1).optional(),
  WECOM_ARCHIVE_SECRET: z.string().min(1).optional(),
  ARCHIVE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(1000),
  ARCHIVE_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Where uploads and archived media are stored: DATA_DIR on the local disk, or an S3-compatible bucket shared by every instance. */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.string().url().regex(/^https?:\/\/[^/?#]+\/?$/, 'must be http:// or https:// and a host, such as https://minio.example.com:9000').optional(),
  S3_REGION: z.string().regex(/^[a-z0-9-]{2,64}$/, 'lower-case letters, digits and - only, such as us-east-1').default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name: 3–63 lower-case letters, digits, . and -').optional(),
  /** Prepended to every object key; normalised to end with one slash. */
  S3_PREFIX: s3Prefix.default(''),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
});

export type Env = z.infer<typeof envSchema>;
