import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { conflict, notFound } from '../../core/errors';
import { pageOf, toOffset } from '../../core/http/pagination';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import { formatYuan } from './engine';
import type { Periods } from './settlement-periods';
import type { SettlementScope } from './settlement-scope';
import type { RuleSetDefinition } from './settlement-rules';
import { lineStateOf, type LineRow } from './settlement.models';
import type { LineQuery, ResolveInput } from './settlement.schemas';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Lines with their payee, order number and rule names, for the API and exports. */
export function createLinePresenter(models: Models) {
  return async (rows: LineRow[], tx?: Transaction) => {
    const ids = (key: 'period_id' | 'payee_id' | 'work_order_id' | 'rule_set_version_id') => [...new Set(rows.map((r) => r[key]).filter((v): v is number => v !== null).map(Number))];
    const periodStatus = new Map((await models.Period.findAll({ where: { id: ids('period_id') }, attributes: ['id', 'status'], raw: true, transaction: tx })).map((p) => [Number(p.id), p.status]));
    const payees = new Map((await models.Payee.findAll({ where: { id: ids('payee_id') }, attributes: ['id', 'name', 'kind'], raw: true, transaction: tx })).map((p) => [Number(p.id), p]));
    const orders = new Map((await models.WorkOrder.findAll({ where: { id: ids('work_order_id') }, attributes: ['id', 'order_no', 'title', 'closed_at'], raw: true, transaction: tx })).map((o) => [Number(o.id), o]));
    const versions = await models.RuleSetVersion.findAll({ where: { id: ids('rule_set_version_id') }, raw: true, transaction: tx });
    const sets = new Map((await models.RuleSet.findAll({ where: { id: [...new Set(versions.map((v) => Number(v.rule_set_id)))] }, attributes: ['id', 'code'], raw: true, transaction: tx })).map((s) => [Number(s.id), s.code]));
    const versionOf = new Map(versions.map((v) => [Number(v.id), { code: sets.get(Number(v.rule_set_id)) ?? null, version: Number(v.version), rules: (JSON.parse(v.definition) as RuleSetDefinition).rules }]));
    return rows.map((row) => {
      const version = row.rule_set_version_id === null ? undefined : versionOf.get(Number(row.rule_set_version_id));
      const order = row.work_order_id === null ? undefined : orders.get(Number(row.work_order_id));
      return {
        id: Number(row.id),
        periodId: Number(row.period_id),
        payeeId: Number(row.payee_id),
        payeeName: payees.get(Number(row.payee_id))?.name ?? '',
        workOrderId: num(row.work_order_id),
        orderNo: order?.order_no ?? null,
        orderTitle: order?.title ?? null,
        ruleKey: row.rule_key,
        ruleName: version?.rules.find((r) => r.key === row.rule_key)?.name ?? row.rule_key,
        ruleKind: row.rule_kind,
        ruleSetCode: version?.code ?? null,
        ruleSetVersion: version?.version ?? null,
        lineType: row.line_type,
        state: lineStateOf(periodStatus.get(Number(row.period_id))),
        amountFen: Number(row.amount_fen),
        formula: row.formula,
        factsUsed: JSON.parse(row.facts_used) as Record<string, unknown>,
        rounding: row.rounding,
        correctsLineId: num(row.corrects_line_id),
        completedOn: row.completed_on,
        disputeStatus: row.dispute_status,
        disputeComment: row.dispute_comment,
        disputeResolution: row.dispute_resolution,
        createdAt: new Date(row.created_at).toISOString(),
      };
    });
  };
}
export type LineView = Awaited<ReturnType<ReturnType<typeof createLinePresenter>>>[number];

/** Listing lines in scope, and disputes: a held line stays out of payable until resolved. */
export function createLines(deps: { db: Database; models: Models; audit: AuditService; scope: SettlementScope; periods: Periods }) {
  const { db, models, audit, scope, periods } = deps;
  const present = createLinePresenter(models);

  async function scopedWhere(actor: Actor, where: WhereOptions): Promise<WhereOptions> {
    const visible = await scope.payeeIds(actor);
    return visible === null ? where : { [Op.and]: [where, { payee_id: visible }] };
  }

  async function lineInScope(actor: Actor, id: number, tx: Transaction): Promise<LineRow> {
    const row = await models.Line.findOne({ where: await scopedWhere(actor, { id }), raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
    if (!row) throw notFound('settlement line', id);
    return row;
  }

  return {
    present,
    scopedWhere,

    async list(actor: Actor, query: LineQuery) {
      const where: WhereOptions = {
        ...(query.periodId && { period_id: query.periodId }),
        ...(query.payeeId && { payee_id: query.payeeId }),
        ...(query.workOrderId && { work_order_id: query.workOrderId }),
        ...(query.disputed !== undefined && { dispute_status: query.disputed ? { [Op.ne]: 'none' } : 'none' }),
      };
      const { rows, count } = await findPage(models.Line, { where: await scopedWhere(actor, where), order: [['id', 'ASC']], ...toOffset(query), raw: true });
      return pageOf(await present(rows), count, query);
    },

    async dispute(actor: Actor, id: number, comment: string) {
      return db.transaction(async (tx) => {
        const line = await lineInScope(actor, id, tx);
        if (line.dispute_status === 'open') throw conflict(`line ${id} is already disputed`);
        await models.Line.update({ dispute_status: 'open', dispute_comment: comment, dispute_resolution: null }, { where: { id }, transaction: tx });
        await audit.record({ action: 'settlement.line_disputed', targetType: 'settlement_line', targetId: id, before: { disputeStatus: line.dispute_status }, after: { disputeStatus: 'open', comment } }, tx);
        return (await present([{ ...line, dispute_status: 'open', dispute_comment: comment, dispute_resolution: null }], tx))[0];
      });
    },

    /**
     * Resolves a dispute. A line held by an already closed statement is released into the current
     * open period (an adjustment of its amount); an optional extra amount becomes an adjustment too.
     */
    async resolve(actor: Actor, id: number, input: ResolveInput) {
      return db.transaction(async (tx) => {
        const line = await lineInScope(actor, id, tx);
        if (line.dispute_status !== 'open') throw conflict(`line ${id} has no open dispute`);
        await models.Line.update({ dispute_status: 'resolved', dispute_resolution: input.resolution }, { where: { id }, transaction: tx });
        const own = await models.Period.findByPk(line.period_id, { raw: true, transaction: tx });
        const amounts: Array<{ key: string; fen: number; formula: string }> = [];
        if (own?.status !== 'open') amounts.push({ key: 'dispute_release', fen: Number(line.amount_fen), formula: `争议解决，释放 #${id}：${formatYuan(Number(line.amount_fen))}` });
        if (input.adjustmentFen) amounts.push({ key: 'dispute_adjustment', fen: input.adjustmentFen, formula: `争议调整 #${id}（${input.resolution}）：${formatYuan(input.adjustmentFen)}` });
        const target = amounts.length ? await periods.currentOpen(tx) : null;
        const rows = amounts
          .filter((a) => a.fen !== 0)
          .map((a) => ({
            period_id: Number(target?.id),
            payee_id: Number(line.payee_id),
            work_order_id: num(line.work_order_id),
            rule_set_version_id: num(line.rule_set_version_id),
            rule_key: a.key,
            rule_kind: 'adjustment' as const,
            line_type: 'adjustment' as const,
            amount_fen: a.fen,
            formula: a.formula.slice(0, 500),
            facts_used: JSON.stringify({ disputedLineId: id }),
            rounding: 'HALF_UP',
            corrects_line_id: id,
            completed_on: line.completed_on,
            dispute_status: 'none' as const,
            dispute_comment: null,
            dispute_resolution: null,
            created_at: new Date(),
          }));
        const created = (await models.Line.bulkCreate(rows, { transaction: tx })).map((c) => c.get({ plain: true }));
        await audit.record({ action: 'settlement.dispute_resolved', targetType: 'settlement_line', targetId: id, before: { disputeStatus: 'open' }, after: { disputeStatus: 'resolved', resolution: input.resolution, adjustments: created.map((c) => ({ id: Number(c.id), amountFen: Number(c.amount_fen) })) } }, tx);
        return { line: (await present([{ ...line, dispute_status: 'resolved', dispute_resolution: input.resolution }], tx))[0], adjustments: await present(created, tx) };
      });
    },
  };
}

export type Lines = ReturnType<typeof createLines>;
