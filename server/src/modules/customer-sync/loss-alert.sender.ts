import { isAllRecipientsInvalid } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import { shanghaiMinute } from '../../core/time/business-time';
import type { WecomRuntime } from '../wecom/wecom-runtime';


/**
 * Sends one loss alert as a WeCom app message (the agent app) to the employee and the store
 * managers of the customer's store who are in WeCom. Runs as a durable job; an alert already sent is
 * never sent again, and WeCom's duplicate check covers a crash between sending and recording it.
 */
export function createLossAlertSender(deps: { models: Models; runtime: WecomRuntime; log: Logger }) {
  const { models, log } = deps;

  async function recipientsOf(storeId: number | null, employee: string): Promise<string[]> {
    if (storeId === null) return [employee];
    const role = await models.Role.findOne({ where: { code: 'store_manager' }, attributes: ['id'], raw: true });
    const managers = role
      ? await models.User.findAll({ where: { store_id: storeId, role_id: role.id, status: 'active', wecom_userid: { [Op.ne]: null } }, attributes: ['wecom_userid'], raw: true })
      : [];
    return [...new Set([employee, ...managers.map((m) => String(m.wecom_userid)).filter(Boolean)])];
  }

  return async function send({ alertId }: { alertId: number }): Promise<void> {
    const alert = await models.LossAlert.findByPk(alertId, { raw: true });
    if (!alert || alert.status !== 'pending') return;
    const customer = await models.Customer.findByPk(alert.customer_id, { attributes: ['name', 'store_id'], raw: true });
    const employee = await models.User.findOne({ where: { wecom_userid: alert.wecom_userid }, attributes: ['display_name', 'store_id'], raw: true });
    const storeId = alert.store_id ?? customer?.store_id ?? employee?.store_id ?? null;
    const recipients = await recipientsOf(storeId === null ? null : Number(storeId), alert.wecom_userid);
    const who = employee?.display_name ?? alert.wecom_userid;
    const name = customer?.name ?? '';
    // Business time for the reader: Asia/Shanghai (UTC+8, no daylight saving).
    const when = shanghaiMinute(new Date(alert.lost_at));
    const content =
      alert.reason === 'deleted_by_customer'
        ? `客户流失提醒：客户「${name}」删除了员工 ${who}（${when} 北京时间）。`
        : `客户流失提醒：员工 ${who} 删除了客户「${name}」（${when} 北京时间）。`;
    const client = await deps.runtime.requireAppClient('agent');
    try {
      const reply = await client.messages.send({ touser: recipients.join('|'), msgtype: 'text', text: { content }, enable_duplicate_check: 1, duplicate_check_interval: 3600 });
      const invalid = new Set((reply.invaliduser ?? '').split('|').filter(Boolean));
      await models.LossAlert.update(
        { status: 'sent', sent_at: new Date(), recipients: JSON.stringify(recipients.filter((r) => !invalid.has(r))), error: invalid.size ? `not delivered to ${[...invalid].join(', ')}` : null },
        { where: { id: alertId, status: 'pending' } },
      );
    } catch (error) {
      if (!isAllRecipientsInvalid(error)) throw error;
      log.warn({ alertId, recipients }, 'loss alert has no valid recipient');
      await models.LossAlert.update({ status: 'skipped', recipients: JSON.stringify([]), error: error.message.slice(0, 1000) }, { where: { id: alertId, status: 'pending' } });
    }
  };
}
