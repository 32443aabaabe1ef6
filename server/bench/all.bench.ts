import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { benchPlans, type BenchPlan } from './report/bench-goals';
import { benchChartSvg, writeChartPng } from './report/bench-chart';
import { benchReportMarkdown, type BenchOutcome } from './report/bench-report-markdown';

/** Where the report goes; the chart is written beside it with the same name and `.png`. */
const REPORT = resolve(process.env.BENCH_REPORT ?? 'bench-report.md');
/** A comma-separated subset of benchmarks to run (all by default). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);

/** Runs one bench as `npm run bench -- NAME` would, in its own process; resolves with its last JSON line. */
function runOne(plan: BenchPlan): Promise<BenchOutcome> {
  const env = Object.fromEntries(Object.entries(plan.smallEnv).filter(([key]) => process.env[key] === undefined));
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'run-bench.ts'), plan.name], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stderr.write(chunk);
    });
    child.once('exit', (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${String(code)}`);
        done({ plan, env, seconds, result: JSON.parse(last) as Record<string, unknown> });
      } catch (error) {
        done({ plan, env, seconds, result: null, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}

/**
 * `npm run bench -- all`: every registered benchmark, one after another with modest sizes (any
 * BENCH_* variable set in the environment wins), on the configured database; writes the report
 * (`bench-report.md`) and its chart (`bench-report.png`).
 */
export async function benchAll() {
  const plans = benchPlans.filter((plan) => !ONLY || ONLY.includes(plan.name));
  const startedAt = new Date();
  const outcomes: BenchOutcome[] = [];
  for (const plan of plans) {
    process.stderr.write(`\n== ${plan.name}\n`);
    outcomes.push(await runOne(plan));
  }
  const chartPath = join(dirname(REPORT), `${basename(REPORT, '.md')}.png`);
  const charted = await writeChartPng(benchChartSvg(outcomes), chartPath);
  if (!charted) process.stderr.write('chromium not found: the report has no chart\n');
  const database = (process.env.DB_URL ?? 'sqlite').split(':')[0]!;
  writeFileSync(REPORT, benchReportMarkdown(outcomes, { database, redis: Boolean(process.env.REDIS_URL), startedAt, chart: charted ? basename(chartPath) : null }));
  process.stderr.write(`report: ${REPORT}${charted ? `, chart: ${chartPath}` : ''}\n`);
  const failed = outcomes.filter((o) => !o.result).map((o) => o.plan.name);
  return { benchmarks: outcomes.length, failed, report: basename(REPORT), chart: charted ? basename(chartPath) : null };
}
