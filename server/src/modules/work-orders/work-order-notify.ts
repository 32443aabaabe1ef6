import { isAllRecipientsInvalid } from '@scrm/wecom-adapter';
import { Op, type Transaction } from 'sequelize';
import { z } from 'zod';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { WecomRuntime } from '../wecom/wecom-runtime';

export const NOTIFY_JOB = 'work_order.notify';

const notifyPayload = z.object({
  orderId: z.number().int().positive(),
  userIds: z.array(z.number().int().positive()).min(1).max(100),
  title: z.string().min(1).max(128),
  description: z.string().min(1).max(512),
});
export type WorkOrderNotice = z.infer<typeof notifyPayload>;

/**
 * WeCom app messages about work orders (a textcard linking to the order), sent by a durable job
 * enqueued in the transaction that made the change: nothing is sent for a change that rolled back,
 * and nothing is lost when WeCom is briefly unreachable. WeCom's duplicate check covers a crash
 * between sending and finishing the job.
 */
export function createWorkOrderNotifier(deps: { models: Models; queue: JobQueue; runtime: WecomRuntime; log: Logger; publicUrl?: string }) {
  const { models, queue, log } = deps;

  async function send(notice: WorkOrderNotice): Promise<void> {
    const client = await deps.runtime.client();
    if (!client) {
      log.debug({ orderId: notice.orderId }, 'WeCom is not connected; work order notice not sent');
      return;
    }
    const users = await models.User.findAll({ where: { id: notice.userIds, status: 'active', wecom_userid: { [Op.ne]: null } }, attributes: ['wecom_userid'], raw: true });
    const touser = [...new Set(users.map((u) => String(u.wecom_userid)))];
    if (!touser.length) return;
    const order = await models.WorkOrder.findByPk(notice.orderId, { attributes: ['order_no'], raw: true });
    const url = `${(deps.publicUrl ?? '').replace(/\/$/, '')}/m/#/orders/${notice.orderId}`;
    try {
      await client.messages.send({
        touser: touser.join('|'),
        msgtype: 'textcard',
        textcard: { title: notice.title, description: `${order?.order_no ?? ''} ${notice.description}`.trim(), url, btntxt: '查看工单' },
        enable_duplicate_check: 1,
        duplicate_check_interval: 1800,
      });
    } catch (error) {
      if (isAllRecipientsInvalid(error)) {
        log.warn({ orderId: notice.orderId, touser }, 'work order notice has no valid recipient');
        return;
      }
      throw error;
    }
  }

  queue.register({ type: NOTIFY_JOB, payload: notifyPayload, maxAttempts: 8, handle: (payload) => send(payload) });

  return {
    async notify(notice: WorkOrderNotice, tx: Transaction): Promise<void> {
      const userIds = [...new Set(notice.userIds)].filter((id) => id > 0);
      if (!userIds.length) return;
      await queue.enqueue(NOTIFY_JOB, { ...notice, userIds }, { transaction: tx });
    },
  };
}

export type WorkOrderNotifier = ReturnType<typeof createWorkOrderNotifier>;
