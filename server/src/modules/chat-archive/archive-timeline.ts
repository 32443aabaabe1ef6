import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import { BUSINESS_TIME_ZONE } from '../../core/jobs/scheduler';
import { createTimelineWriter, type TimelineEntry } from '../customers/customer-timeline';
import { archiveSettingKeys } from './archive-settings.service';
import type { ArchiveMessageRow } from './chat-archive.models';

const businessDay = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

type StoredRow = Pick<ArchiveMessageRow, 'customer_id' | 'store_id' | 'external_userid' | 'employee_userid' | 'msg_time'>;

/**
 * One timeline entry per customer, employee and business day with archived messages: a pointer to
 * the 会话存档 tab, never message content. Where the corp requires consent, only for customers who
 * had agreed when the messages were stored (consent messages of the same batch count).
 */
export async function recordConversationDays(models: Models, rows: StoredRow[], tx: Transaction): Promise<void> {
  const withCustomer = rows.filter((row) => row.customer_id !== null && row.msg_time);
  if (!withCustomer.length) return;
  const required = (await models.Setting.findOne({ where: { key: archiveSettingKeys.consentRequired }, raw: true, transaction: tx }))?.value === 'true';
  let allowed = (_row: StoredRow) => true;
  if (required) {
    const externals = [...new Set(withCustomer.map((row) => row.external_userid).filter((e): e is string => Boolean(e)))];
    const agreed = externals.length ? await models.ArchiveConsent.findAll({ where: { external_userid: externals, status: 'agreed' }, attributes: ['external_userid'], raw: true, transaction: tx }) : [];
    const agreedSet = new Set(agreed.map((c) => c.external_userid));
    allowed = (row) => Boolean(row.external_userid && agreedSet.has(row.external_userid));
  }
  const entries = new Map<string, TimelineEntry>();
  for (const row of withCustomer.filter(allowed)) {
    const day = businessDay.format(row.msg_time!);
    const dedupeKey = `archive:${row.customer_id}:${row.employee_userid ?? ''}:${day}`;
    if (!entries.has(dedupeKey)) {
      entries.set(dedupeKey, {
        customerId: Number(row.customer_id),
        storeId: row.store_id,
        kind: 'archive.conversation',
        summary: row.employee_userid ? `会话存档：与 ${row.employee_userid} 的会话` : '会话存档：会话',
        payload: { day, employee: row.employee_userid },
        wecomUserid: row.employee_userid,
        occurredAt: row.msg_time!,
        dedupeKey,
      });
    }
  }
  if (entries.size) await createTimelineWriter(models).record([...entries.values()], tx);
}
