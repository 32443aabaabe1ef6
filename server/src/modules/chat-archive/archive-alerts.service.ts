import { Op, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { conflict } from '../../core/errors';
import { pageOf, toOffset, type Page } from '../../core/http/pagination';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import { userNamesByWecomId } from '../customers/customer-360.deps';
import { orgNamesOf } from '../org/org-names';
import { archiveAlertScope, type ArchiveAlertRow } from './archive-compliance.models';
import type { AlertQuery, AlertView } from './archive-compliance.schemas';

/** Compliance alerts: listed and handled within the caller's store scope; handling is audited. */
export function createArchiveAlerts(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;
  const alerts = scopedQuery<ArchiveAlertRow>(models.ArchiveAlert, archiveAlertScope, 'compliance alert');

  async function present(rows: ArchiveAlertRow[]): Promise<AlertView[]> {
    const ids = (pick: (row: ArchiveAlertRow) => number | null) => [...new Set(rows.map(pick).filter((id): id is number => id !== null).map(Number))];
    const [employees, handlers, customers, storeName] = await Promise.all([
      userNamesByWecomId(models, rows.map((r) => r.employee_userid)),
      orgNamesOf(models).users(rows.map((r) => r.handled_by)),
      models.Customer.findAll({ where: { id: ids((r) => r.customer_id) }, attributes: ['id', 'name'], raw: true }),
      orgNamesOf(models).stores(rows.map((r) => r.store_id)),
    ]);
    const customerName = new Map(customers.map((c) => [Number(c.id), c.name]));
    return rows.map((row) => ({
      id: Number(row.id),
      messageId: Number(row.message_id),
      ruleId: Number(row.rule_id),
      ruleName: row.rule_name,
      severity: row.severity,
      employee: row.employee_userid,
      employeeName: row.employee_userid ? (employees.get(row.employee_userid)?.name ?? null) : null,
      customerId: row.customer_id === null ? null : Number(row.customer_id),
      customerName: row.customer_id === null ? null : (customerName.get(Number(row.customer_id)) ?? null),
      roomId: row.room_id,
      storeId: row.store_id === null ? null : Number(row.store_id),
      storeName: row.store_id === null ? null : (storeName.get(Number(row.store_id)) ?? null),
      excerpt: row.excerpt,
      time: row.msg_time,
      status: row.status,
      handledBy: row.handled_by === null ? null : (handlers.get(Number(row.handled_by)) ?? null),
      handledAt: row.handled_at,
      note: row.note,
      createdAt: row.created_at,
    }));
  }

  function filterWhere(query: AlertQuery): WhereOptions {
    const where: Record<string | symbol, unknown> = {};
    if (query.ruleId) where.rule_id = query.ruleId;
    if (query.storeId) where.store_id = query.storeId;
    if (query.employee) where.employee_userid = query.employee;
    if (query.status) where.status = query.status;
    if (query.from || query.to) where.msg_time = { ...(query.from && { [Op.gte]: query.from }), ...(query.to && { [Op.lt]: query.to }) };
    return where as WhereOptions;
  }

  return {
    async list(actor: Actor, query: AlertQuery): Promise<Page<AlertView>> {
      const { rows, total } = await alerts.page(actor, filterWhere(query), toOffset(query), [['id', 'DESC']]);
      return pageOf(await present(rows), total, query);
    },

    /** Marks an open alert handled with a note; another store's alert is reported as missing (404). */
    async handle(actor: Actor, id: number, note: string): Promise<AlertView> {
      const row = await db.transaction(async (tx) => {
        const alert = await alerts.byId(actor, id, tx);
        if (alert.status !== 'open') throw conflict(`compliance alert ${id} is already handled`);
        const handledAt = new Date();
        await models.ArchiveAlert.update({ status: 'handled', handled_by: actor.userId, handled_at: handledAt, note }, { where: { id, status: 'open' }, transaction: tx });
        await audit.record({ action: 'archive.alert_handled', targetType: 'archive_alert', targetId: id, storeId: alert.store_id === null ? null : Number(alert.store_id), before: { status: 'open' }, after: { status: 'handled', note } }, tx);
        return { ...alert, status: 'handled' as const, handled_by: actor.userId, handled_at: handledAt, note };
      });
      return (await present([row]))[0]!;
    },
  };
}

export type ArchiveAlerts = ReturnType<typeof createArchiveAlerts>;
