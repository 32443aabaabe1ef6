import type { CallbackPusher } from './callback-pusher';
import { SandboxControlError } from './control-error';
import type { SandboxState } from './sandbox-state';
import type { GroupChat } from './sandbox.types';

/**
 * What admins and members do to corp tags and customer groups in the WeCom client. Each changes the
 * state first, then pushes the change_external_tag / change_external_chat callback WeCom would send.
 */
export function createTagChatEvents(state: SandboxState, pusher: CallbackPusher) {
  const tagChange = (changeType: string, fields: Array<[string, string | undefined]>) => pusher.push({ event: 'change_external_tag', changeType, fields }).id;
  const chatChange = (changeType: string, fields: Array<[string, string | number | undefined]>) => pusher.push({ event: 'change_external_chat', changeType, fields }).id;
  const chat = (chatId: string) => state.chats.get(chatId) ?? fail('CHAT_NOT_FOUND', `no chat ${chatId}`);
  const employee = (userid: string) => state.directory.activeEmployee(userid) ?? fail('EMPLOYEE_NOT_FOUND', `no active employee ${userid}`);

  return {
    /** An admin added a tag (into a new group when `groupName` names none) → create for the tag or the new group. */
    tagCreated(input: { groupId?: string; groupName?: string; tagName: string; order?: number }) {
      const now = state.now();
      let group = input.groupId ? state.tags.group(input.groupId) : input.groupName ? state.tags.groupByName(input.groupName) : undefined;
      if (input.groupId && (!group || group.deleted)) fail('TAG_NOT_FOUND', `no tag group ${input.groupId}`);
      const newGroup = !group;
      group ??= state.tags.createGroup(input.groupName ?? fail('INVALID_INPUT', 'groupId or groupName is required'), 0, now);
      if (group.tags.some((t) => !t.deleted && t.name === input.tagName)) fail('INVALID_INPUT', `tag ${input.tagName} exists`);
      const tag = state.tags.addTag(group, input.tagName, input.order ?? 0, now);
      const deliveryId = newGroup ? tagChange('create', [['Id', group.groupId], ['TagType', 'tag_group']]) : tagChange('create', [['Id', tag.id], ['TagType', 'tag']]);
      return { groupId: group.groupId, tagId: tag.id, deliveryId };
    },
    /** An admin deleted a tag or a whole group → delete. */
    tagDeleted(input: { id: string }) {
      const group = state.tags.group(input.id);
      if (group) state.tags.deleteGroup(group.groupId);
      else if (state.tags.tag(input.id)) state.tags.deleteTag(input.id);
      else fail('TAG_NOT_FOUND', `no tag or group ${input.id}`);
      return { deliveryId: tagChange('delete', [['Id', input.id], ['TagType', group ? 'tag_group' : 'tag']]) };
    },
    /** An admin reordered the tags of a group (or the groups) → shuffle. */
    tagsShuffled(input: { orders: Record<string, number>; groupId?: string }) {
      for (const [id, order] of Object.entries(input.orders)) {
        const target = state.tags.group(id) ?? state.tags.tag(id)?.tag ?? fail('TAG_NOT_FOUND', `no tag or group ${id}`);
        target.order = order;
      }
      return { deliveryId: tagChange('shuffle', [['Id', input.groupId]]) };
    },
    /** A member created a customer group → create. */
    chatCreated(input: { owner: string; name?: string; memberIds?: string[] }) {
      const owner = employee(input.owner);
      const now = state.now();
      const created: GroupChat = {
        chatId: state.random.wecomId('wr'),
        name: input.name ?? '',
        owner: owner.userid,
        createTime: now,
        notice: '',
        status: 0,
        members: [{ userid: owner.userid, type: 1, joinTime: now, joinScene: 0, name: owner.name }],
        admins: [],
      };
      for (const id of input.memberIds ?? []) {
        const staff = state.directory.activeEmployee(id);
        const contact = state.customers.get(id);
        if (!staff && !contact) fail('CUSTOMER_NOT_FOUND', `no employee or customer ${id}`);
        created.members.push({ userid: id, type: staff ? 1 : 2, joinTime: now, joinScene: 0, invitor: owner.userid, name: staff?.name ?? contact?.name ?? id, unionid: contact?.unionid || undefined });
      }
      state.chats.add(created);
      return { chatId: created.chatId, deliveryId: chatChange('create', [['ChatId', created.chatId]]) };
    },
    /** Someone left or was removed from a group → update del_member. */
    chatMemberRemoved(input: { chatId: string; memberId: string; quitScene?: number }) {
      const target = chat(input.chatId);
      const before = target.members.length;
      target.members = target.members.filter((m) => m.userid !== input.memberId);
      if (target.members.length === before) fail('INVALID_INPUT', `${input.memberId} is not in ${input.chatId}`);
      const fields: Array<[string, string | number]> = [['ChatId', target.chatId], ['UpdateDetail', 'del_member'], ['QuitScene', input.quitScene ?? 0], ['MemChangeCnt', 1]];
      return { deliveryId: chatChange('update', fields) };
    },
    /** The owner renamed the group, changed its notice or handed it to another member → one update per change. */
    chatChanged(input: { chatId: string; name?: string; notice?: string; owner?: string }) {
      const target = chat(input.chatId);
      const deliveryIds: number[] = [];
      if (input.name !== undefined) {
        target.name = input.name;
        deliveryIds.push(chatChange('update', [['ChatId', target.chatId], ['UpdateDetail', 'change_name']]));
      }
      if (input.notice !== undefined) {
        target.notice = input.notice;
        deliveryIds.push(chatChange('update', [['ChatId', target.chatId], ['UpdateDetail', 'change_notice']]));
      }
      if (input.owner !== undefined) {
        const owner = employee(input.owner);
        target.owner = owner.userid;
        if (!target.members.some((m) => m.userid === owner.userid)) target.members.push({ userid: owner.userid, type: 1, joinTime: state.now(), joinScene: 0, name: owner.name });
        deliveryIds.push(chatChange('update', [['ChatId', target.chatId], ['UpdateDetail', 'change_owner']]));
      }
      return { deliveryIds };
    },
    /** The owner dismissed the group: it is gone from groupchat/list and groupchat/get → dismiss. */
    chatDismissed(input: { chatId: string }) {
      const target = chat(input.chatId);
      state.chats.chats.delete(target.chatId);
      return { deliveryId: chatChange('dismiss', [['ChatId', target.chatId]]) };
    },
  };
}

function fail(code: 'INVALID_INPUT' | 'EMPLOYEE_NOT_FOUND' | 'CUSTOMER_NOT_FOUND' | 'TAG_NOT_FOUND' | 'CHAT_NOT_FOUND', message: string): never {
  throw new SandboxControlError(code, message);
}

export type TagChatEvents = ReturnType<typeof createTagChatEvents>;
