/** A bench's goal on one figure of its last JSON line, as its issue states it. */
export interface Goal {
  figure: string;
  op: '>=' | '<' | '<=' | '==';
  target: number | boolean;
}

export interface BenchPlan {
  name: string;
  /** Modest sizes for `npm run bench -- all`; any variable already set in the environment wins. */
  smallEnv: Record<string, string>;
  goals: Goal[];
}

/** Every registered benchmark, in the order `all` runs them. Goals are for each bench's full default sizes. */
export const benchPlans: BenchPlan[] = [
  { name: 'callbacks', smallEnv: { BENCH_EVENTS: '2000' }, goals: [{ figure: 'ratio', op: '>=', target: 0.7 }, { figure: 'p99_ms', op: '<', target: 100 }, { figure: 'lost', op: '==', target: 0 }] },
  { name: 'customers', smallEnv: { BENCH_CUSTOMERS: '20000', BENCH_ROUNDS: '50' }, goals: [{ figure: 'p95_ms', op: '<', target: 50 }, { figure: 'deep_page_p95_ms', op: '<', target: 50 }, { figure: 'phone_p95_ms', op: '<', target: 50 }] },
  { name: 'sync', smallEnv: { BENCH_SYNC_EMPLOYEES: '5', BENCH_SYNC_CUSTOMERS: '2000' }, goals: [{ figure: 'ratio', op: '<=', target: 1.2 }] },
  { name: 'import', smallEnv: { BENCH_IMPORT_ROWS: '5000' }, goals: [] },
  { name: 'workorders', smallEnv: { BENCH_ORDERS: '100', BENCH_SCAN: 'off' }, goals: [{ figure: 'transitions_per_s', op: '>=', target: 1000 }, { figure: 'p99_ms', op: '<', target: 50 }] },
  { name: 'settlement', smallEnv: { BENCH_SETTLEMENT_JOBS: '5000' }, goals: [{ figure: 'seconds', op: '<', target: 60 }, { figure: 'hash_equal', op: '==', target: true }] },
  { name: 'archive', smallEnv: { BENCH_ARCHIVE_MESSAGES: '2000', BENCH_ARCHIVE_TOTAL: '10000', BENCH_ARCHIVE_FLOOR: '500', BENCH_ROUNDS: '20' }, goals: [{ figure: 'ratio', op: '>=', target: 0.5 }, { figure: 'search_p95_ms', op: '<', target: 200 }] },
  { name: 'orders', smallEnv: { BENCH_ORDERS: '500' }, goals: [{ figure: 'orders_per_s', op: '>=', target: 500 }, { figure: 'p99_ms', op: '<', target: 100 }, { figure: 'lost', op: '==', target: 0 }] },
  { name: 'welcome', smallEnv: { BENCH_SCANS: '40' }, goals: [{ figure: 'p99_ms', op: '<', target: 2000 }, { figure: 'missed', op: '==', target: 0 }] },
  { name: 'scaleout', smallEnv: { BENCH_REQUESTS: '4000', BENCH_ROUNDS: '1' }, goals: [{ figure: 'ratio', op: '>=', target: 1.3 }] },
];

export function goalMet(goal: Goal, value: unknown): boolean | null {
  if (value === undefined || value === null) return null;
  if (goal.op === '==') return value === goal.target;
  if (typeof value !== 'number' || typeof goal.target !== 'number') return null;
  return goal.op === '>=' ? value >= goal.target : goal.op === '<=' ? value <= goal.target : value < goal.target;
}

/**
 * How far a figure stands from its goal, 1 being exactly on it and more being better: value / target
 * for a floor, target / value for a ceiling. Null for exact-match goals (lost = 0), which are not plotted.
 */
export function attainment(goal: Goal, value: unknown): number | null {
  if (goal.op === '==' || typeof value !== 'number' || typeof goal.target !== 'number') return null;
  if (goal.op === '>=') return goal.target === 0 ? null : value / goal.target;
  return value <= 0 ? Infinity : goal.target / value;
}
