import { Op } from 'sequelize';
import { notFound } from '../../core/errors';
import { can, type Actor } from '../access/actor';
import type { CustomerRow } from './customer.model';
import type { CustomerDetail, CustomFieldValue } from './customer-360.schemas';
import { orgNamesOf } from '../org/org-names';
import { iso, openRemarkMobiles, parseCustomFields, scopedCustomers, toId, userNamesByWecomId, type Customer360Deps } from './customer-360.deps';
import { presentFieldDefs } from './customer-fields.service';

/** The customer 360 view: profile, store, stage, custom fields, follow users, tags, groups and counts. */
export function createCustomer360Service(deps: Customer360Deps) {
  const { models, audit, phone, address, remarkMobiles } = deps;
  const customers = scopedCustomers(models);

  async function follows(customerId: number, reveal: boolean) {
    const rows = await models.CustomerFollow.findAll({ where: { customer_id: customerId }, order: [['added_at', 'ASC'], ['id', 'ASC']], raw: true });
    const byWecom = await userNamesByWecomId(models, rows.map((f) => f.wecom_userid));
    const byId = await orgNamesOf(models).users(rows.map((f) => toId(f.user_id)));
    return rows.map((f) => {
      const user = byWecom.get(f.wecom_userid);
      const userId = toId(f.user_id) ?? user?.id ?? null;
      const mobiles = openRemarkMobiles(remarkMobiles, f as unknown as Record<string, unknown>);
      return {
        id: Number(f.id),
        wecomUserid: f.wecom_userid,
        userId,
        userName: (userId !== null ? byId.get(userId) : undefined) ?? user?.name ?? null,
        remark: f.remark,
        description: f.description,
        remarkCorpName: f.remark_corp_name,
        remarkMobiles: reveal ? mobiles : mobiles.map((m) => phone.mask(m)),
        addWay: toId(f.add_way),
        state: f.state,
        addedAt: iso(f.added_at),
        status: f.status,
        lostAt: iso(f.lost_at),
        lostReason: f.lost_reason,
      };
    });
  }

  async function tags(customerId: number) {
    const marks = await models.CustomerTag.findAll({ where: { customer_id: customerId }, raw: true });
    if (!marks.length) return [];
    const tagRows = await models.Tag.findAll({ where: { id: [...new Set(marks.map((m) => Number(m.tag_id)))] }, order: [['sort_order', 'ASC'], ['id', 'ASC']], raw: true });
    const groupRows = await models.TagGroup.findAll({ where: { id: [...new Set(tagRows.map((t) => Number(t.group_id)))] }, order: [['sort_order', 'ASC'], ['id', 'ASC']], raw: true });
    const markedBy = new Map<number, string[]>();
    for (const mark of marks) markedBy.set(Number(mark.tag_id), [...(markedBy.get(Number(mark.tag_id)) ?? []), mark.wecom_userid].filter(Boolean));
    return groupRows.map((group) => ({
      groupId: Number(group.id),
      groupName: group.name,
      tags: tagRows
        .filter((t) => Number(t.group_id) === Number(group.id))
        .map((t) => ({ id: Number(t.id), name: t.name, wecomUserids: [...new Set(markedBy.get(Number(t.id)) ?? [])] })),
    }));
  }

  async function groups(customer: CustomerRow) {
    const memberWhere = customer.external_userid
      ? { [Op.or]: [{ customer_id: customer.id }, { member_type: 2, member_id: customer.external_userid }] }
      : { customer_id: customer.id };
    const members = await models.GroupChatMember.findAll({ where: memberWhere, raw: true });
    if (!members.length) return [];
    const chats = await models.GroupChat.findAll({ where: { id: [...new Set(members.map((m) => Number(m.group_chat_id)))] }, order: [['id', 'ASC']], raw: true });
    const owners = await userNamesByWecomId(models, chats.map((c) => c.owner_wecom_userid));
    const memberOf = new Map(members.map((m) => [Number(m.group_chat_id), m]));
    return chats.map((chat) => {
      const member = memberOf.get(Number(chat.id));
      return {
        id: Number(chat.id),
        chatId: chat.chat_id,
        name: chat.name,
        ownerWecomUserid: chat.owner_wecom_userid,
        ownerName: chat.owner_wecom_userid ? (owners.get(chat.owner_wecom_userid)?.name ?? null) : null,
        memberCount: Number(chat.member_count ?? 0),
        joinedAt: iso(member?.joined_at),
        joinScene: toId(member?.join_scene),
        dismissed: Boolean(chat.dismissed_at),
      };
    });
  }

  async function customFields(row: CustomerRow) {
    const defs = presentFieldDefs(await models.CustomerFieldDef.findAll({ order: [['sort_order', 'ASC'], ['id', 'ASC']], raw: true }));
    const values = parseCustomFields(row.custom_fields);
    return defs.map((def) => ({ key: def.key, label: def.label, type: def.type, options: def.options, required: def.required, value: (values[def.key] ?? null) as CustomFieldValue }));
  }

  async function detail(actor: Actor, row: CustomerRow): Promise<CustomerDetail> {
    const reveal = can(actor, 'customer:pii:read');
    const fields = row as unknown as Record<string, unknown>;
    const id = Number(row.id);
    const storeId = toId(row.store_id);
    const [store, stage, ownerNames, followList, tagGroups, groupList, fieldList, notes, timeline] = await Promise.all([
      storeId === null ? null : models.Store.findByPk(storeId, { raw: true }),
      models.CustomerStage.findOne({ where: { code: row.stage }, raw: true }),
      orgNamesOf(models).users([toId(row.owner_user_id)]),
      follows(id, reveal),
      tags(id),
      groups(row),
      customFields(row),
      models.CustomerNote.count({ where: { customer_id: id } }),
      models.CustomerTimeline.count({ where: { customer_id: id } }),
    ]);
    const result: CustomerDetail = {
      id,
      name: row.name,
      phone: phone.present(fields, reveal),
      address: address.present(fields, reveal),
      storeId,
      storeName: store?.name ?? null,
      store: store ? { id: Number(store.id), name: store.name } : null,
      storeLocked: Boolean(row.store_locked),
      ownerUserId: toId(row.owner_user_id),
      ownerName: ownerNames.get(Number(row.owner_user_id)) ?? null,
      externalUserid: row.external_userid,
      unionid: row.unionid,
      wecomType: toId(row.wecom_type),
      gender: toId(row.gender),
      avatar: row.avatar,
      corpName: row.corp_name,
      status: row.status,
      mergedIntoId: toId(row.merged_into_id),
      stage: row.stage,
      stageName: stage ? { 'zh-CN': stage.name_zh, 'en-US': stage.name_en } : null,
      addedAt: iso(row.added_at),
      lostAt: iso(row.lost_at),
      createdAt: new Date(row.created_at).toISOString(),
      customFields: fieldList,
      follows: followList,
      tags: tagGroups,
      groups: groupList,
      counts: {
        follows: followList.length,
        activeFollows: followList.filter((f) => f.status === 'active').length,
        tags: tagGroups.reduce((sum, group) => sum + group.tags.length, 0),
        groups: groupList.length,
        notes,
        timeline,
      },
    };
    if (reveal && (result.phone !== null || result.address !== null || followList.some((f) => f.remarkMobiles.length))) {
      // Every read of unmasked personal data is on the record: who saw whose.
      await audit.record({ action: 'customer.pii_read', targetType: 'customer', targetId: id, storeId, after: { customerIds: [id] } });
    }
    return result;
  }

  return {
    /** One customer in the caller's scope; another store's customer is reported exactly like a missing one. */
    async get(actor: Actor, id: number) {
      return detail(actor, await customers.byId(actor, id));
    },

    /** The customer WeCom knows as `externalUserid` (the chat sidebar's entry); a merged one leads to the kept customer. */
    async byExternal(actor: Actor, externalUserid: string) {
      let row = (await customers.all(actor, { external_userid: externalUserid }, [['id', 'ASC']], 1))[0];
      for (let hops = 0; row?.status === 'merged' && row.merged_into_id && hops < 5; hops += 1) {
        row = (await customers.all(actor, { id: row.merged_into_id }, [['id', 'ASC']], 1))[0];
      }
      if (!row) throw notFound('customer', externalUserid);
      return detail(actor, row);
    },
  };
}

export type Customer360Service = ReturnType<typeof createCustomer360Service>;
