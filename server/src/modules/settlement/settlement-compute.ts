import { QueryTypes } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { createConditionEvaluator, createJobPricer, createTextDigest, rebateBaseOf, rebateLines, type ConditionEvaluator, type TextDigest, type VersionInForce } from './engine';
import { computedLine, disputeKeyOf, priceJobLines, textOfRow, type CarriedDisputes, type ComputedLine } from './settlement-line-rows';
import { createPayeeResolver } from './settlement-payees';
import type { JobFacts, SettlementRule } from './settlement-rules';
import type { VersionCatalogue } from './settlement-versions';
import type { LineRow } from './settlement.models';

type RebateRule = Extract<SettlementRule, { kind: 'tiered_rebate' }>;

export const JOB_BATCH = 10_000;

interface JobRow {
  id: number;
  work_order_id: number;
  completed_on: string;
  facts: string;
  lines_digest: string | null;
  line_keys?: string | null;
}

/** A job whose recomputed lines differ from the ones last written for it. */
export interface ChangedJob {
  id: number;
  workOrderId: number;
  completedOn: string;
  lines: ComputedLine[];
  digest: string;
  /** The stored lines' keys (`settlement_jobs.line_keys`). */
  lineKeys: string | null;
}

/**
 * One payee's share of a period: what its statement is built from. Its digest covers, per job with
 * lines for the payee, the job's digest and which of the job's lines are the payee's; then its rebate
 * and trailing lines' texts (a second pass over every line text would cost as much as pricing).
 */
export interface PayeeFigures {
  totalFen: number;
  heldFen: number;
  lineCount: number;
  digest: TextDigest;
  lastJob: number;
}

export interface PeriodComputation {
  jobs: number;
  lines: number;
  skipped: number;
  /** Jobs whose lines differed from the stored ones (handed to `changed`). */
  changedJobs: number;
  hash: string;
  payees: Map<number, PayeeFigures>;
  rebates: ComputedLine[];
  /** Time spent waiting for the next batch of jobs and for the writer to take the last one (the rest is pricing and hashing). */
  waited: { readMs: number; writeMs: number };
}

/** The job rows of a period, by id, in batches; the next batch is read while the caller prices this one. */
async function* jobBatches(db: Database, periodId: number, withKeys: boolean): AsyncGenerator<JobRow[]> {
  const read = (afterId: number) =>
    db.sequelize.query<JobRow>(`SELECT id, work_order_id, completed_on, facts, lines_digest${withKeys ? ', line_keys' : ''} FROM settlement_jobs WHERE period_id = :periodId AND excluded = :no AND id > :afterId ORDER BY id LIMIT ${JOB_BATCH}`, {
      replacements: { periodId, afterId, no: false },
      type: QueryTypes.SELECT,
    });
  let next = read(0);
  for (;;) {
    const batch = await next;
    if (!batch.length) return;
    next = read(Number(batch[batch.length - 1]?.id));
    yield batch;
  }
}

/**
 * Computes a period's lines from the job facts snapshots, deterministically and in one pass: jobs by
 * id, each priced with the versions in force on its completion date; then the tiered rebates of the
 * versions in force on the period's last day over each payee's period totals; then the corrections
 * booked into the period (`trailing`). The period hash covers each job's digest in job order, then
 * the rebate and trailing lines; each payee's figures and own hash are summed on the way. Jobs whose
 * digest differs from the stored one go to `changed` (the close rewrites them); a preview or a
 * verification only counts and hashes.
 */
export async function computePeriod(
  deps: { db: Database; models: Models },
  options: { periodId: number; endsOn: string; catalogue: VersionCatalogue; changed?: (jobs: ChangedJob[]) => Promise<void>; disputes?: CarriedDisputes; evaluator?: ConditionEvaluator; trailing?: LineRow[] },
): Promise<PeriodComputation> {
  const { db, models } = deps;
  const evaluator = options.evaluator ?? createConditionEvaluator();
  const context = { pricer: createJobPricer({ evaluator }), resolver: createPayeeResolver(models), catalogue: options.catalogue };
  const periodDigest = createTextDigest();
  const payees = new Map<number, PayeeFigures>();
  const disputes = options.disputes?.size ? options.disputes : null;
  const result = { jobs: 0, lines: 0, skipped: 0, changedJobs: 0 };
  const waited = { readMs: 0, writeMs: 0 };
  let mark = Date.now();

  const record = (payeeId: number, amountFen: number, held: boolean): PayeeFigures => {
    let figures = payees.get(payeeId);
    if (!figures) payees.set(payeeId, (figures = { totalFen: 0, heldFen: 0, lineCount: 0, digest: createTextDigest(), lastJob: 0 }));
    figures.totalFen += amountFen;
    if (held) figures.heldFen += amountFen;
    figures.lineCount += 1;
    result.lines += 1;
    return figures;
  };
  const isHeld = (l: ComputedLine) => disputes !== null && disputes.get(disputeKeyOf({ work_order_id: l.workOrderId, payee_id: l.payeeId, rule_key: l.line.ruleKey }))?.dispute_status === 'open';

  const rebateRules = options.catalogue.inForceOn(options.endsOn).flatMap((version) => version.definition.rules.filter((r): r is RebateRule => r.kind === 'tiered_rebate').map((rule) => ({ version, rule, totals: new Map<number, { volume: number; amountFen: number }>() })));

  for await (const batch of jobBatches(db, options.periodId, Boolean(options.changed))) {
    waited.readMs += Date.now() - mark;
    const changed: ChangedJob[] = [];
    for (const job of batch) {
      const facts = JSON.parse(job.facts) as JobFacts;
      const priced = await priceJobLines(context, job, facts);
      periodDigest.add(`${priced.digest}\n`);
      priced.lines.forEach((l, i) => {
        const figures = record(l.payeeId, l.line.amountFen, isHeld(l));
        if (figures.lastJob !== job.id) figures.digest.add(`\n${priced.digest}:`);
        figures.lastJob = job.id;
        figures.digest.add(`${i},`);
      });
      result.skipped += priced.skipped;
      if (options.changed && priced.digest !== job.lines_digest) changed.push({ id: Number(job.id), workOrderId: Number(job.work_order_id), completedOn: job.completed_on, lines: priced.lines, digest: priced.digest, lineKeys: job.line_keys ?? null });
      for (const { version, rule, totals } of rebateRules) {
        if (rule.condition) {
          const holds = evaluator.outcome(rule.condition, facts);
          if (!(typeof holds === 'boolean' ? holds : await holds)) continue;
        }
        const payeeId = context.resolver.known(version.payeeKind, facts) ?? (await context.resolver.resolve(version.payeeKind, facts));
        if (payeeId === null) continue;
        const base = rebateBaseOf(rule, facts);
        const sum = totals.get(payeeId);
        if (sum) {
          sum.volume += base.volume;
          sum.amountFen += base.amountFen;
        } else totals.set(payeeId, base);
      }
    }
    result.jobs += batch.length;
    result.changedJobs += changed.length;
    mark = Date.now();
    if (changed.length && options.changed) await options.changed(changed);
    waited.writeMs += Date.now() - mark;
    mark = Date.now();
  }

  const rebates: ComputedLine[] = [];
  for (const { version, rule, totals } of rebateRules) {
    const sorted = [...totals.entries()].sort(([a], [b]) => a - b).map(([payeeId, sum]) => ({ payeeKey: String(payeeId), payeeKind: version.payeeKind, ...sum }));
    for (const line of rebateLines(version as VersionInForce, rule, sorted)) {
      const computed = computedLine(line, Number(line.payeeKey), null, 'rebate');
      record(computed.payeeId, line.amountFen, isHeld(computed)).digest.add(computed.text);
      periodDigest.add(computed.text);
      rebates.push(computed);
    }
  }
  // Adjustments and reversals booked into the period while it was open come last, by id.
  for (const row of options.trailing ?? []) {
    const text = textOfRow(row);
    record(Number(row.payee_id), Number(row.amount_fen), row.dispute_status === 'open').digest.add(text);
    periodDigest.add(text);
  }
  return { ...result, hash: periodDigest.digest(), payees, rebates, waited };
}
