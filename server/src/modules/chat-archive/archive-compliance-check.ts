import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { ArchiveRuleRow } from './archive-compliance.models';
import { ALERT_NOTIFY_JOB } from './archive-alert-notify';
import { MAX_CHECKED_TEXT, matchRules, type CompiledRule } from './archive-rule-pattern';
import type { ArchiveMessageRow } from './chat-archive.models';

/** What the check reads of a freshly stored message. */
export type CheckedMessage = Pick<ArchiveMessageRow, 'msgid' | 'text' | 'store_id' | 'employee_userid' | 'customer_id' | 'external_userid' | 'room_id' | 'msg_time'>;

const EXCERPT_AROUND = 30;

interface LoadedRule {
  row: ArchiveRuleRow;
  compiled: CompiledRule[];
  stores: Set<number> | null;
}

function load(row: ArchiveRuleRow): LoadedRule {
  const words = row.kind === 'word' && row.keywords ? (JSON.parse(row.keywords) as string[]) : [];
  const compiled: CompiledRule[] = row.kind === 'word' ? words.map((pattern) => ({ id: Number(row.id), kind: 'word', pattern })) : [{ id: Number(row.id), kind: 'regex', pattern: row.pattern ?? '' }];
  return { row, compiled, stores: row.store_ids ? new Set((JSON.parse(row.store_ids) as number[]).map(Number)) : null };
}

/** Where a rule matched in the text (first match), with some context either side. */
export function excerptOf(rule: LoadedRule, text: string): string {
  const checked = text.slice(0, MAX_CHECKED_TEXT);
  let at = -1;
  let length = 0;
  if (rule.row.kind === 'word') {
    const lower = checked.toLowerCase();
    for (const word of rule.compiled) {
      const found = lower.indexOf(word.pattern.toLowerCase());
      if (found >= 0 && (at < 0 || found < at)) [at, length] = [found, word.pattern.length];
    }
  } else {
    const match = new RegExp(rule.row.pattern ?? '', 'iu').exec(checked);
    if (match) [at, length] = [match.index, match[0].length];
  }
  if (at < 0) return checked.slice(0, 2 * EXCERPT_AROUND);
  const start = Math.max(0, at - EXCERPT_AROUND);
  const end = Math.min(checked.length, at + length + EXCERPT_AROUND);
  return `${start > 0 ? '…' : ''}${checked.slice(start, end)}${end < checked.length ? '…' : ''}`.slice(0, 255);
}

/**
 * Checks a stored batch against the enabled compliance rules, in the batch's transaction: one rule
 * read, the matching in memory, one insert of the alerts (one per message and rule: a batch seen
 * twice raises nothing twice) and one notification job for the batch.
 */
export function createComplianceCheck(deps: { models: Models; queue: Pick<JobQueue, 'enqueue'>; log: Logger }) {
  const { models, queue, log } = deps;
  return async function checkBatch(messages: CheckedMessage[], tx: Transaction): Promise<number> {
    const texts = messages.filter((m) => m.text);
    if (!texts.length) return 0;
    const rules = (await models.ArchiveRule.findAll({ where: { enabled: true }, raw: true, transaction: tx })).map(load);
    if (!rules.length) return 0;
    const hits: Array<{ message: CheckedMessage; rule: LoadedRule }> = [];
    let unchecked = 0;
    for (const message of texts) {
      const applicable = rules.filter((rule) => !rule.stores || (message.store_id !== null && rule.stores.has(Number(message.store_id))));
      if (!applicable.length) continue;
      const result = matchRules(applicable.flatMap((rule) => rule.compiled), message.text!);
      if (result.unchecked) unchecked++;
      const hitIds = new Set(result.hits);
      for (const rule of applicable) if (hitIds.has(Number(rule.row.id))) hits.push({ message, rule });
    }
    if (unchecked) log.warn({ unchecked }, 'archive messages only partly checked against compliance rules: time budget spent');
    if (!hits.length) return 0;
    const ids = await models.ArchiveMessage.findAll({ where: { msgid: [...new Set(hits.map((h) => h.message.msgid))] }, attributes: ['id', 'msgid'], raw: true, transaction: tx });
    const idOf = new Map(ids.map((row) => [row.msgid, Number(row.id)]));
    const alerts = hits
      .filter((hit) => idOf.has(hit.message.msgid))
      .map(({ message, rule }) => ({
        message_id: idOf.get(message.msgid)!,
        msgid: message.msgid,
        rule_id: Number(rule.row.id),
        rule_name: rule.row.name,
        severity: rule.row.severity,
        employee_userid: message.employee_userid,
        customer_id: message.customer_id,
        external_userid: message.external_userid,
        room_id: message.room_id,
        store_id: message.store_id,
        excerpt: excerptOf(rule, message.text!),
        msg_time: message.msg_time,
      }));
    const existing = await models.ArchiveAlert.findAll({ where: { message_id: [...new Set(alerts.map((a) => a.message_id))] }, attributes: ['message_id', 'rule_id'], raw: true, transaction: tx });
    const raised = new Set(existing.map((a) => `${a.message_id}:${a.rule_id}`));
    const fresh = alerts.filter((a) => !raised.has(`${a.message_id}:${a.rule_id}`));
    if (!fresh.length) return 0;
    await models.ArchiveAlert.bulkCreate(fresh, { transaction: tx, ignoreDuplicates: true });
    await queue.enqueue(ALERT_NOTIFY_JOB, { messageIds: [...new Set(fresh.map((a) => a.message_id))] }, { transaction: tx });
    return fresh.length;
  };
}

export type ComplianceCheck = ReturnType<typeof createComplianceCheck>;
