import type { TestServer } from '../../testing/test-server';
import type { CustomerRow } from './customer.model';
import type { CustomerFollowRow } from './customer-store.models';

/** Test data for the customer store, written straight to the database as the WeCom syncs would. */
export function customerFixtures(server: TestServer) {
  const { db, models, pii, timeline } = server.running.services;

  return {
    async storeId(code: string) {
      return Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);
    },

    /** Gives demo users WeCom ids, so follow relations name them. */
    async linkEmployee(username: string, wecomUserid: string) {
      await db.transaction((tx) => models.User.update({ wecom_userid: wecomUserid }, { where: { username }, transaction: tx }));
    },

    async customer(fields: { name: string; storeId: number; phone?: string; address?: string } & Partial<Omit<CustomerRow, 'name' | 'store_id'>>) {
      const { name, storeId, phone, address, ...rest } = fields;
      return db.transaction(async (tx) => {
        const row = await models.Customer.create({ name, store_id: storeId, ...pii.phone.seal(phone), ...pii.address.seal(address), ...rest } as CustomerRow, { transaction: tx });
        return Number(row.get('id'));
      });
    },

    async follow(customerId: number, wecomUserid: string, fields: Partial<CustomerFollowRow> & { mobiles?: string[] } = {}) {
      const { mobiles, ...rest } = fields;
      const sealed = mobiles?.length ? { remark_mobiles_enc: pii.phone.seal(JSON.stringify(mobiles)).phone_enc, remark_mobiles_bidx: pii.phone.seal(mobiles[0]).phone_bidx } : {};
      return db.transaction(async (tx) =>
        Number((await models.CustomerFollow.create({ customer_id: customerId, wecom_userid: wecomUserid, added_at: new Date(), ...sealed, ...rest }, { transaction: tx })).get('id')),
      );
    },

    async tag(groupName: string, tagName: string) {
      return db.transaction(async (tx) => {
        const [group] = await models.TagGroup.findOrCreate({ where: { name: groupName }, defaults: { name: groupName }, transaction: tx });
        const tag = await models.Tag.create({ group_id: Number(group.get('id')), name: tagName }, { transaction: tx });
        return Number(tag.get('id'));
      });
    },

    async mark(customerId: number, tagId: number, wecomUserid: string) {
      await db.transaction((tx) => models.CustomerTag.create({ customer_id: customerId, tag_id: tagId, wecom_userid: wecomUserid, created_at: new Date() }, { transaction: tx }));
    },

    async groupChat(chatId: string, name: string, members: Array<{ customerId: number; memberId: string }>) {
      return db.transaction(async (tx) => {
        const chat = await models.GroupChat.create({ chat_id: chatId, name, member_count: members.length, owner_wecom_userid: null }, { transaction: tx });
        for (const m of members) {
          await models.GroupChatMember.create({ group_chat_id: Number(chat.get('id')), member_id: m.memberId, member_type: 2, customer_id: m.customerId, joined_at: new Date() }, { transaction: tx });
        }
        return Number(chat.get('id'));
      });
    },

    async timelineEntry(customerId: number, kind: string, summary: string, occurredAt = new Date()) {
      await db.transaction((tx) => timeline.record({ customerId, kind, summary, occurredAt }, tx));
    },

    async note(customerId: number, body: string) {
      await db.transaction((tx) => models.CustomerNote.create({ customer_id: customerId, body }, { transaction: tx }));
    },
  };
}
