import { goalMet, type BenchPlan } from './bench-goals';

export interface BenchOutcome {
  plan: BenchPlan;
  /** The bench's last JSON line, or null when it failed. */
  result: Record<string, unknown> | null;
  seconds: number;
  env: Record<string, string>;
  error?: string;
}

const figures = (result: Record<string, unknown>) =>
  Object.entries(result)
    .filter(([key]) => key !== 'bench')
    .map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');

function goalCells(outcome: BenchOutcome): { goals: string; met: string } {
  if (!outcome.result) return { goals: outcome.plan.goals.map((g) => `${g.figure} ${g.op} ${String(g.target)}`).join(', ') || '—', met: `failed: ${outcome.error ?? 'no result'}` };
  if (!outcome.plan.goals.length) return { goals: '—', met: '—' };
  const checks = outcome.plan.goals.map((goal) => ({ goal, met: goalMet(goal, outcome.result?.[goal.figure]) }));
  const mark = (met: boolean | null) => (met === null ? '?' : met ? '✓' : '✗');
  return {
    goals: checks.map(({ goal, met }) => `${goal.figure} ${goal.op} ${String(goal.target)} ${mark(met)}`).join(', '),
    met: checks.every((c) => c.met === true) ? 'met' : checks.some((c) => c.met === false) ? 'not met' : 'unknown',
  };
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `bench-report.md`: one row per benchmark with its figures and whether each goal was met. */
export function benchReportMarkdown(outcomes: BenchOutcome[], context: { database: string; redis: boolean; startedAt: Date; chart: string | null }): string {
  const rows = outcomes.map((outcome) => {
    const { goals, met } = goalCells(outcome);
    const sizes = Object.entries(outcome.env).map(([key, value]) => `${key}=${value}`).join(' ');
    return `| ${outcome.plan.name} | ${escapeCell(outcome.result ? figures(outcome.result) : '—')} | ${escapeCell(goals)} | ${escapeCell(met)} | ${outcome.seconds} | ${sizes || 'defaults'} |`;
  });
  return [
    '# Benchmark report',
    '',
    `Run ${context.startedAt.toISOString()} on ${context.database}${context.redis ? ' + Redis' : ''}, ${outcomes.length} benchmarks.`,
    'Goals are stated for each benchmark at its full default sizes; a run with smaller sizes only shows that the benchmark works.',
    '',
    '| Benchmark | Figures | Goal | Met | Seconds | Sizes |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(context.chart ? [`![Each figure against its goal](${context.chart})`, ''] : []),
  ].join('\n');
}
