import { fn, col } from 'sequelize';
import type { Models } from '../../../core/db/models';

const SENT_STATUSES = new Set(['sent']);
const FAILED_STATUSES = new Set(['failed', 'not_friend', 'received_other']);

/** Recipient counts of a message by status and skip reason, and each employee's task with its counts. */
export async function massMessageStats(models: Models, massMessageId: number) {
  const grouped = (await models.MassMessageRecipient.findAll({
    where: { mass_message_id: massMessageId },
    attributes: ['status', 'reason', 'task_id', [fn('COUNT', col('id')), 'n']],
    group: ['status', 'reason', 'task_id'],
    raw: true,
  })) as unknown as Array<{ status: string; reason: string | null; task_id: number | null; n: number | string }>;
  const byStatus: Record<string, number> = {};
  const skippedByReason: Record<string, number> = {};
  const perTask = new Map<number, { sent: number; failed: number }>();
  let recipients = 0;
  for (const g of grouped) {
    const n = Number(g.n);
    recipients += n;
    byStatus[g.status] = (byStatus[g.status] ?? 0) + n;
    if (g.status === 'skipped' && g.reason) skippedByReason[g.reason] = (skippedByReason[g.reason] ?? 0) + n;
    if (g.task_id !== null) {
      const t = perTask.get(Number(g.task_id)) ?? { sent: 0, failed: 0 };
      if (SENT_STATUSES.has(g.status)) t.sent += n;
      if (FAILED_STATUSES.has(g.status)) t.failed += n;
      perTask.set(Number(g.task_id), t);
    }
  }
  const taskRows = await models.MassMessageTask.findAll({ where: { mass_message_id: massMessageId }, order: [['sender_userid', 'ASC'], ['chunk', 'ASC']], raw: true });
  const names = new Map(
    taskRows.length ? (await models.WecomEmployee.findAll({ where: { userid: [...new Set(taskRows.map((t) => t.sender_userid))] }, attributes: ['userid', 'name'], raw: true })).map((e) => [e.userid, e.name]) : [],
  );
  const tasks = taskRows.map((t) => ({
    id: Number(t.id),
    senderUserid: t.sender_userid,
    senderName: names.get(t.sender_userid) ?? null,
    chunk: Number(t.chunk),
    status: t.status,
    customerCount: Number(t.customer_count),
    sent: perTask.get(Number(t.id))?.sent ?? 0,
    failed: perTask.get(Number(t.id))?.failed ?? 0,
    error: t.error,
  }));
  return { stats: { recipients, byStatus, skippedByReason }, tasks };
}
