import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import { digestOf, lineText, type JobPricer, type PricedLine } from './engine';
import type { PayeeResolver } from './settlement-payees';
import type { JobFacts, LineType } from './settlement-rules';
import type { VersionCatalogue } from './settlement-versions';
import type { LineRow } from './settlement.models';

export type LineInsert = Omit<LineRow, 'id'>;

const columns = [
  'period_id',
  'payee_id',
  'work_order_id',
  'rule_set_version_id',
  'rule_key',
  'rule_kind',
  'line_type',
  'amount_fen',
  'formula',
  'facts_used',
  'rounding',
  'corrects_line_id',
  'completed_on',
  'dispute_status',
  'dispute_comment',
  'dispute_resolution',
  'created_at',
] as const satisfies ReadonlyArray<keyof LineInsert>;

/** Disputes survive the replacement of a line by its recomputation, under a new rule-set version too: keyed by job, payee and rule. */
export const disputeKeyOf = (row: Pick<LineRow, 'work_order_id' | 'payee_id' | 'rule_key'>) => `${row.work_order_id === null ? '' : Number(row.work_order_id)}:${Number(row.payee_id)}:${row.rule_key}`;
export type CarriedDisputes = Map<string, Pick<LineRow, 'dispute_status' | 'dispute_comment' | 'dispute_resolution'>>;

/** The disputes held or resolved on stored lines, to carry onto their replacements. */
export const disputesOf = (rows: LineRow[]): CarriedDisputes =>
  new Map(rows.filter((l) => l.dispute_status !== 'none').map((l) => [disputeKeyOf(l), { dispute_status: l.dispute_status, dispute_comment: l.dispute_comment, dispute_resolution: l.dispute_resolution }]));

/** A priced line for its payee, with its stored facts JSON and its canonical text (what hashes cover). */
export interface ComputedLine {
  payeeId: number;
  workOrderId: number | null;
  lineType: LineType;
  line: PricedLine;
  formula: string;
  factsUsedJson: string;
  text: string;
}

export function computedLine(line: PricedLine, payeeId: number, workOrderId: number | null, lineType: LineType): ComputedLine {
  const formula = line.formula.slice(0, 500);
  const factsUsedJson = JSON.stringify(line.factsUsed);
  const text = lineText({ payeeId, workOrderId, ruleSetVersionId: line.ruleSetVersionId, ruleKey: line.ruleKey, ruleKind: line.ruleKind, lineType, amountFen: line.amountFen, formula, rounding: line.rounding, factsUsedJson });
  return { payeeId, workOrderId, lineType, line, formula, factsUsedJson, text };
}

/** The canonical text of a stored line (equal to its `ComputedLine.text` when written from one). */
export const textOfRow = (row: Pick<LineRow, 'payee_id' | 'work_order_id' | 'rule_set_version_id' | 'rule_key' | 'rule_kind' | 'line_type' | 'amount_fen' | 'formula' | 'rounding' | 'facts_used'>): string =>
  lineText({
    payeeId: Number(row.payee_id),
    workOrderId: row.work_order_id === null ? null : Number(row.work_order_id),
    ruleSetVersionId: row.rule_set_version_id === null ? null : Number(row.rule_set_version_id),
    ruleKey: row.rule_key,
    ruleKind: row.rule_kind,
    lineType: row.line_type,
    amountFen: Number(row.amount_fen),
    formula: row.formula,
    rounding: row.rounding,
    factsUsedJson: row.facts_used,
  });

export interface PricedJob {
  lines: ComputedLine[];
  /** sha256 of the lines' texts in order: equal digests, equal lines. */
  digest: string;
  /** Lines whose payee kind has no payee (left out). */
  skipped: number;
}

/** One job's lines under the versions in force on its completion date, for their payees. */
export async function priceJobLines(deps: { pricer: JobPricer; resolver: PayeeResolver; catalogue: VersionCatalogue }, job: { work_order_id: number; completed_on: string }, facts: JobFacts): Promise<PricedJob> {
  const priced = await deps.pricer.price(facts, deps.catalogue.inForceOn(job.completed_on));
  const workOrderId = Number(job.work_order_id);
  const lines: ComputedLine[] = [];
  let skipped = 0;
  let text = '';
  for (const line of priced) {
    let payeeId = deps.resolver.known(line.payeeKind, facts);
    if (payeeId === undefined) payeeId = await deps.resolver.resolve(line.payeeKind, facts);
    if (payeeId === null) {
      skipped += 1;
      continue;
    }
    const computed = computedLine(line, payeeId, workOrderId, 'job');
    text += computed.text;
    lines.push(computed);
  }
  return { lines, digest: digestOf(text), skipped };
}

export interface LineContext {
  periodId: number;
  completedOn: string | null;
  createdAt: Date;
  disputes?: CarriedDisputes;
}

export function rowOf(computed: ComputedLine, context: LineContext): LineInsert {
  const { line } = computed;
  const row: LineInsert = {
    period_id: context.periodId,
    payee_id: computed.payeeId,
    work_order_id: computed.workOrderId,
    rule_set_version_id: line.ruleSetVersionId,
    rule_key: line.ruleKey,
    rule_kind: line.ruleKind,
    line_type: computed.lineType,
    amount_fen: line.amountFen,
    formula: computed.formula,
    facts_used: computed.factsUsedJson,
    rounding: line.rounding,
    corrects_line_id: null,
    completed_on: context.completedOn,
    dispute_status: 'none',
    dispute_comment: null,
    dispute_resolution: null,
    created_at: context.createdAt,
  };
  const carried = context.disputes?.get(disputeKeyOf(row));
  return carried ? { ...row, ...carried } : row;
}

/** Multi-row INSERT statements for `rows`, `perStatement` rows each; rows that carry an id (seeding) are written with it. */
export function lineInsertStatements(db: Database, rows: Array<LineInsert & { id?: number }>, perStatement = 2000): string[] {
  const dates = new Map<Date, string>();
  const escape = (value: unknown) => (value === null || value === undefined ? 'NULL' : typeof value === 'number' ? String(value) : db.sequelize.escape(value as string));
  const dateOf = (d: Date) => {
    let text = dates.get(d);
    if (!text) dates.set(d, (text = db.sequelize.escape(d as unknown as string)));
    return text;
  };
  const withIds = rows[0]?.id !== undefined;
  const head = `INSERT INTO settlement_lines (${withIds ? 'id, ' : ''}${columns.join(', ')}) VALUES `;
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const values = rows.slice(i, i + perStatement).map((row) => `(${withIds ? `${row.id}, ` : ''}${columns.map((c) => (c === 'created_at' ? dateOf(row.created_at) : escape(row[c]))).join(', ')})`);
    statements.push(head + values.join(', '));
  }
  return statements;
}

/**
 * Inserts lines in multi-row statements and answers their ids in row order. A multi-row insert with
 * its row count known takes consecutive ids, `auto_increment_increment` apart on MySQL and MariaDB
 * (1 unless multi-primary replication sets it). MySQL 8 has no INSERT … RETURNING.
 */
export async function insertLines(db: Database, rows: LineInsert[], tx?: Transaction): Promise<number[]> {
  const ids: number[] = [];
  const statements = lineInsertStatements(db, rows);
  if (!statements.length) return ids;
  const step = db.dialect === 'sqlite' ? 1 : Number((await db.sequelize.query<{ step: number }>('SELECT @@auto_increment_increment AS step', { type: QueryTypes.SELECT, transaction: tx }))[0]?.step ?? 1);
  for (const sql of statements) {
    const [reported, count] = (await db.sequelize.query(sql, { type: QueryTypes.INSERT, transaction: tx })) as unknown as [number, number];
    // SQLite's driver answers the statement's last id, mysql2 its first.
    const first = db.dialect === 'sqlite' ? reported - (count - 1) * step : reported;
    for (let i = 0; i < count; i += 1) ids.push(first + i * step);
  }
  return ids;
}
