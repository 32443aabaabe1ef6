import type { WecomClient } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import type { Services } from '../../../app';
import type { Logger } from '../../../core/logger';
import type { WecomRuntime } from '../../wecom/wecom-runtime';
import type { MassTaskRow, RecipientStatus } from './mass-message.models';

/** get_groupmsg_send_result's status: 0 未发送, 1 已发送, 2 因客户不是好友导致发送失败, 3 因客户已经收到其他群发消息导致发送失败. */
const statusOf: Record<number, RecipientStatus> = { 0: 'not_sent', 1: 'sent', 2: 'not_friend', 3: 'received_other' };

type Deps = Pick<Services, 'db' | 'models'> & { runtime: WecomRuntime; log: Logger; now?: () => Date };

/**
 * Polls WeCom for the outcome of each employee's group-send task until the employee has sent it
 * (no customer left at 0) or the message's poll window has passed (then the task is expired).
 */
export function createMassResultPoller(deps: Deps) {
  const { db, models, log } = deps;
  const now = deps.now ?? (() => new Date());

  async function pollTask(client: WecomClient, task: MassTaskRow): Promise<boolean> {
    const groups = new Map<string, { status: RecipientStatus; sentAt: Date | null; ids: string[] }>();
    let waiting = 0;
    let seen = 0;
    for await (const r of client.messages.groupMsgSendResults(task.msgid!, task.sender_userid)) {
      if (!r.external_userid) continue;
      seen += 1;
      const status = statusOf[r.status ?? 0] ?? 'not_sent';
      if (status === 'not_sent') waiting += 1;
      const sentAt = status === 'sent' && r.send_time ? new Date(r.send_time * 1000) : null;
      const key = `${status}:${sentAt?.getTime() ?? ''}`;
      const group = groups.get(key) ?? groups.set(key, { status, sentAt, ids: [] }).get(key)!;
      group.ids.push(r.external_userid);
    }
    const done = seen > 0 && waiting === 0;
    await db.transaction(async (tx) => {
      for (const g of groups.values()) {
        await models.MassMessageRecipient.update({ status: g.status, sent_at: g.sentAt }, { where: { task_id: task.id, external_userid: g.ids, status: { [Op.in]: ['not_sent', 'sent', 'not_friend', 'received_other'] } }, transaction: tx });
      }
      if (done) await models.MassMessageTask.update({ status: 'sent', finished_at: now() }, { where: { id: task.id, status: 'waiting' }, transaction: tx });
    });
    return done;
  }

  /** Marks messages whose tasks are all finished; expires the waiting tasks of messages past their window. */
  async function settle(messageIds: number[]) {
    const at = now();
    for (const id of messageIds) {
      const message = await models.MassMessage.findByPk(id, { attributes: ['id', 'poll_until', 'finished_at'], raw: true });
      if (!message || message.finished_at) continue;
      if (message.poll_until && new Date(message.poll_until).getTime() <= at.getTime()) await models.MassMessageTask.update({ status: 'expired', finished_at: at }, { where: { mass_message_id: id, status: 'waiting' } });
      if (!(await models.MassMessageTask.count({ where: { mass_message_id: id, status: { [Op.in]: ['pending', 'waiting'] } } }))) await models.MassMessage.update({ finished_at: at }, { where: { id, finished_at: null } });
    }
  }

  async function pollMessages(where: Record<string, unknown>) {
    const messages = await models.MassMessage.findAll({ where: { status: 'sent', finished_at: null, ...where }, attributes: ['id', 'poll_until'], raw: true });
    const open = messages.filter((m) => !m.poll_until || new Date(m.poll_until).getTime() > now().getTime()).map((m) => Number(m.id));
    const tasks = open.length ? await models.MassMessageTask.findAll({ where: { mass_message_id: open, status: 'waiting', msgid: { [Op.ne]: null } }, order: [['id', 'ASC']], raw: true }) : [];
    const client = tasks.length ? await deps.runtime.appClient('customer') : null;
    let finished = 0;
    for (const task of client ? tasks : []) {
      try {
        if (await pollTask(client!, task)) finished += 1;
      } catch (error) {
        log.warn({ err: error, taskId: task.id }, 'group-send results could not be read; trying again on the next poll');
      }
    }
    await settle(messages.map((m) => Number(m.id)));
    return { polled: client ? tasks.length : 0, finished };
  }

  return {
    /** Every sent message still collecting results (the cron job, once across instances). */
    poll: () => pollMessages({}),
    /** One message now (the console's refresh). */
    pollOne: (massMessageId: number) => pollMessages({ id: massMessageId }),
  };
}

export type MassResultPoller = ReturnType<typeof createMassResultPoller>;
