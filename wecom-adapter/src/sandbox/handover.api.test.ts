import { startTestSandbox } from './sandbox-test-kit';

describe('sandbox handover of members who left', () => {
  it('lists the customers of a member who left until a transfer waits for them, and moves their chats to a new owner', async () => {
    const kit = await startTestSandbox({ seed: { employees: 3, customers: 40, groupChats: 4, seed: 5 } });
    try {
      const token = await kit.token('customer');
      const state = kit.sandbox.state;
      const chat = state.chats.list()[0]!;
      const leaver = chat.owner;
      const heir = state.directory.activeEmployees().find((e) => e.userid !== leaver)!.userid;
      const customers = [...state.customers.idsOf(leaver)];

      expect((await kit.post('externalcontact/get_unassigned_list', token, {})).info).toEqual([]);
      const early = await kit.post('externalcontact/groupchat/transfer', token, { chat_id_list: [chat.chatId], new_owner: heir });
      expect(early.failed_chat_list).toEqual([expect.objectContaining({ chat_id: chat.chatId, errcode: 90500 })]);

      kit.sandbox.control.events.employeeLeft({ userId: leaver });
      const listed = await kit.post('externalcontact/get_unassigned_list', token, { page_size: 1000 });
      expect(listed.is_last).toBe(true);
      expect((listed.info as Array<{ handover_userid: string; external_userid: string; dimission_time: number }>).map((i) => i.external_userid)).toEqual(customers);
      expect(listed.info).toEqual(customers.map(() => expect.objectContaining({ handover_userid: leaver, dimission_time: expect.any(Number) })));

      await kit.post('externalcontact/resigned/transfer_customer', token, { handover_userid: leaver, takeover_userid: heir, external_userid: [customers[0]] });
      const after = await kit.post('externalcontact/get_unassigned_list', token, {});
      expect((after.info as Array<{ external_userid: string }>).map((i) => i.external_userid)).toEqual(customers.slice(1));

      const moved = await kit.post('externalcontact/groupchat/transfer', token, { chat_id_list: [chat.chatId, 'wrunknown'], new_owner: heir });
      expect(moved.failed_chat_list).toEqual([expect.objectContaining({ chat_id: 'wrunknown', errcode: 701008 })]);
      expect(state.chats.get(chat.chatId)).toMatchObject({ owner: heir, status: 3 });
      const again = await kit.post('externalcontact/groupchat/transfer', token, { chat_id_list: [chat.chatId], new_owner: heir });
      expect(again.failed_chat_list).toEqual([expect.objectContaining({ errcode: 90508 })]);
    } finally {
      await kit.close();
    }
  });

  it('moves a serving member’s chat with onjob_transfer and refuses one whose owner left', async () => {
    const kit = await startTestSandbox({ seed: { employees: 3, customers: 20, groupChats: 2, seed: 6 } });
    try {
      const token = await kit.token('customer');
      const state = kit.sandbox.state;
      const chat = state.chats.list()[0]!;
      const heir = state.directory.activeEmployees().find((e) => e.userid !== chat.owner)!.userid;
      const moved = await kit.post('externalcontact/groupchat/onjob_transfer', token, { chat_id_list: [chat.chatId], new_owner: heir });
      expect(moved).toMatchObject({ errcode: 0, failed_chat_list: [] });
      expect(state.chats.get(chat.chatId)).toMatchObject({ owner: heir, status: 0 });
      kit.sandbox.control.events.employeeLeft({ userId: heir });
      const third = state.directory.activeEmployees()[0]!.userid;
      const refused = await kit.post('externalcontact/groupchat/onjob_transfer', token, { chat_id_list: [chat.chatId], new_owner: third });
      expect(refused.failed_chat_list).toEqual([expect.objectContaining({ errcode: 90502 })]);
    } finally {
      await kit.close();
    }
  });

  it('settles only the named customers’ transfers when the control API is given their ids', async () => {
    const kit = await startTestSandbox({ seed: { employees: 2, customers: 20, seed: 7 } });
    try {
      const token = await kit.token('customer');
      const [from, to] = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid) as [string, string];
      const [a, b] = kit.sandbox.state.customers.idsOf(from) as [string, string];
      await kit.post('externalcontact/transfer_customer', token, { handover_userid: from, takeover_userid: to, external_userid: [a, b] });
      const settled = await kit.http.post('/__sandbox/events/transfers-settled', { status: 3, externalUserIds: [a] });
      expect(settled.data).toEqual({ settled: 1 });
      const result = await kit.post('externalcontact/transfer_result', token, { handover_userid: from, takeover_userid: to });
      expect(result.customer).toEqual([expect.objectContaining({ external_userid: a, status: 3 }), expect.objectContaining({ external_userid: b, status: 2 })]);
    } finally {
      await kit.close();
    }
  });
});
