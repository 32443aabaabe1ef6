import type { TestServer } from '../../testing/test-server';

/** Drives the sandbox beside a test server and mirrors its employees, customers and chats in our tables. */
export function handoverKit(server: TestServer) {
  const sandboxUrl = server.running.sandbox?.url ?? '';
  const { models } = server.running.services;
  const control = async <T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> => {
    const reply = await fetch(`${sandboxUrl}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await reply.json()) as T;
  };
  const storeId = async (code: string) => Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);

  return {
    control,
    async employees() {
      return (await control<{ employees: Array<{ userid: string; name: string; status: number }> }>('state/employees')).employees;
    },
    async customersOf(userid: string) {
      return (await control<{ customers: Array<{ externalUserid: string; name: string }> }>(`state/customers?userid=${userid}&limit=1000`)).customers;
    },
    async chats() {
      return (await control<{ groupChats: Array<{ chatId: string; name: string; owner: string }> }>('state/group-chats')).groupChats;
    },
    /** Our user for a WeCom employee, in the store with this code. */
    async linkUser(userid: string, storeCode: string) {
      const store = await models.Store.findByPk(await storeId(storeCode), { raw: true });
      const role = await models.Role.findOne({ where: { code: 'store_staff' }, raw: true });
      const created = await models.User.create({ username: `wx_${userid}`, display_name: `员工${userid}`, password_hash: 'x', role_id: Number(role?.id), region_id: Number(store?.region_id), store_id: Number(store?.id), wecom_userid: userid });
      return Number(created.get('id'));
    },
    /** What the customer sync would have stored: the employee's customers with their follows, and their chats. */
    async mirror(userid: string, storeCode: string) {
      const store = await storeId(storeCode);
      const customers = await this.customersOf(userid);
      for (const customer of customers) {
        const [row] = await models.Customer.findOrCreate({ where: { external_userid: customer.externalUserid }, defaults: { name: customer.name, store_id: store, external_userid: customer.externalUserid } as never });
        await models.CustomerFollow.findOrCreate({ where: { customer_id: Number(row.get('id')), wecom_userid: userid }, defaults: { customer_id: Number(row.get('id')), wecom_userid: userid, status: 'active', added_at: new Date('2024-01-01T00:00:00Z') } as never });
      }
      for (const chat of (await this.chats()).filter((c) => c.owner === userid)) {
        await models.GroupChat.findOrCreate({ where: { chat_id: chat.chatId }, defaults: { chat_id: chat.chatId, name: chat.name, owner_wecom_userid: userid, store_id: store } as never });
      }
      return customers.map((c) => c.externalUserid);
    },
    /** Lets pushed callbacks arrive, stores and processes them, and runs every due job. */
    async settleCallbacks() {
      await control('callbacks/drain', {});
      await server.running.services.wecom.callbacks.dispatchPending();
      await server.running.services.queue.drain();
    },
    storeId,
  };
}
