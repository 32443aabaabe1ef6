import { fn, col, Op, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { AppError, conflict, notFound, validationFailed } from '../../core/errors';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { Actor } from '../access/actor';
import { withinScope } from '../access/data-scope';
import type { AuditService } from '../audit/audit.service';
import type { DepartedEmployees } from './departed-employees.service';
import { assertReaches, employeeByUserid, employeesByUserid, presentEmployee, type Employee } from './handover-people';
import { OPEN_STATUSES, settleHandover } from './handover-outcome';
import type { HandoverSubmitter } from './handover-submitter';
import type { HandoverTracker } from './handover-tracker';
import type { HandoverInput, HandoverFilter, ItemFilter } from './handover.schemas';
import { handoverScope, type HandoverItemRow, type HandoverRow } from './handover.models';
import { orgNamesOf } from '../org/org-names';

export const SUBMIT_JOB = 'handover.submit';
/** The backing job runs a little later: the request usually submits everything itself. */
const BACKUP_DELAY_MS = 60_000;

export function createHandoverService(deps: { db: Database; models: Models; audit: AuditService; queue: JobQueue; log: Logger; departed: DepartedEmployees; submitter: HandoverSubmitter; tracker: HandoverTracker }) {
  const { db, models, audit, queue, log, departed, submitter, tracker } = deps;

  /** Both employees' stores must be in the actor's scope; a store-less handover is for those who see every store. */
  const scoped = (actor: Actor, where: WhereOptions = {}): WhereOptions =>
    actor.storeIds === null ? where : { [Op.and]: [withinScope(actor, handoverScope, where), { takeover_store_id: [...actor.storeIds] }] };

  async function byId(actor: Actor, id: number): Promise<HandoverRow> {
    const row = await models.Handover.findOne({ where: scoped(actor, { id }), raw: true });
    if (!row) throw notFound('handover', id);
    return row;
  }

  async function countsOf(ids: number[]) {
    const rows = ids.length
      ? ((await models.HandoverItem.findAll({ attributes: ['handover_id', 'status', 'fail_reason', [fn('COUNT', col('id')), 'count']], where: { handover_id: ids }, group: ['handover_id', 'status', 'fail_reason'], raw: true })) as unknown as Array<{ handover_id: number; status: string; fail_reason: string | null; count: number }>)
      : [];
    const out = new Map<number, { total: number; done: number; pending: number; failed: number; refused: number }>();
    for (const id of ids) out.set(id, { total: 0, done: 0, pending: 0, failed: 0, refused: 0 });
    for (const row of rows) {
      const c = out.get(Number(row.handover_id));
      if (!c) continue;
      const n = Number(row.count);
      c.total += n;
      if (row.status === 'done') c.done += n;
      else if (row.status === 'failed') {
        c.failed += n;
        if (row.fail_reason === 'customer_refused') c.refused += n;
      } else c.pending += n;
    }
    return out;
  }

  async function present(rows: HandoverRow[]) {
    const ids = rows.map((r) => Number(r.id));
    const counts = await countsOf(ids);
    const people = await employeesByUserid(models, rows.flatMap((r) => [r.handover_userid, r.takeover_userid]));
    const creators = await orgNamesOf(models).users(rows.map((r) => r.created_by));
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      status: r.status,
      handover: presentEmployee(people.get(r.handover_userid) as Employee),
      takeover: presentEmployee(people.get(r.takeover_userid) as Employee),
      transferMessage: r.transfer_message,
      counts: counts.get(Number(r.id)) ?? { total: 0, done: 0, pending: 0, failed: 0, refused: 0 },
      createdBy: r.created_by === null ? null : (creators.get(Number(r.created_by)) ?? null),
      createdAt: new Date(r.created_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    }));
  }

  /** Submits inline so the reply shows WeCom's per-item answers; the backing job covers a crash or an outage. */
  async function submitNow(id: number) {
    try {
      await submitter.submit(id);
    } catch (error) {
      log.warn({ err: error, handoverId: id }, 'submitting a handover failed; the background job retries');
      await queue.enqueue(SUBMIT_JOB, { handoverId: id }, { runAt: new Date(Date.now() + BACKUP_DELAY_MS) });
    }
  }

  async function resolvePeople(actor: Actor, input: HandoverInput) {
    const handover = await employeeByUserid(models, input.handoverUserid);
    const takeover = await employeeByUserid(models, input.takeoverUserid);
    if (takeover.status !== 'active') throw validationFailed([{ path: 'body.takeoverUserid', message: 'must be an active employee known to the directory' }]);
    if (input.kind === 'in_service' && handover.status !== 'active') throw validationFailed([{ path: 'body.handoverUserid', message: 'is not a serving employee: use a resigned handover' }]);
    if (input.kind === 'resigned' && handover.status === 'active') throw validationFailed([{ path: 'body.handoverUserid', message: 'has not left: use an in-service handover' }]);
    if (input.kind === 'resigned' && handover.status !== 'departed' && !(await departed.unassignedOf(handover.userid)).length) {
      throw validationFailed([{ path: 'body.handoverUserid', message: 'is not an employee who left WeCom' }]);
    }
    assertReaches(actor, handover, 'body.handoverUserid');
    assertReaches(actor, takeover, 'body.takeoverUserid');
    return { handover, takeover };
  }

  async function resolveTargets(input: HandoverInput) {
    const open = async (targets: string[]) =>
      new Set((targets.length ? await models.HandoverItem.findAll({ where: { target_id: targets, status: [...OPEN_STATUSES] }, attributes: ['target_id'], raw: true }) : []).map((i) => i.target_id));
    let customers = input.externalUserids;
    if (!customers) {
      const follows = await models.CustomerFollow.findAll({ where: { wecom_userid: input.handoverUserid, status: 'active' }, attributes: ['customer_id'], raw: true });
      const rows = follows.length ? await models.Customer.findAll({ where: { id: follows.map((f) => f.customer_id), external_userid: { [Op.ne]: null } }, attributes: ['external_userid'], raw: true }) : [];
      customers = [...rows.map((c) => c.external_userid as string), ...(input.kind === 'resigned' ? await departed.unassignedOf(input.handoverUserid) : [])];
    }
    let groups = input.chatIds;
    if (!groups) groups = (await models.GroupChat.findAll({ where: { owner_wecom_userid: input.handoverUserid, dismissed_at: null }, attributes: ['chat_id'], raw: true })).map((g) => g.chat_id);
    customers = [...new Set(customers)];
    groups = [...new Set(groups)];
    const busy = await open([...customers, ...groups]);
    if (busy.size && (input.externalUserids || input.chatIds)) {
      throw conflict('some customers or chats are already in a running handover', [...busy].slice(0, 50).map((id) => ({ path: 'body', message: `${id} is in a running handover` })));
    }
    customers = customers.filter((id) => !busy.has(id));
    groups = groups.filter((id) => !busy.has(id));
    if (!customers.length && !groups.length) throw validationFailed([{ path: 'body', message: 'nothing to hand over: the employee has no customers or group chats waiting' }]);
    return { customers, groups };
  }

  return {
    async create(actor: Actor, input: HandoverInput) {
      const { handover, takeover } = await resolvePeople(actor, input);
      const targets = await resolveTargets(input);
      const id = await db.transaction(async (tx) => {
        const created = (
          await models.Handover.create(
            {
              kind: input.kind,
              handover_userid: handover.userid,
              takeover_userid: takeover.userid,
              handover_user_id: handover.userId,
              takeover_user_id: takeover.userId,
              handover_store_id: handover.storeId,
              takeover_store_id: takeover.storeId,
              transfer_message: input.transferMessage ?? null,
              status: 'running',
              created_by: actor.userId,
            },
            { transaction: tx },
          )
        ).get({ plain: true });
        const customerIds = new Map((targets.customers.length ? await models.Customer.findAll({ where: { external_userid: targets.customers }, attributes: ['id', 'external_userid'], raw: true, transaction: tx }) : []).map((c) => [c.external_userid, Number(c.id)]));
        const chatIds = new Map((targets.groups.length ? await models.GroupChat.findAll({ where: { chat_id: targets.groups }, attributes: ['id', 'chat_id'], raw: true, transaction: tx }) : []).map((g) => [g.chat_id, Number(g.id)]));
        const items = [
          ...targets.customers.map((target) => ({ handover_id: created.id, item_type: 'customer' as const, target_id: target, customer_id: customerIds.get(target) ?? null, status: 'queued' as const })),
          ...targets.groups.map((target) => ({ handover_id: created.id, item_type: 'group' as const, target_id: target, group_chat_id: chatIds.get(target) ?? null, status: 'queued' as const })),
        ];
        for (let at = 0; at < items.length; at += 500) await models.HandoverItem.bulkCreate(items.slice(at, at + 500), { transaction: tx });
        await audit.record(
          {
            action: 'handover.created',
            targetType: 'handover',
            targetId: created.id,
            storeId: handover.storeId,
            after: { kind: input.kind, handover: handover.userid, takeover: takeover.userid, customers: targets.customers.length, groups: targets.groups.length, takeoverStoreId: takeover.storeId },
          },
          tx,
        );
        await queue.enqueue(SUBMIT_JOB, { handoverId: Number(created.id) }, { transaction: tx, runAt: new Date(Date.now() + BACKUP_DELAY_MS), dedupeKey: `handover-submit:${created.id}` });
        return Number(created.id);
      });
      await submitNow(id);
      return (await present([await byId(actor, id)]))[0];
    },

    async list(actor: Actor, filter: HandoverFilter, range: { offset: number; limit: number }) {
      const where = { ...(filter.status && { status: filter.status }), ...(filter.kind && { kind: filter.kind }), ...(filter.handoverUserid && { handover_userid: filter.handoverUserid }) };
      const { rows, count } = await findPage(models.Handover, { where: scoped(actor, where), order: [['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true });
      return { items: await present(rows), total: count };
    },

    get: async (actor: Actor, id: number) => (await present([await byId(actor, id)]))[0],

    async items(actor: Actor, id: number, filter: ItemFilter, range: { offset: number; limit: number }) {
      await byId(actor, id);
      const status = filter.status === 'open' ? [...OPEN_STATUSES] : filter.status;
      const where = { handover_id: id, ...(status && { status }), ...(filter.type && { item_type: filter.type }) };
      // Failed items first (refusals are what needs attention), then in submission order.
      const { rows, count } = await findPage(models.HandoverItem, { where, order: [[db.sequelize.literal("CASE WHEN status = 'failed' THEN 0 ELSE 1 END"), 'ASC'], ['id', 'ASC']], offset: range.offset, limit: range.limit, raw: true });
      const names = await namesOf(rows);
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          type: r.item_type,
          targetId: r.target_id,
          name: names.get(`${r.item_type}:${r.target_id}`) ?? null,
          customerId: r.customer_id === null ? null : Number(r.customer_id),
          status: r.status,
          wecomStatus: r.wecom_status === null ? null : Number(r.wecom_status),
          errcode: r.errcode === null ? null : Number(r.errcode),
          failReason: r.fail_reason,
          failDetail: r.fail_detail,
          attempts: Number(r.attempts),
          submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
          settledAt: r.settled_at ? new Date(r.settled_at).toISOString() : null,
        })),
        total: count,
      };
    },

    /** Queues failed items again (all, or the ones named) and submits them. */
    async retry(actor: Actor, id: number, itemIds?: number[]) {
      const handover = await byId(actor, id);
      const where = { handover_id: id, status: 'failed', ...(itemIds && { id: itemIds }) };
      const retried = await db.transaction(async (tx) => {
        const [count] = await models.HandoverItem.update({ status: 'queued', errcode: null, fail_reason: null, fail_detail: null, wecom_status: null, settled_at: null, claim: null }, { where, transaction: tx });
        if (!count) throw new AppError('CONFLICT', 'no failed items to retry');
        await settleHandover(models, id, tx);
        await audit.record({ action: 'handover.retried', targetType: 'handover', targetId: id, storeId: handover.handover_store_id, after: { items: count, itemIds: itemIds ?? 'all failed' } }, tx);
        return count;
      });
      log.info({ handoverId: id, retried }, 'handover items queued again');
      await submitNow(id);
      return (await present([await byId(actor, id)]))[0];
    },

    /** Asks WeCom for the results now instead of waiting for the scheduled poll. */
    async refresh(actor: Actor, id: number) {
      await byId(actor, id);
      await tracker.poll(id);
      return (await present([await byId(actor, id)]))[0];
    },
  };

  async function namesOf(rows: HandoverItemRow[]) {
    const names = new Map<string, string>();
    const customers = rows.filter((r) => r.item_type === 'customer').map((r) => r.target_id);
    const groups = rows.filter((r) => r.item_type === 'group').map((r) => r.target_id);
    if (customers.length) for (const c of await models.Customer.findAll({ where: { external_userid: customers }, attributes: ['external_userid', 'name'], raw: true })) names.set(`customer:${c.external_userid}`, c.name);
    if (groups.length) for (const g of await models.GroupChat.findAll({ where: { chat_id: groups }, attributes: ['chat_id', 'name'], raw: true })) if (g.name) names.set(`group:${g.chat_id}`, g.name);
    return names;
  }
}

export type HandoverService = ReturnType<typeof createHandoverService>;
