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

/** Every environment variable the server reads. Anything not listed here is not configuration. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DB_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite:, mysql:// or mariadb://')
    .default('sqlite:./data/scrm.sqlite'),
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
  JOB_WORKER_ENABLED: booleanFlag.default(true),
  SCHEDULER_ENABLED: booleanFlag.default(true),
  CRON_OVERRIDES: cronOverrides.optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  CONSOLE_DIR: z.string().optional(),
  JOB_LEASE_MS: z.coerce.number().int().min(500).default(5 * 60_000),
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
});

export type Env = z.infer<typeof envSchema>;
