import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { envSchema, type Env } from './config.schema';

export interface AppConfig extends Omit<Env, 'APP_SECRET' | 'SEED_DEMO'> {
  APP_SECRET: string;
  SEED_DEMO: boolean;
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  dbDialect: 'sqlite' | 'mysql';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at start. A bad value stops the process with a message naming
 * the variable, rather than failing later somewhere deep inside.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(pickDefined(source));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  const isProduction = env.NODE_ENV === 'production';
  if (isProduction && !env.APP_SECRET) {
    throw new ConfigError(['APP_SECRET: required when NODE_ENV=production (at least 32 characters, keep it secret and stable)']);
  }
  const storageProblems = s3SettingProblems(env);
  if (storageProblems.length) throw new ConfigError(storageProblems);
  return {
    ...env,
    APP_SECRET: env.APP_SECRET ?? loadOrCreateLocalSecret(dataDir),
    SEED_DEMO: env.SEED_DEMO ?? !isProduction,
    dataDir,
    dbDialect: env.DB_URL.startsWith('sqlite:') ? 'sqlite' : 'mysql',
  };
}

function pickDefined(source: NodeJS.ProcessEnv): Record<string, string> {
  const keys = Object.keys(envSchema.shape);
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  return picked;
}

/** STORAGE_DRIVER=s3 needs a bucket; the key id and the secret go together (neither: the AWS default chain, such as an instance role). */
function s3SettingProblems(env: Env): string[] {
  if (env.STORAGE_DRIVER !== 's3') return [];
  const problems: string[] = [];
  if (!env.S3_BUCKET) problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) problems.push(`${env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'}: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together`);
  return problems;
}

/** Outside production an unset APP_SECRET is generated once and kept beside the embedded database. */
function loadOrCreateLocalSecret(dataDir: string): string {
  const file = join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
