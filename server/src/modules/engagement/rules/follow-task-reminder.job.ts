import { isAllRecipientsInvalid } from '@scrm/wecom-adapter';
import { z } from 'zod';
import type { Models } from '../../../core/db/models';
import type { JobQueue } from '../../../core/jobs/job-queue';
import { shanghaiMinute } from '../../../core/time/business-time';
import type { WecomRuntime } from '../../wecom/wecom-runtime';
import { TASK_REMINDER_JOB } from './rule-follow-ups';

const ATTEMPTS = 8;

/**
 * Reminds the assignee of a follow-up task with a WeCom app message (the agent app). Runs as a
 * durable job; a reminder already sent is never sent again, and WeCom's duplicate check covers a
 * crash between sending and recording it. An assignee without a WeCom account is skipped.
 */
export function registerFollowTaskReminders(deps: { models: Models; queue: JobQueue; runtime: WecomRuntime }): void {
  const { models } = deps;
  const settle = (id: number, changes: { reminder_status: 'sent' | 'skipped' | 'failed'; reminder_error?: string | null }) =>
    models.FollowTask.update(changes, { where: { id, reminder_status: 'pending' } });

  deps.queue.register({
    type: TASK_REMINDER_JOB,
    payload: z.object({ taskId: z.number().int() }),
    maxAttempts: ATTEMPTS,
    async handle({ taskId }, job) {
      const task = await models.FollowTask.findByPk(taskId, { raw: true });
      if (!task || task.reminder_status !== 'pending') return;
      const user = task.assignee_user_id === null ? null : await models.User.findByPk(task.assignee_user_id, { attributes: ['wecom_userid'], raw: true });
      if (!user?.wecom_userid) {
        await settle(taskId, { reminder_status: 'skipped', reminder_error: 'the assignee has no WeCom account' });
        return;
      }
      const customer = await models.Customer.findByPk(task.customer_id, { attributes: ['name'], raw: true });
      const content = `跟进任务提醒：客户「${customer?.name ?? ''}」— ${task.title}，请在 ${shanghaiMinute(new Date(task.due_at))}（北京时间）前完成。`;
      try {
        const client = await deps.runtime.requireAppClient('agent');
        await client.messages.send({ touser: user.wecom_userid, msgtype: 'text', text: { content }, enable_duplicate_check: 1, duplicate_check_interval: 3600 });
        await settle(taskId, { reminder_status: 'sent', reminder_error: null });
      } catch (error) {
        if (isAllRecipientsInvalid(error)) {
          await settle(taskId, { reminder_status: 'skipped', reminder_error: error.message.slice(0, 512) });
          return;
        }
        if (job.attempt >= ATTEMPTS) await settle(taskId, { reminder_status: 'failed', reminder_error: (error instanceof Error ? error.message : String(error)).slice(0, 512) });
        throw error;
      }
    },
  });
}
