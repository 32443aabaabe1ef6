import { koffi } from './koffi';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const source = join(__dirname, 'finance-standin.c');

/**
 * Compiles the Finance SDK stand-in with the machine's C compiler (`cc`) into a cache directory,
 * once per source version, and returns the library's path.
 */
export function buildFinanceStandin(cacheDir = join(tmpdir(), 'scrm-finance-standin')): string {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const target = join(cacheDir, `libWeWorkFinanceSdk_C-standin-${hash}.so`);
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  // Compile beside the target and rename: concurrent builders never load a half-written file.
  const partial = `${target}.${process.pid}.tmp`;
  execFileSync(process.env.CC ?? 'cc', ['-shared', '-fPIC', '-O2', '-o', partial, source], { stdio: 'pipe' });
  renameSync(partial, target);
  return target;
}

/** Points the stand-in loaded in this process at a fixture directory (instead of FINANCE_STANDIN_DIR). */
export function pointFinanceStandinAt(libraryPath: string, dir: string): void {
  const library = koffi.load(libraryPath);
  // Held for the life of the process: koffi unloads a collected library, and the directory with it.
  pinned.add(library);
  library.func('void StandinSetDir(const char *dir)')(dir);
}

const pinned = new Set<unknown>();
