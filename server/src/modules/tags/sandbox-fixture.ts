import type { TestServer } from '../../testing/test-server';

export interface SandboxFollow {
  userid: string;
  tagIds: string[];
}
export interface SandboxCustomer {
  externalUserid: string;
  name: string;
  follows: SandboxFollow[];
}
export interface SandboxTagGroup {
  groupId: string;
  groupName: string;
  deleted: boolean;
  order: number;
  tags: Array<{ id: string; name: string; deleted: boolean; order: number }>;
}
export interface SandboxChat {
  chatId: string;
  name: string;
  owner: string;
  members: Array<{ userid: string; type: number }>;
}

/** Talks to the sandbox the test server runs: its state and the control API. */
export function sandboxOf(server: TestServer) {
  const url = server.running.sandbox?.url ?? '';
  const get = async <T>(path: string) => (await (await fetch(`${url}/__sandbox/${path}`)).json()) as T;
  const post = async <T = Record<string, unknown>>(path: string, body: unknown) => {
    const response = await fetch(`${url}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    get,
    post,
    employees: async () => (await get<{ employees: Array<{ userid: string; name: string }> }>('state/employees')).employees,
    customers: async () => (await get<{ customers: SandboxCustomer[] }>('state/customers?limit=1000')).customers,
    customer: async (externalUserid: string) => (await get<{ customers: SandboxCustomer[] }>('state/customers?limit=1000')).customers.find((c) => c.externalUserid === externalUserid),
    liveTagGroups: async () =>
      (await get<{ tagGroups: SandboxTagGroup[] }>('state/tags')).tagGroups.filter((g) => !g.deleted).map((g) => ({ ...g, tags: g.tags.filter((t) => !t.deleted) })),
    chats: async () => (await get<{ groupChats: SandboxChat[] }>('state/group-chats')).groupChats,
    /** Waits until the sandbox delivered its callbacks and the server stored them. */
    deliver: () => post('callbacks/drain', {}),
  };
}

/** Our side of a few sandbox customers: users mapped to employees, customers with their follows. */
export async function seedCustomersFromSandbox(server: TestServer, count: number, storeOf: (index: number) => string) {
  const { models } = server.running.services;
  const sandbox = sandboxOf(server);
  const stores = new Map((await models.Store.findAll({ raw: true })).map((s) => [s.code, Number(s.id)]));
  const picked = (await sandbox.customers()).filter((c) => c.follows.length > 0).slice(0, count);
  const ids: number[] = [];
  for (const [index, contact] of picked.entries()) {
    const customer = await models.Customer.create({ name: contact.name, external_userid: contact.externalUserid, store_id: stores.get(storeOf(index)) ?? null });
    ids.push(Number(customer.get('id')));
    for (const [order, follow] of contact.follows.entries()) {
      await models.CustomerFollow.create({ customer_id: Number(customer.get('id')), wecom_userid: follow.userid, added_at: new Date(Date.UTC(2024, 0, 1 + order)) });
    }
  }
  return { contacts: picked, customerIds: ids, stores };
}

/** Stored callbacks not processed yet, oldest first. */
export async function pendingCallbacks(server: TestServer) {
  const rows = await server.running.services.models.WecomCallback.findAll({ where: { processed_at: null }, order: [['id', 'ASC']], raw: true });
  return rows.map((r) => Number(r.id));
}
