import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Load, LoadPlan } from './scaleout-load';

/** Sent where a thread has no plan request left: its answer tells it from plan requests. */
const IDLE_PATH = '/healthz';

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
 * each, and to each an equal run of the plan, so that every instance gets its mix of kinds. wrk runs
 * for a set time, so it is interrupted once every thread has said its share is answered.
 */
export async function driveWithWrk(wrk: string, plan: LoadPlan, dir: string): Promise<Load> {
  const shares = plan.urls.length;
  plan.urls.forEach((_, i) => {
    const share = plan.requests.slice(Math.floor((plan.requests.length * i) / shares), Math.floor((plan.requests.length * (i + 1)) / shares));
    const lines = share.map((r) => [r.method, r.path, Object.entries(r.headers).map(([name, value]) => `${name}: ${value}`).join('\n'), r.body ?? ''].map(field).join('\t'));
    writeFileSync(join(dir, `plan-${i + 1}.tsv`), lines.map((line) => `${line}\n`).join(''));
  });
  const idleBody = await (await fetch(`${plan.urls[0]}${IDLE_PATH}`)).text();
  const ports = plan.urls.map((url) => new URL(url).port);
  const args = ['-t', String(shares), '-c', String(shares * plan.connections), '-d', '3600s', '--timeout', '30s', '-s', join(__dirname, 'scaleout-load.lua'), plan.urls[0]!];
  const child = spawn(wrk, args, { env: { ...process.env, SCALEOUT_PLAN: join(dir, 'plan-%d.tsv'), SCALEOUT_PORTS: ports.join(','), SCALEOUT_IDLE_PATH: IDLE_PATH, SCALEOUT_IDLE_BODY: idleBody }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let finished = 0;
  const stop = () => child.kill('SIGINT');
  const limit = setTimeout(stop, RUN_LIMIT_MS);
  createInterface({ input: child.stdout }).on('line', (line) => {
    output += `${line}\n`;
    if (line === 'done' && ++finished === shares) stop();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': every line of its output has been read by then.
  const code = await new Promise<number | null>((done) => child.once('close', done));
  clearTimeout(limit);
  const last = output.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`wrk exited with ${code}:\n${output}`);
  return JSON.parse(last) as Load;
}
