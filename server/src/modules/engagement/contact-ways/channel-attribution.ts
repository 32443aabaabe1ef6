import type { ExternalContactEvent } from '@scrm/wecom-adapter';
import { z } from 'zod';
import type { Services } from '../../../app';
import { createCustomerTagging } from '../../tags/customer-tagging';
import type { WecomEventContext } from '../../wecom/wecom-event-router';
import type { ContactWayLookup } from './contact-way-lookup';

export const CHANNEL_APPLY_JOB = 'engagement.channel.apply';
export const channelApplyPayload = z.object({ addId: z.number().int().positive() });

type Deps = Pick<Services, 'db' | 'models' | 'timeline' | 'audit' | 'wecom' | 'queue'> & { ways: ContactWayLookup };

/**
 * Channel attribution: an add through a contact way is recorded with the callback (same transaction);
 * a job then tags the customer and assigns the channel's store once the customer sync has stored the
 * customer (it retries until then). Deletions mark the channel's add as lost, for the statistics.
 */
export function createChannelAttribution(deps: Deps) {
  const { db, models, timeline, audit, wecom, queue, ways } = deps;
  const tagging = createCustomerTagging(deps);

  async function onEvent(event: ExternalContactEvent, { tx, callbackId }: WecomEventContext) {
    if (event.changeType === 'del_external_contact' || event.changeType === 'del_follow_user') {
      await models.ChannelAdd.update({ lost_at: new Date(event.createTime * 1000) }, { where: { external_userid: event.externalUserId, wecom_userid: event.userId, lost_at: null }, transaction: tx });
      return;
    }
    if (event.changeType !== 'add_external_contact' || !event.state) return;
    const way = await ways.byState(event.state, tx);
    if (!way) return;
    const row = { contact_way_id: way.id, external_userid: event.externalUserId, wecom_userid: event.userId, added_at: new Date(event.createTime * 1000), created_at: new Date() };
    await models.ChannelAdd.bulkCreate([row], { transaction: tx, ignoreDuplicates: true });
    const stored = await models.ChannelAdd.findOne({ where: { contact_way_id: way.id, external_userid: event.externalUserId, wecom_userid: event.userId }, attributes: ['id'], raw: true, transaction: tx });
    if (stored) await queue.enqueue(CHANNEL_APPLY_JOB, { addId: Number(stored.id) }, { transaction: tx, dedupeKey: `channel-apply:cb:${callbackId}` });
  }

  async function apply({ addId }: z.infer<typeof channelApplyPayload>) {
    const add = await models.ChannelAdd.findByPk(addId, { raw: true });
    if (!add || add.applied_at) return;
    const way = await models.ContactWay.findByPk(add.contact_way_id, { raw: true });
    const customer = await models.Customer.findOne({ where: { external_userid: add.external_userid }, raw: true });
    // The customer sync's refresh job stores the customer; until it has, try again later.
    if (!customer) throw new Error(`customer ${add.external_userid} is not stored yet`);
    if (!way) return;
    const tagIds = JSON.parse(way.tag_ids) as number[];
    const employee = await models.User.findOne({ where: { wecom_userid: add.wecom_userid }, attributes: ['id'], raw: true });
    const marker = { userId: employee ? Number(employee.id) : null, name: `渠道活码：${way.name}` };
    if (tagIds.length) {
      const change = await tagging.resolveTags({ add: tagIds });
      await tagging.apply(await wecom.runtime.requireAppClient('customer'), customer, change, marker, { via: 'contact_way', dedupe: `channel-add:${addId}` });
    }
    await db.transaction(async (tx) => {
      const storeId = way.store_id === null ? null : Number(way.store_id);
      if (storeId !== null && !customer.store_locked && Number(customer.store_id) !== storeId) {
        // The channel's store is an explicit assignment: locked, so follow changes do not move it back.
        await models.Customer.update({ store_id: storeId, store_locked: true }, { where: { id: customer.id }, transaction: tx });
        await timeline.record({ customerId: Number(customer.id), storeId, kind: 'store.changed', summary: `渠道活码「${way.name}」分配门店`, payload: { from: customer.store_id, to: storeId, via: 'contact_way' }, dedupeKey: `channel-add:${addId}:store` }, tx);
        await audit.record({ action: 'customer.store_reassigned', targetType: 'customer', targetId: Number(customer.id), storeId, actor: { id: null, name: marker.name }, before: { storeId: customer.store_id }, after: { storeId, storeLocked: true, via: 'contact_way' } }, tx);
      }
      await timeline.record(
        { customerId: Number(customer.id), storeId: storeId ?? customer.store_id, kind: 'channel.added', summary: `通过渠道活码「${way.name}」添加`, payload: { contactWayId: Number(way.id), state: way.state }, wecomUserid: add.wecom_userid, occurredAt: new Date(add.added_at), dedupeKey: `channel-add:${addId}` },
        tx,
      );
      await models.ChannelAdd.update({ customer_id: Number(customer.id), applied_at: new Date() }, { where: { id: addId }, transaction: tx });
    });
  }

  return {
    register() {
      wecom.events.on('external_contact', onEvent);
      queue.register({ type: CHANNEL_APPLY_JOB, payload: channelApplyPayload, maxAttempts: 8, handle: apply });
    },
  };
}
