import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Load, LoadPlan } from './scaleout-load';

/** How long a run may take before the generator is stopped and what is unanswered counts as failed. */
const RUN_LIMIT_MS = 10 * 60_000;

/** wrk's path when it is installed (Debian's package `wrk`), else null. */
export function wrkPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

/** A plan field on one line: `%`, tab and line breaks percent-escaped (scaleout-load.lua reverses it). */
const field = (text: string) => text.replace(/[%\t\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/**
 * Sends the plan with wrk (scaleout-load.lua): one thread per URL, `plan.connections` connections
 * each. wrk runs for a set time, so it is interrupted once every thread has said its share is answered.
 */
export async function driveWithWrk(wrk: string, plan: LoadPlan, dir: string): Promise<Load> {
  const planFile = join(dir, 'plan.tsv');
  const lines = plan.requests.map((r) =>
    [r.method, r.path, Object.entries(r.headers).map(([name, value]) => `${name}: ${value}`).join('\n'), r.body ?? ''].map(field).join('\t'),
  );
  writeFileSync(planFile, `${lines.join('\n')}\n`);
  const ports = plan.urls.map((url) => new URL(url).port);
  const threads = String(plan.urls.length);
  const args = ['-t', threads, '-c', String(plan.urls.length * plan.connections), '-d', '3600s', '--timeout', '30s', '-s', join(__dirname, 'scaleout-load.lua'), plan.urls[0]!];
  const child = spawn(wrk, args, { env: { ...process.env, SCALEOUT_PLAN: planFile, SCALEOUT_PORTS: ports.join(',') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let finished = 0;
  const stop = () => child.kill('SIGINT');
  const limit = setTimeout(stop, RUN_LIMIT_MS);
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    finished += text.split('\n').filter((line) => line === 'done').length;
    if (finished === plan.urls.length) stop();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  clearTimeout(limit);
  const last = output.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`wrk exited with ${code}:\n${output}`);
  return JSON.parse(last) as Load;
}
