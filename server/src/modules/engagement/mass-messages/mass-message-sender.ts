import { WecomError } from '@scrm/wecom-adapter';
import { Op, fn, col, type Transaction } from 'sequelize';
import type { Services } from '../../../app';
import type { Logger } from '../../../core/logger';
import type { WecomRuntime } from '../../wecom/wecom-runtime';
import type { MediaCache } from '../media-cache';
import { audienceIds, type AudienceScope } from './mass-audience';
import type { MassMessageRow, MassTaskRow } from './mass-message.models';
import { massContent, type Audience } from './mass-message.schemas';
import { planRecipients } from './recipient-plan';

/** add_msg_template takes at most 10,000 external_userid per call (PROTOCOL §4.4). */
export const CUSTOMERS_PER_TASK = 10_000;
/** Results are polled this long after sending; employees who have not confirmed by then are given up on. */
export const POLL_WINDOW_MS = 3 * 86_400_000;
/** The sender is audited as the mass message itself (a job, not a person). */
export const MASS_MESSAGE_ACTOR = { id: null, name: 'mass message' };

const PAGE = 1000;

type Deps = Pick<Services, 'db' | 'models' | 'audit'> & { phone: Services['pii']['phone']; runtime: WecomRuntime; media: MediaCache; log: Logger; now?: () => Date };

const errorText = (error: unknown) => (error instanceof WecomError ? `${error.errcode} ${error.errmsg}` : error instanceof Error ? error.message : String(error)).slice(0, 255);

/**
 * Sends a mass message that was switched to `sending`: fixes its recipients (the audience now, plus
 * customers added to the draft), skips who cannot or may not receive it, and creates one WeCom
 * group-send task per owning employee and chunk of 10,000. Runs as a job; a rerun continues where it
 * stopped and never repeats a call whose outcome is unknown (the customers could get it twice).
 */
export function createMassMessageSender(deps: Deps) {
  const { db, models, audit, log } = deps;
  const now = deps.now ?? (() => new Date());

  async function plan(message: MassMessageRow, tx: Transaction) {
    const id = Number(message.id);
    const scope = JSON.parse(message.scope) as AudienceScope;
    const audience = JSON.parse(message.audience) as Audience;
    if (audience.type !== 'customers') {
      for await (const ids of audienceIds({ db, models, phone: deps.phone }, audience, scope, tx)) {
        await models.MassMessageRecipient.bulkCreate(ids.map((customerId) => ({ mass_message_id: id, customer_id: customerId, status: 'pending' as const })), { transaction: tx, ignoreDuplicates: true });
      }
    }
    let after = 0;
    for (;;) {
      const rows = await models.MassMessageRecipient.findAll({ where: { mass_message_id: id, status: 'pending', task_id: null, id: { [Op.gt]: after } }, attributes: ['id', 'customer_id'], order: [['id', 'ASC']], limit: PAGE, raw: true, transaction: tx });
      if (!rows.length) break;
      after = Number(rows[rows.length - 1]!.id);
      const planned = await planRecipients(models, rows.map((r) => Number(r.customer_id)), { massMessageId: id, scope, at: now() }, tx);
      for (const [i, p] of planned.entries()) {
        await models.MassMessageRecipient.update({ status: p.status, reason: p.reason, sender_userid: p.senderUserid, external_userid: p.externalUserid }, { where: { id: rows[i]!.id }, transaction: tx });
      }
    }
    const senders = (await models.MassMessageRecipient.findAll({ where: { mass_message_id: id, status: 'pending', task_id: null }, attributes: [[fn('DISTINCT', col('sender_userid')), 'sender_userid']], raw: true, transaction: tx })).map((r) => r.sender_userid!);
    for (const sender of senders.sort()) {
      const ids = (await models.MassMessageRecipient.findAll({ where: { mass_message_id: id, status: 'pending', task_id: null, sender_userid: sender }, attributes: ['id'], order: [['id', 'ASC']], raw: true, transaction: tx })).map((r) => Number(r.id));
      for (let n = 0; n * CUSTOMERS_PER_TASK < ids.length; n += 1) {
        const part = ids.slice(n * CUSTOMERS_PER_TASK, (n + 1) * CUSTOMERS_PER_TASK);
        const task = await models.MassMessageTask.create({ mass_message_id: id, sender_userid: sender, chunk: n, status: 'pending', customer_count: part.length }, { transaction: tx });
        await models.MassMessageRecipient.update({ task_id: Number(task.get('id')) }, { where: { id: part }, transaction: tx });
      }
    }
  }

  async function failTask(task: MassTaskRow, error: string) {
    await db.transaction(async (tx) => {
      await models.MassMessageTask.update({ status: 'failed', error, finished_at: now() }, { where: { id: task.id }, transaction: tx });
      await models.MassMessageRecipient.update({ status: 'failed', reason: 'call_failed', error }, { where: { task_id: task.id, status: 'pending' }, transaction: tx });
    });
  }

  async function call(task: MassTaskRow, send: (externalUserids: string[]) => Promise<{ msgid: string; fail_list: string[] }>) {
    // the claim: whoever sets called_at makes the call, so a task is never sent twice
    const [claimed] = await models.MassMessageTask.update({ called_at: now() }, { where: { id: task.id, called_at: null } });
    if (!claimed) return;
    const recipients = await models.MassMessageRecipient.findAll({ where: { task_id: task.id, status: 'pending' }, attributes: ['external_userid'], raw: true });
    let result: { msgid: string; fail_list: string[] };
    try {
      result = await send(recipients.map((r) => r.external_userid!));
    } catch (error) {
      log.warn({ err: error, massMessageId: task.mass_message_id, sender: task.sender_userid }, 'add_msg_template failed');
      return failTask(task, errorText(error));
    }
    const queuedAt = now();
    const refusedAll = result.fail_list.length >= recipients.length;
    await db.transaction(async (tx) => {
      const state = refusedAll ? { status: 'failed' as const, error: 'WeCom refused every customer of this employee (fail_list)', finished_at: queuedAt } : { status: 'waiting' as const };
      await models.MassMessageTask.update({ ...state, msgid: result.msgid }, { where: { id: task.id }, transaction: tx });
      if (result.fail_list.length) {
        await models.MassMessageRecipient.update({ status: 'failed', reason: 'wecom_refused', error: 'in fail_list of add_msg_template (not the sender\'s customer in WeCom)' }, { where: { task_id: task.id, external_userid: result.fail_list }, transaction: tx });
      }
      await models.MassMessageRecipient.update({ status: 'not_sent', queued_at: queuedAt }, { where: { task_id: task.id, status: 'pending' }, transaction: tx });
    });
  }

  async function finish(id: number) {
    const tasks = await models.MassMessageTask.findAll({ where: { mass_message_id: id }, attributes: ['status', 'error'], raw: true });
    const anyWaiting = tasks.some((t) => t.status === 'waiting');
    const allFailed = tasks.length > 0 && tasks.every((t) => t.status === 'failed');
    const at = now();
    const counts = (await models.MassMessageRecipient.findAll({ where: { mass_message_id: id }, attributes: ['status', [fn('COUNT', col('id')), 'n']], group: ['status'], raw: true })) as unknown as Array<{ status: string; n: number | string }>;
    await db.transaction(async (tx) => {
      await models.MassMessage.update(
        { status: allFailed ? 'failed' : 'sent', sent_at: at, poll_until: new Date(at.getTime() + POLL_WINDOW_MS), finished_at: anyWaiting ? null : at, error: allFailed ? tasks[0]!.error : null },
        { where: { id, status: 'sending' }, transaction: tx },
      );
      await audit.record({ action: 'engagement.mass_message_dispatched', targetType: 'mass_message', targetId: id, actor: MASS_MESSAGE_ACTOR, after: { tasks: tasks.length, recipients: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) } }, tx);
    });
  }

  return {
    async send(massMessageId: number): Promise<void> {
      const message = await models.MassMessage.findByPk(massMessageId, { raw: true });
      if (message?.status !== 'sending') return;
      const id = Number(message.id);
      if (!(await models.MassMessageTask.count({ where: { mass_message_id: id } }))) await db.transaction((tx) => plan(message, tx));
      // A call made before a crash has an unknown outcome: never repeated.
      for (const task of await models.MassMessageTask.findAll({ where: { mass_message_id: id, status: 'pending', called_at: { [Op.ne]: null } }, raw: true })) {
        await failTask(task, 'outcome unknown after an interruption; not sent again to avoid a duplicate');
      }
      const pending = await models.MassMessageTask.findAll({ where: { mass_message_id: id, status: 'pending' }, order: [['id', 'ASC']], raw: true });
      if (pending.length) {
        try {
          const client = await deps.runtime.requireAppClient('customer');
          const content = await deps.media.prepare(client, massContent.parse(JSON.parse(message.content)));
          for (const task of pending) {
            await call(task, (externalUserids) => client.messages.addMsgTemplate({ chat_type: 'single', sender: task.sender_userid, external_userid: externalUserids, ...content }));
          }
        } catch (error) {
          log.warn({ err: error, massMessageId: id }, 'mass message could not be prepared');
          for (const task of await models.MassMessageTask.findAll({ where: { mass_message_id: id, status: 'pending' }, raw: true })) await failTask(task, errorText(error));
        }
      }
      await finish(id);
    },
  };
}

export type MassMessageSender = ReturnType<typeof createMassMessageSender>;
