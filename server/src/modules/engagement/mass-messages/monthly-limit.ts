import { Op, fn, col, type Transaction } from 'sequelize';
import type { Models } from '../../../core/db/models';

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** The Asia/Shanghai calendar month holding `at`, as UTC instants [from, to). */
export function shanghaiMonth(at: Date): { from: Date; to: Date; days: number } {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const from = new Date(Date.UTC(year, month, 1) - SHANGHAI_OFFSET_MS);
  const to = new Date(Date.UTC(year, month + 1, 1) - SHANGHAI_OFFSET_MS);
  return { from, to, days: new Date(Date.UTC(year, month + 1, 0)).getUTCDate() };
}

/**
 * WeCom's monthly receive cap per customer for corp group messages. PROTOCOL §4.4 (add_msg_template)
 * says the cap is the number of days in the month by default, so that is what we apply, per
 * calendar month in Asia/Shanghai.
 */
export const monthlyCap = (at: Date): number => shanghaiMonth(at).days;

/**
 * How many of our group messages each customer was queued for in `at`'s month (Asia/Shanghai),
 * other than `exceptMessageId`. Messages still waiting for the employee's confirmation count: they
 * may yet be delivered this month.
 */
export async function receivedThisMonth(models: Models, customerIds: number[], at: Date, exceptMessageId: number | null, tx?: Transaction): Promise<Map<number, number>> {
  if (!customerIds.length) return new Map();
  const { from, to } = shanghaiMonth(at);
  const rows = (await models.MassMessageRecipient.findAll({
    where: {
      customer_id: customerIds,
      status: ['sent', 'not_sent'],
      queued_at: { [Op.gte]: from, [Op.lt]: to },
      ...(exceptMessageId !== null && { mass_message_id: { [Op.ne]: exceptMessageId } }),
    },
    attributes: ['customer_id', [fn('COUNT', col('id')), 'n']],
    group: ['customer_id'],
    raw: true,
    transaction: tx,
  })) as unknown as Array<{ customer_id: number; n: number | string }>;
  return new Map(rows.map((r) => [Number(r.customer_id), Number(r.n)]));
}
