import { isAllRecipientsInvalid } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import { z } from 'zod';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import type { ArchiveAlertRow } from './archive-compliance.models';

export const ALERT_NOTIFY_JOB = 'archive.alerts_notify';
/** Alerts listed in one app message; the rest are counted. */
const LISTED = 5;

const payload = z.object({ messageIds: z.array(z.number().int().positive()).min(1).max(5000) });

const severityText = { low: '低', medium: '中', high: '高' } as const;

/** The app message a store's managers get for one batch's alerts. */
export function alertDigest(alerts: ArchiveAlertRow[], names: Map<string, string>): string {
  const lines = alerts.slice(0, LISTED).map((a) => `· [${a.rule_name}/${severityText[a.severity]}] ${a.employee_userid ? (names.get(a.employee_userid) ?? a.employee_userid) : '—'}：${a.excerpt}`);
  const more = alerts.length > LISTED ? [`……另有 ${alerts.length - LISTED} 次命中`] : [];
  const messages = new Set(alerts.map((a) => a.message_id)).size;
  return [`会话存档合规提醒：${messages} 条消息触发合规规则（共 ${alerts.length} 次命中），请在后台「合规告警」中处理。`, ...lines, ...more].join('\n');
}

/**
 * Tells each store's managers about the alerts one archive batch raised: one WeCom app message per
 * store (so one per manager per batch, not one per hit), as a durable job enqueued with the batch.
 * Alerts already notified are skipped, and WeCom's duplicate check covers a crash between sending
 * and recording it.
 */
export function registerAlertNotify(deps: { models: Models; queue: JobQueue; runtime: WecomRuntime; log: Logger }): void {
  const { models, log } = deps;

  async function managersByStore(storeIds: number[]): Promise<Map<number, string[]>> {
    const role = await models.Role.findOne({ where: { code: 'store_manager' }, attributes: ['id'], raw: true });
    if (!role || !storeIds.length) return new Map();
    const users = await models.User.findAll({ where: { store_id: storeIds, role_id: role.id, status: 'active', wecom_userid: { [Op.ne]: null } }, attributes: ['store_id', 'wecom_userid'], raw: true });
    const byStore = new Map<number, string[]>();
    for (const user of users) byStore.set(Number(user.store_id), [...(byStore.get(Number(user.store_id)) ?? []), String(user.wecom_userid)]);
    return byStore;
  }

  async function send({ messageIds }: z.infer<typeof payload>): Promise<void> {
    const alerts = await models.ArchiveAlert.findAll({ where: { message_id: messageIds, notified_at: null }, order: [['id', 'ASC']], raw: true });
    if (!alerts.length) return;
    const client = await deps.runtime.appClient('agent');
    if (!client) {
      log.debug({ alerts: alerts.length }, 'WeCom agent app is not configured; compliance alerts not sent');
      return;
    }
    const byStore = new Map<number, ArchiveAlertRow[]>();
    for (const alert of alerts) if (alert.store_id !== null) byStore.set(Number(alert.store_id), [...(byStore.get(Number(alert.store_id)) ?? []), alert]);
    const managers = await managersByStore([...byStore.keys()]);
    const employees = await models.User.findAll({ where: { wecom_userid: [...new Set(alerts.map((a) => a.employee_userid).filter((id): id is string => !!id))] }, attributes: ['wecom_userid', 'display_name'], raw: true });
    const names = new Map(employees.map((u) => [String(u.wecom_userid), u.display_name]));
    for (const [storeId, storeAlerts] of byStore) {
      const touser = [...new Set(managers.get(storeId) ?? [])];
      if (!touser.length) continue;
      try {
        await client.messages.send({ touser: touser.join('|'), msgtype: 'text', text: { content: alertDigest(storeAlerts, names) }, enable_duplicate_check: 1, duplicate_check_interval: 1800 });
      } catch (error) {
        if (!isAllRecipientsInvalid(error)) throw error;
        log.warn({ storeId, touser }, 'compliance alert has no valid recipient');
      }
      await models.ArchiveAlert.update({ notified_at: new Date() }, { where: { id: storeAlerts.map((a) => a.id), notified_at: null } });
    }
    // Nobody to tell (no store, or a store without managers in WeCom): recorded as handled by the notifier.
    await models.ArchiveAlert.update({ notified_at: new Date() }, { where: { id: alerts.map((a) => a.id), notified_at: null } });
  }

  deps.queue.register({ type: ALERT_NOTIFY_JOB, payload, maxAttempts: 8, handle: (p) => send(p) });
}
