import { Op, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { conflict, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { canUseStore } from '../access/data-scope';
import type { AuditService } from '../audit/audit.service';
import { formatYuan } from './engine';
import type { LineInsert } from './settlement-line-rows';
import type { Periods } from './settlement-periods';
import type { Pricing } from './settlement-pricing';
import type { JobFacts } from './settlement-rules';
import type { LineRow, SettlementJobRow } from './settlement.models';

const keyOf = (l: { payee_id: number; rule_set_version_id: number | null; rule_key: string }) => `${Number(l.payee_id)}:${l.rule_set_version_id === null ? '' : Number(l.rule_set_version_id)}:${l.rule_key}`;

/**
 * Corrections of priced jobs. While the job's period is open they simply replace its provisional
 * lines. Once it is closed, nothing there changes: a refund books reversal lines (each final line
 * negated) and a re-price books one adjustment line per rule whose amount differs, both into the
 * current open period and linked to the lines they correct.
 */
export function createAdjustments(deps: { db: Database; models: Models; audit: AuditService; periods: Periods; pricing: Pricing }) {
  const { db, models, audit, periods, pricing } = deps;

  async function jobOf(actor: Actor, workOrderId: number, tx: Transaction): Promise<SettlementJobRow> {
    const order = await models.WorkOrder.findByPk(workOrderId, { attributes: ['id', 'store_id'], raw: true, transaction: tx });
    if (!order || !canUseStore(actor, Number(order.store_id))) throw notFound('work order', workOrderId);
    const job = await models.SettlementJob.findOne({ where: { work_order_id: workOrderId }, raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
    if (!job) throw conflict(`work order ${workOrderId} is not finished: it has no settlement yet`);
    return job;
  }

  /** Final lines of the job (those of closed periods); its corrections in the open target period, not yet final, are replaced by a new correction. */
  async function settledLines(job: SettlementJobRow, targetPeriodId: number, tx: Transaction): Promise<LineRow[]> {
    await models.Line.destroy({ where: { period_id: targetPeriodId, work_order_id: job.work_order_id, line_type: ['adjustment', 'reversal'], rule_kind: { [Op.ne]: 'adjustment' } }, transaction: tx });
    const lines = await models.Line.findAll({ where: { work_order_id: job.work_order_id }, order: [['id', 'ASC']], raw: true, transaction: tx });
    const closed = new Set((await models.Period.findAll({ where: { id: [...new Set(lines.map((l) => Number(l.period_id)))], status: 'closed' }, attributes: ['id'], raw: true, transaction: tx })).map((p) => Number(p.id)));
    return lines.filter((l) => closed.has(Number(l.period_id)));
  }

  const base = (line: LineRow, periodId: number, now: Date): LineInsert => ({
    period_id: periodId,
    payee_id: Number(line.payee_id),
    work_order_id: line.work_order_id === null ? null : Number(line.work_order_id),
    rule_set_version_id: line.rule_set_version_id === null ? null : Number(line.rule_set_version_id),
    rule_key: line.rule_key,
    rule_kind: line.rule_kind,
    line_type: 'reversal',
    amount_fen: -Number(line.amount_fen),
    formula: '',
    facts_used: line.facts_used,
    rounding: 'HALF_UP',
    corrects_line_id: Number(line.id),
    completed_on: line.completed_on,
    dispute_status: 'none',
    dispute_comment: null,
    dispute_resolution: null,
    created_at: now,
  });

  async function repriceIn(tx: Transaction, job: SettlementJobRow, reason: string): Promise<LineRow[]> {
    if (job.refunded_at) throw conflict(`work order ${job.work_order_id} was refunded`);
    const facts = JSON.parse(job.facts) as JobFacts;
    // Complaints are the one fact that changes after completion.
    const refreshed: JobFacts = { ...facts, complaints: await models.Complaint.count({ where: { work_order_id: job.work_order_id }, transaction: tx }) };
    const current: SettlementJobRow = { ...job, facts: JSON.stringify(refreshed) };
    if (await periods.lockedIfOpen(Number(job.period_id), tx)) {
      // The snapshot is the input of its period: it may change only while that period is open.
      await models.SettlementJob.update({ facts: current.facts }, { where: { id: job.id }, transaction: tx });
      return (await pricing.replaceProvisional(current, tx))?.lines ?? [];
    }
    const own = await models.Period.findByPk(job.period_id, { raw: true, transaction: tx });
    if (own?.status === 'closing') throw conflict(`period ${own.code} is closing: correct this job once it is closed`);
    const target = await periods.currentOpen(tx);
    const settled = await settledLines(job, Number(target.id), tx);
    const fresh = await pricing.linesFor(current, refreshed, Number(target.id), tx);
    const before = new Map<string, { sum: number; first: LineRow }>();
    for (const line of settled) {
      const entry = before.get(keyOf(line));
      before.set(keyOf(line), { sum: (entry?.sum ?? 0) + Number(line.amount_fen), first: entry?.first ?? line });
    }
    const after = new Map<string, { sum: number; row: LineInsert }>();
    for (const row of fresh.rows) {
      const entry = after.get(keyOf(row));
      after.set(keyOf(row), { sum: (entry?.sum ?? 0) + row.amount_fen, row: entry?.row ?? row });
    }
    const now = new Date();
    const rows: LineInsert[] = [];
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const was = before.get(key);
      const now_ = after.get(key);
      const diff = (now_?.sum ?? 0) - (was?.sum ?? 0);
      if (diff === 0) continue;
      const template: LineInsert = was ? base(was.first, Number(target.id), now) : { ...(now_?.row as LineInsert), corrects_line_id: null };
      rows.push({
        ...template,
        ...(now_ && { rule_kind: now_.row.rule_kind, facts_used: now_.row.facts_used }),
        line_type: 'adjustment',
        period_id: Number(target.id),
        amount_fen: diff,
        formula: `调整（${reason}）：${formatYuan(was?.sum ?? 0)} → ${formatYuan(now_?.sum ?? 0)}，差额 ${formatYuan(diff)}`.slice(0, 500),
        created_at: now,
      });
    }
    const created = await models.Line.bulkCreate(rows, { transaction: tx });
    return created.map((c) => c.get({ plain: true }));
  }

  return {
    repriceIn,

    async reprice(actor: Actor, workOrderId: number, reason: string): Promise<LineRow[]> {
      return db.transaction(async (tx) => {
        const lines = await repriceIn(tx, await jobOf(actor, workOrderId, tx), reason);
        await audit.record({ action: 'settlement.job_repriced', targetType: 'work_order', targetId: workOrderId, after: { reason, lines: lines.map((l) => ({ id: Number(l.id), amountFen: Number(l.amount_fen), lineType: l.line_type })) } }, tx);
        return lines;
      });
    },

    async complain(actor: Actor, workOrderId: number, reason: string): Promise<LineRow[]> {
      return db.transaction(async (tx) => {
        const order = await models.WorkOrder.findByPk(workOrderId, { attributes: ['id', 'store_id'], raw: true, transaction: tx });
        if (!order || !canUseStore(actor, Number(order.store_id))) throw notFound('work order', workOrderId);
        await models.Complaint.create({ work_order_id: workOrderId, reason, created_by: actor.userId, created_at: new Date() }, { transaction: tx });
        const job = await models.SettlementJob.findOne({ where: { work_order_id: workOrderId }, raw: true, transaction: tx });
        const lines = job && !job.refunded_at ? await repriceIn(tx, job, `投诉：${reason}`) : [];
        await audit.record({ action: 'settlement.complaint_recorded', targetType: 'work_order', targetId: workOrderId, storeId: Number(order.store_id), after: { reason, lines: lines.length } }, tx);
        return lines;
      });
    },

    async refund(actor: Actor, workOrderId: number, reason: string): Promise<LineRow[]> {
      return db.transaction(async (tx) => {
        const job = await jobOf(actor, workOrderId, tx);
        if (job.refunded_at) throw conflict(`work order ${workOrderId} is already refunded`);
        const now = new Date();
        const open = await periods.lockedIfOpen(Number(job.period_id), tx);
        let lines: LineRow[] = [];
        if (open) {
          await models.SettlementJob.update({ refunded_at: now, excluded: true, lines_digest: null, line_keys: null }, { where: { id: job.id }, transaction: tx });
          await models.Line.destroy({ where: { period_id: job.period_id, work_order_id: workOrderId, line_type: 'job' }, transaction: tx });
        } else {
          const own = await models.Period.findByPk(job.period_id, { raw: true, transaction: tx });
          if (own?.status === 'closing') throw conflict(`period ${own.code} is closing: refund this job once it is closed`);
          const target = await periods.currentOpen(tx);
          const settled = await settledLines(job, Number(target.id), tx);
          const rows = settled.filter((l) => Number(l.amount_fen) !== 0).map((l) => ({ ...base(l, Number(target.id), now), formula: `退款冲销（${reason}）：#${l.id} ${formatYuan(-Number(l.amount_fen))}`.slice(0, 500) }));
          lines = (await models.Line.bulkCreate(rows, { transaction: tx })).map((c) => c.get({ plain: true }));
          await models.SettlementJob.update({ refunded_at: now }, { where: { id: job.id }, transaction: tx });
        }
        await audit.record({ action: 'settlement.job_refunded', targetType: 'work_order', targetId: workOrderId, after: { reason, reversals: lines.length, beforeClose: open !== null } }, tx);
        return lines;
      });
    },
  };
}

export type Adjustments = ReturnType<typeof createAdjustments>;
