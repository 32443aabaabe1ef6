import { isAllRecipientsInvalid } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import type { Models } from '../../../core/db/models';
import type { Logger } from '../../../core/logger';
import { shanghaiMinute } from '../../../core/time/business-time';
import type { WecomRuntime } from '../../wecom/wecom-runtime';
import type { FollowTaskRow } from '../engagement.models';

/** Every five minutes (Asia/Shanghai), elected once across instances. */
export const OVERDUE_SCHEDULE = '30 */5 * * * *';
/** Tasks looked at per run; the rest wait for the next run. */
const BATCH = 500;
/** Tasks named in one message; the others are counted. */
const LISTED = 10;

/**
 * The second reminder of follow-up tasks: once a task is past due and still open, its assignee gets
 * one WeCom app message naming their overdue tasks, and each task is marked so it is named once. A
 * failed send is tried again on the next run (WeCom's duplicate check covers a crash between sending
 * and marking); an assignee without a WeCom account, or one WeCom refuses, is not tried again.
 * Without the WeCom agent app set up, tasks wait and are reminded once it is.
 */
export function createOverdueReminders(deps: { models: Models; runtime: WecomRuntime; log: Logger }) {
  const { models, log } = deps;
  const mark = (ids: number[], at: Date) => models.FollowTask.update({ overdue_reminded_at: at }, { where: { id: ids, overdue_reminded_at: null } });

  function message(tasks: FollowTaskRow[], names: Map<number, string>): string {
    const lines = tasks.slice(0, LISTED).map((t) => `· 客户「${names.get(Number(t.customer_id)) ?? ''}」— ${t.title}（${shanghaiMinute(new Date(t.due_at))} 到期）`);
    const more = tasks.length > LISTED ? `\n…等共 ${tasks.length} 个` : '';
    return `你有 ${tasks.length} 个跟进任务已到期未完成（北京时间）：\n${lines.join('\n')}${more}`;
  }

  return {
    /** Reminds the assignees of tasks due by `now`; answers how many tasks were named and how many skipped. */
    async run(now = new Date()): Promise<{ reminded: number; skipped: number }> {
      // Without the agent app nothing can be sent: the tasks wait until it is set up.
      const client = await deps.runtime.appClient('agent');
      if (!client) return { reminded: 0, skipped: 0 };
      const due = await models.FollowTask.findAll({ where: { status: 'open', overdue_reminded_at: null, due_at: { [Op.lte]: now }, assignee_user_id: { [Op.ne]: null } }, order: [['due_at', 'ASC']], limit: BATCH, raw: true });
      const result = { reminded: 0, skipped: 0 };
      if (!due.length) return result;
      const byAssignee = new Map<number, FollowTaskRow[]>();
      for (const task of due) {
        const tasks = byAssignee.get(Number(task.assignee_user_id));
        if (tasks) tasks.push(task);
        else byAssignee.set(Number(task.assignee_user_id), [task]);
      }
      const accounts = new Map((await models.User.findAll({ where: { id: [...byAssignee.keys()] }, attributes: ['id', 'wecom_userid'], raw: true })).map((u) => [Number(u.id), u.wecom_userid]));
      // Every customer name the messages need, in one read.
      const names = new Map((await models.Customer.findAll({ where: { id: [...new Set(due.map((t) => Number(t.customer_id)))] }, attributes: ['id', 'name'], raw: true })).map((c) => [Number(c.id), c.name]));
      for (const [userId, tasks] of byAssignee) {
        const ids = tasks.map((t) => Number(t.id));
        const touser = accounts.get(userId);
        if (!touser) {
          await mark(ids, now);
          result.skipped += ids.length;
          continue;
        }
        try {
          await client.messages.send({ touser, msgtype: 'text', text: { content: message(tasks, names) }, enable_duplicate_check: 1, duplicate_check_interval: 3600 });
          await mark(ids, now);
          result.reminded += ids.length;
        } catch (error) {
          if (isAllRecipientsInvalid(error)) {
            await mark(ids, now);
            result.skipped += ids.length;
            continue;
          }
          log.warn({ err: error, userId, tasks: ids.length }, 'overdue follow-up task reminder not sent; trying again next run');
        }
      }
      return result;
    },
  };
}
