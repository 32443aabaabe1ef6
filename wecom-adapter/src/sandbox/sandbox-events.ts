import type { CallbackPusher } from './callback-pusher';
import { SandboxControlError } from './control-error';
import type { SandboxState } from './sandbox-state';
import type { Employee, ExternalContact } from './sandbox.types';
import { createTransferService } from './transfer.service';

/**
 * Things a person does in the WeCom client. Each changes the state first, then pushes the callback
 * WeCom would send (PROTOCOL §3). Used by the control API and by tests directly.
 */
export function createSandboxEvents(state: SandboxState, pusher: CallbackPusher) {
  const transfers = createTransferService(state, (e) => pusher.push(e));
  const employee = (userid: string) => state.directory.activeEmployee(userid) ?? notFound('EMPLOYEE_NOT_FOUND', `no active employee ${userid}`);
  const relation = (id: string, userid: string) => state.customers.relation(id, userid) ?? notFound('RELATION_NOT_FOUND', `${userid} does not follow ${id}`);
  const contactChange = (changeType: string, userid: string, externalUserid: string, extra: Array<[string, string | undefined]> = []) =>
    pusher.push({ event: 'change_external_contact', changeType, fields: [['UserID', userid], ['ExternalUserID', externalUserid], ...extra] });

  return {
    transfers,
    /** A person added a member (optionally through a 「联系我」 with this state): customer, relation, welcome code, callback. */
    customerAdded(input: { userId: string; externalUserId?: string; state?: string; name?: string; welcome?: boolean }) {
      const member = employee(input.userId);
      let contact = input.externalUserId ? state.customers.get(input.externalUserId) : undefined;
      if (!contact) {
        const name = input.name ?? state.names.customerName();
        const fresh: ExternalContact = {
          externalUserid: input.externalUserId ?? state.random.wecomId('wm'),
          name,
          type: 1,
          gender: state.random.pick([0, 1, 2] as const),
          unionid: state.random.wecomId('o', 28),
          corpName: '',
          follows: [],
        };
        contact = state.customers.add(fresh);
      } else if (input.name) contact.name = input.name;
      const way = input.state ? state.contactWays.byState(input.state) : undefined;
      state.customers.follow(contact, {
        userid: member.userid,
        remark: '',
        description: '',
        createtime: state.now(),
        tagIds: [],
        remarkCorpName: '',
        remarkMobiles: [],
        operUserid: contact.externalUserid,
        addWay: way ? (way.scene === 2 ? 1 : 10) : 0,
        state: input.state ?? '',
      });
      let welcomeCode: string | undefined;
      if (input.welcome !== false) {
        welcomeCode = state.random.chars(43);
        state.messages.welcomeCodes.set(welcomeCode, { code: welcomeCode, userid: member.userid, externalUserid: contact.externalUserid, issuedAt: state.clock() });
      }
      const delivery = contactChange('add_external_contact', member.userid, contact.externalUserid, [
        ['State', input.state || undefined],
        ['WelcomeCode', welcomeCode],
      ]);
      return { externalUserId: contact.externalUserid, welcomeCode, deliveryId: delivery.id };
    },
    /** The member deleted the customer → del_external_contact. */
    customerDeletedByEmployee(input: { userId: string; externalUserId: string }) {
      relation(input.externalUserId, input.userId);
      state.customers.unfollow(input.externalUserId, input.userId);
      return { deliveryId: contactChange('del_external_contact', input.userId, input.externalUserId).id };
    },
    /** The customer deleted the member → del_follow_user (the member still sees the customer). */
    customerDeletedEmployee(input: { userId: string; externalUserId: string }) {
      relation(input.externalUserId, input.userId).deletedByCustomer = true;
      return { deliveryId: contactChange('del_follow_user', input.userId, input.externalUserId).id };
    },
    /** The member edited remark / description / corp tags in the client → edit_external_contact. */
    customerEdited(input: { userId: string; externalUserId: string; remark?: string; description?: string; tagIds?: string[] }) {
      const r = relation(input.externalUserId, input.userId);
      if (input.remark !== undefined) r.remark = input.remark;
      if (input.description !== undefined) r.description = input.description;
      if (input.tagIds) {
        for (const id of input.tagIds) if (!state.tags.tag(id)) notFound('TAG_NOT_FOUND', `no tag ${id}`);
        r.tagIds = [...input.tagIds];
      }
      return { deliveryId: contactChange('edit_external_contact', input.userId, input.externalUserId).id };
    },
    /** The member left the corp → change_contact delete_user (customers stay, for 离职继承). */
    employeeLeft(input: { userId: string }) {
      employee(input.userId);
      state.directory.markLeft(input.userId, state.now());
      return { deliveryId: pusher.push({ event: 'change_contact', changeType: 'delete_user', fields: [['UserID', input.userId]] }).id };
    },
    /** An admin created a member → change_contact create_user. */
    employeeCreated(input: { userId?: string; name?: string; department?: number[]; mobile?: string; position?: string }) {
      const person = state.names.person();
      const userid = input.userId ?? `${person.pinyin}${state.random.chars(3, '0123456789')}`;
      if (state.directory.employees.has(userid)) throw new SandboxControlError('EMPLOYEE_EXISTS', `${userid} exists`);
      const department = input.department ?? [1];
      for (const d of department) if (!state.directory.departments.has(d)) throw new SandboxControlError('INVALID_INPUT', `no department ${d}`);
      const created: Employee = {
        userid,
        name: input.name ?? person.name,
        department,
        mobile: input.mobile ?? state.names.mobile(),
        position: input.position ?? state.names.position(),
        gender: '1',
        email: `${userid}@sandbox.invalid`,
        status: 1,
        openUserid: state.random.wecomId('wo', 28),
      };
      state.directory.addEmployee(created);
      const delivery = pusher.push({
        event: 'change_contact',
        changeType: 'create_user',
        fields: [['UserID', userid], ['Name', created.name], ['Department', department.join(',')], ['MainDepartment', department[0]], ['Mobile', created.mobile], ['Position', created.position], ['Status', 1]],
      });
      return { userId: userid, deliveryId: delivery.id };
    },
    /** An admin renamed a corp tag or tag group → change_external_tag update. */
    tagRenamed(input: { id: string; name: string }) {
      const group = state.tags.group(input.id);
      const tag = group ? undefined : state.tags.tag(input.id)?.tag;
      if (group) group.groupName = input.name;
      else if (tag) tag.name = input.name;
      else notFound('TAG_NOT_FOUND', `no tag or group ${input.id}`);
      const fields: Array<[string, string]> = [['Id', input.id], ['TagType', group ? 'tag_group' : 'tag']];
      return { deliveryId: pusher.push({ event: 'change_external_tag', changeType: 'update', fields }).id };
    },
    /** Someone joined a customer group → change_external_chat update add_member. */
    chatMemberAdded(input: { chatId: string; memberId?: string; joinScene?: number }) {
      const chat = state.chats.get(input.chatId) ?? notFound('CHAT_NOT_FOUND', `no chat ${input.chatId}`);
      const memberId = input.memberId ?? state.random.wecomId('wm');
      const known = state.customers.get(memberId);
      const staff = state.directory.activeEmployee(memberId);
      const joinScene = input.joinScene ?? 3;
      if (!chat.members.some((m) => m.userid === memberId))
        chat.members.push({ userid: memberId, type: staff ? 1 : 2, joinTime: state.now(), joinScene, name: staff?.name ?? known?.name ?? '群成员', unionid: known?.unionid || undefined });
      const delivery = pusher.push({
        event: 'change_external_chat',
        changeType: 'update',
        fields: [['ChatId', chat.chatId], ['UpdateDetail', 'add_member'], ['JoinScene', joinScene], ['MemChangeCnt', 1]],
      });
      return { memberId, deliveryId: delivery.id };
    },
    /** New archived chat messages are available → msgaudit_notify. */
    msgauditNotify() {
      return { deliveryId: pusher.push({ event: 'msgaudit_notify', agentId: state.agentId }).id };
    },
  };
}

function notFound(code: 'EMPLOYEE_NOT_FOUND' | 'CUSTOMER_NOT_FOUND' | 'RELATION_NOT_FOUND' | 'TAG_NOT_FOUND' | 'CHAT_NOT_FOUND', message: string): never {
  throw new SandboxControlError(code, message);
}

export type SandboxEvents = ReturnType<typeof createSandboxEvents>;
