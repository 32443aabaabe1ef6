import { randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { WecomError, type WecomClient } from '@scrm/wecom-adapter';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { failItem, failReasonOf, settleHandover } from './handover-outcome';
import type { HandoverItemRow, HandoverItemType, HandoverRow } from './handover.models';

/** WeCom takes at most 100 customers or chats per transfer call. */
export const BATCH = 100;

/**
 * Sends a handover's queued items to WeCom in batches. Each batch is claimed first (a conditional
 * update with a fresh claim mark), so two submitters — the request that created the handover and the
 * job that backs it up — never send one item twice. A batch whose outcome is unknown (the connection
 * dropped) stays `submitting`; the result poll settles it.
 */
export function createHandoverSubmitter(deps: { models: Models; runtime: WecomRuntime; log: Logger }) {
  const { models, runtime, log } = deps;

  async function claim(handoverId: number, type: HandoverItemType): Promise<HandoverItemRow[]> {
    const ids = (await models.HandoverItem.findAll({ where: { handover_id: handoverId, item_type: type, status: 'queued' }, attributes: ['id'], order: [['id', 'ASC']], limit: BATCH, raw: true })).map((r) => r.id);
    if (!ids.length) return [];
    const mark = randomBytes(12).toString('hex');
    await models.HandoverItem.update(
      { status: 'submitting', claim: mark, submitted_at: new Date(), attempts: models.HandoverItem.sequelize!.literal('attempts + 1') as unknown as number },
      { where: { id: ids, status: 'queued' } },
    );
    return models.HandoverItem.findAll({ where: { claim: mark }, order: [['id', 'ASC']], raw: true });
  }

  /** A definite refusal of the whole call fails the batch; an unknown outcome leaves it for the poll. */
  async function failBatch(batch: HandoverItemRow[], error: unknown): Promise<boolean> {
    if (error instanceof WecomError && error.httpStatus === undefined && error.transportCode === undefined && error.errcode > 0) {
      for (const item of batch) await failItem(models, item.id, { failReason: failReasonOf.errcode(error.errcode), errcode: error.errcode, detail: error.errmsg });
      return true;
    }
    return false;
  }

  async function submitCustomers(client: WecomClient, handover: HandoverRow, batch: HandoverItemRow[]) {
    const pair = { handover_userid: handover.handover_userid, takeover_userid: handover.takeover_userid, external_userid: batch.map((i) => i.target_id) };
    const reply =
      handover.kind === 'resigned'
        ? await client.transfers.resignedTransferCustomer(pair)
        : await client.transfers.transferCustomer({ ...pair, ...(handover.transfer_message && { transfer_success_msg: handover.transfer_message }) });
    const answers = new Map(reply.customer.map((c) => [c.external_userid, c.errcode]));
    for (const item of batch) {
      const errcode = answers.get(item.target_id);
      if (errcode === 0) await models.HandoverItem.update({ status: 'waiting', wecom_status: 2, errcode: 0, claim: null }, { where: { id: item.id, status: 'submitting' } });
      else await failItem(models, item.id, { failReason: errcode === undefined ? 'wecom_error' : failReasonOf.errcode(errcode), errcode: errcode ?? null, detail: errcode === undefined ? 'not in WeCom’s reply' : null });
    }
  }

  async function submitGroups(client: WecomClient, handover: HandoverRow, batch: HandoverItemRow[]) {
    const body = { chat_id_list: batch.map((i) => i.target_id), new_owner: handover.takeover_userid };
    const reply = handover.kind === 'resigned' ? await client.transfers.resignedGroupChatTransfer(body) : await client.transfers.groupChatOnjobTransfer(body);
    const failed = new Map(reply.failed_chat_list.map((f) => [f.chat_id, f]));
    const done = batch.filter((item) => !failed.has(item.target_id));
    for (const item of batch) {
      const failure = failed.get(item.target_id);
      if (failure) await failItem(models, item.id, { failReason: failReasonOf.errcode(failure.errcode), errcode: failure.errcode, detail: failure.errmsg });
    }
    if (!done.length) return;
    const now = new Date();
    await models.HandoverItem.update({ status: 'done', errcode: 0, settled_at: now, claim: null }, { where: { id: done.map((i) => i.id), status: 'submitting' } });
    // The chat has its new owner at once: our copy follows, so the old owner's list no longer shows it.
    await models.GroupChat.update(
      { owner_wecom_userid: handover.takeover_userid, wecom_status: handover.kind === 'resigned' ? 3 : 0, ...(handover.takeover_store_id !== null && { store_id: handover.takeover_store_id }) },
      { where: { chat_id: done.map((i) => i.target_id) } },
    );
  }

  return {
    /** Sends every queued item of the handover; returns how many were sent. Safe to run twice at once. */
    async submit(handoverId: number): Promise<number> {
      const handover = await models.Handover.findByPk(handoverId, { raw: true });
      if (!handover) return 0;
      const client = await runtime.client();
      if (!client) throw new AppError('NOT_READY', 'WeCom is not configured');
      let sent = 0;
      for (const type of ['customer', 'group'] as const) {
        for (let batch = await claim(handoverId, type); batch.length; batch = await claim(handoverId, type)) {
          sent += batch.length;
          try {
            if (type === 'customer') await submitCustomers(client, handover, batch);
            else await submitGroups(client, handover, batch);
          } catch (error) {
            if (!(await failBatch(batch, error))) {
              log.warn({ err: error, handoverId, type }, 'handover batch outcome unknown; the result poll settles it');
              throw error;
            }
          }
        }
      }
      await settleHandover(models, handoverId);
      return sent;
    },

    /** Handovers with queued items (left by a crash or a retry), for the periodic job to resume. */
    async pendingHandoverIds(): Promise<number[]> {
      const rows = await models.HandoverItem.findAll({ where: { status: 'queued' }, attributes: ['handover_id'], group: ['handover_id'], raw: true });
      return rows.map((r) => Number(r.handover_id));
    },

    /** Items whose submission outcome is unknown for longer than `ms`. */
    staleSubmitting: (handoverId: number, ms: number) =>
      models.HandoverItem.findAll({ where: { handover_id: handoverId, status: 'submitting', submitted_at: { [Op.lt]: new Date(Date.now() - ms) } }, raw: true }),
  };
}

export type HandoverSubmitter = ReturnType<typeof createHandoverSubmitter>;
