import type { Services } from '../../../app';
import { pageOf, toOffset } from '../../../core/http/pagination';
import type { Actor } from '../../access/actor';
import { scopedQuery } from '../../access/scoped-query';
import type { FollowTaskRow } from '../engagement.models';
import type { FollowTaskQuery, FollowTaskView } from './follow-task.schemas';
import { orgNamesOf } from '../../org/org-names';

type Deps = Pick<Services, 'db' | 'models' | 'audit'>;

/** A task belongs to the customer's store and to its assignee (the `self` scope sees its own tasks). */
const taskScope = { store: 'store_id', owner: 'assignee_user_id' } as const;

/** Follow-up tasks (跟进任务) automation rules create: listed in the data scope, marked done by whoever does them. */
export function createFollowTaskService(deps: Deps) {
  const { db, models, audit } = deps;
  const tasks = scopedQuery<FollowTaskRow>(models.FollowTask, taskScope, 'follow-up task');

  async function present(rows: FollowTaskRow[], now = new Date()): Promise<FollowTaskView[]> {
    const ids = (pick: (r: FollowTaskRow) => number | null) => [...new Set(rows.map(pick).filter((v): v is number => v !== null).map(Number))];
    const [customers, userNames, rules] = await Promise.all([
      models.Customer.findAll({ where: { id: ids((r) => r.customer_id) }, attributes: ['id', 'name'], raw: true }),
      orgNamesOf(models).users(rows.map((r) => r.assignee_user_id)),
      models.EngagementRule.findAll({ where: { id: ids((r) => r.rule_id) }, attributes: ['id', 'name'], raw: true }),
    ]);
    const name = <T extends { id: number }>(list: T[], label: (t: T) => string) => new Map(list.map((t) => [Number(t.id), label(t)]));
    const customerNames = name(customers, (c) => c.name);
    const ruleNames = name(rules, (r) => r.name);
    return rows.map((r) => ({
      id: Number(r.id),
      title: r.title,
      status: r.status,
      dueAt: new Date(r.due_at).toISOString(),
      overdue: r.status === 'open' && new Date(r.due_at) < now,
      customerId: Number(r.customer_id),
      customerName: customerNames.get(Number(r.customer_id)) ?? null,
      assigneeUserId: r.assignee_user_id === null ? null : Number(r.assignee_user_id),
      assigneeName: r.assignee_user_id === null ? null : (userNames.get(Number(r.assignee_user_id)) ?? null),
      ruleId: r.rule_id === null ? null : Number(r.rule_id),
      ruleName: r.rule_id === null ? null : (ruleNames.get(Number(r.rule_id)) ?? null),
      reminderStatus: r.reminder_status,
      reminderError: r.reminder_error,
      doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  return {
    async list(actor: Actor, query: FollowTaskQuery) {
      const where = {
        ...(query.status && { status: query.status }),
        ...(query.assigneeUserId && { assignee_user_id: query.assigneeUserId }),
        ...(query.customerId && { customer_id: query.customerId }),
      };
      const order: Array<[string, string]> = [['status', 'DESC'], ['due_at', 'ASC'], ['id', 'ASC']];
      const found = await tasks.page(actor, where, toOffset(query), order);
      return pageOf(await present(found.rows), found.total, query);
    },

    /** Marks a task done (once; doing it again changes nothing). */
    async complete(actor: Actor, id: number) {
      await db.transaction(async (tx) => {
        const task = await tasks.byId(actor, id, tx);
        if (task.status === 'done') return;
        await models.FollowTask.update({ status: 'done', done_at: new Date(), done_by_user_id: actor.userId }, { where: { id }, transaction: tx });
        await audit.record({ action: 'engagement.task_done', targetType: 'engagement_follow_task', targetId: id, storeId: task.store_id === null ? null : Number(task.store_id), before: { status: task.status }, after: { status: 'done' } }, tx);
      });
      const [view] = await present([await tasks.byId(actor, id)]);
      return view!;
    },
  };
}

export type FollowTaskService = ReturnType<typeof createFollowTaskService>;
