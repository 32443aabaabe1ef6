import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const repoRoot = resolve(__dirname, '..');
export const dockerDir = __dirname;
export const readText = (path: string) => readFileSync(path, 'utf8');

/** `KEY=value` lines of .env.example: active ones, and those commented out to show a default. */
export function envExampleEntries(): Array<{ key: string; value: string; active: boolean }> {
  return readText(join(repoRoot, '.env.example'))
    .split('\n')
    .map((line) => /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ key: match[2] ?? '', value: match[3] ?? '', active: !match[1] }));
}

/** Compose's variable interpolation: `${X}`, `${X:-default}`, `${X-default}`, `${X:?error}`, `${X?error}`, `$$`. */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string | undefined, colon: string, op: string, arg: string) => {
    if (whole === '$$') return '$';
    const value = env[name ?? ''];
    const missing = value === undefined || (colon === ':' && value === '');
    if (!missing) return value;
    if (op === '-') return arg;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return '';
  });
}

/** Variables compose.yaml reads from its environment (.env). */
export const composeVariables = (text: string) => [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? ''))];

export function loadCompose(env: Record<string, string>): ComposeFile {
  return parse(interpolate(readText(join(dockerDir, 'compose.yaml')), env), { merge: true }) as ComposeFile;
}

export interface ComposeService {
  build?: { context: string; dockerfile?: string; target?: string };
  image?: string;
  command?: string[];
  profiles?: string[];
  env_file?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export function loadManifests(file: string): K8sObject[] {
  return parseAllDocuments(readText(file)).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
export function dockerfileInstructions(): Array<{ keyword: string; args: string }> {
  return readText(join(dockerDir, 'Dockerfile'))
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}
