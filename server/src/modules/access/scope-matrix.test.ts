import { startTestServer, type TestServer } from '../../testing/test-server';

interface Named {
  id: number;
  name: string;
}
interface Listed<T> {
  data: { items: T[]; total: number };
}

const sh = ['上海客户1', '上海客户2', '上海客户3'];
const hz = ['杭州客户1', '杭州客户2', '杭州客户3'];
const gz = ['广州客户1', '广州客户2', '广州客户3'];
const sz = ['深圳客户1', '深圳客户2', '深圳客户3'];

/** Who sees which demo customers, stores and regions: the data scope of each built-in role. */
const matrix = {
  admin: { customers: [...sh, ...hz, ...gz, ...sz], stores: ['SH01', 'HZ01', 'GZ01', 'SZ01'], regions: ['EAST', 'SOUTH'] },
  finance: { customers: [...sh, ...hz, ...gz, ...sz], stores: ['SH01', 'HZ01', 'GZ01', 'SZ01'], regions: ['EAST', 'SOUTH'] },
  region_east: { customers: [...sh, ...hz], stores: ['SH01', 'HZ01'], regions: ['EAST'] },
  manager_sh01: { customers: sh, stores: ['SH01'], regions: ['EAST'] },
  staff_sh01: { customers: sh, stores: ['SH01'], regions: ['EAST'] },
  tech_sh01: { customers: ['上海客户1'], stores: null, regions: null },
} as const;

describe('data scopes', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let customersByName: Map<string, Named>;

  beforeAll(async () => {
    server = await startTestServer();
    for (const username of Object.keys(matrix)) tokens[username] = await server.login(username);
    const all = await server.api<Listed<Named>>('GET', '/api/customers?pageSize=200', { token: tokens.admin });
    customersByName = new Map(all.body.data.items.map((c) => [c.name, c]));
  });
  afterAll(() => server.stop());

  const sorted = (values: readonly string[]) => [...values].sort();

  describe.each(Object.entries(matrix))('%s', (username, expected) => {
    it('lists exactly the customers in scope, with a matching total', async () => {
      const reply = await server.api<Listed<Named>>('GET', '/api/customers?pageSize=200', { token: tokens[username] });
      expect(reply.status).toBe(200);
      expect(sorted(reply.body.data.items.map((c) => c.name))).toEqual(sorted(expected.customers));
      expect(reply.body.data.total).toBe(expected.customers.length);
    });

    it('gets 404 for any customer outside scope and 200 inside it, by id', async () => {
      for (const [name, customer] of customersByName) {
        const reply = await server.api('GET', `/api/customers/${customer.id}`, { token: tokens[username] });
        expect([name, reply.status]).toEqual([name, (expected.customers as readonly string[]).includes(name) ? 200 : 404]);
      }
    });

    it('cannot change or delete a customer outside scope', async () => {
      const outside = [...customersByName.values()].find((c) => !(expected.customers as readonly string[]).includes(c.name));
      if (!outside) return;
      const patch = await server.api('PATCH', `/api/customers/${outside.id}`, { token: tokens[username], body: { name: 'hijacked' } });
      const remove = await server.api('DELETE', `/api/customers/${outside.id}`, { token: tokens[username] });
      expect([403, 404]).toContain(patch.status);
      expect([403, 404]).toContain(remove.status);
      const check = await server.api<{ data: Named }>('GET', `/api/customers/${outside.id}`, { token: tokens.admin });
      expect(check.body.data.name).toBe(outside.name);
    });

    it('searches only within scope', async () => {
      const reply = await server.api<Listed<Named>>('GET', `/api/customers?q=${encodeURIComponent('客户1')}&pageSize=200`, { token: tokens[username] });
      expect(sorted(reply.body.data.items.map((c) => c.name))).toEqual(sorted(expected.customers.filter((n) => n.endsWith('客户1'))));
    });

    it('aggregates only within scope', async () => {
      const reply = await server.api<{ data: Array<{ count: number }> }>('GET', '/api/customers/stats', { token: tokens[username] });
      expect(reply.status).toBe(200);
      expect(reply.body.data.reduce((sum, row) => sum + row.count, 0)).toBe(expected.customers.length);
    });

    it('sees exactly the stores and regions in scope', async () => {
      const stores = await server.api<Listed<{ code: string }>>('GET', '/api/stores?pageSize=200', { token: tokens[username] });
      const regions = await server.api<{ data: Array<{ code: string }> }>('GET', '/api/regions', { token: tokens[username] });
      if (expected.stores === null) {
        expect(stores.status).toBe(403);
        expect(regions.status).toBe(403);
        return;
      }
      expect(sorted(stores.body.data.items.map((s) => s.code))).toEqual(sorted(expected.stores));
      expect(sorted(regions.body.data.map((r) => r.code))).toEqual(sorted(expected.regions ?? []));
    });
  });

  it('exports only the customers in scope', async () => {
    const reply = await server.api<string>('GET', '/api/customers/export', { token: tokens.manager_sh01 });
    expect(reply.status).toBe(200);
    const lines = (reply.body as unknown as string).trim().split('\n');
    expect(lines).toHaveLength(1 + sh.length);
    expect(lines.slice(1).map((line) => line.split(',')[1]).sort()).toEqual(sorted(sh));
  });

  it('refuses export to a role without customer:export', async () => {
    const reply = await server.api('GET', '/api/customers/export', { token: tokens.staff_sh01 });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('FORBIDDEN');
  });

  it('lets a store user create customers only in their own store', async () => {
    const gzStore = (await server.api<Listed<{ id: number; code: string }>>('GET', '/api/stores?pageSize=200', { token: tokens.admin })).body.data.items.find((s) => s.code === 'GZ01');
    const reply = await server.api('POST', '/api/customers', { token: tokens.staff_sh01, body: { name: '越界客户', storeId: gzStore?.id } });
    expect(reply.status).toBe(403);
    const search = await server.api<Listed<Named>>('GET', `/api/customers?q=${encodeURIComponent('越界')}`, { token: tokens.admin });
    expect(search.body.data.total).toBe(0);
  });

  it('shows a region manager only the users of their region, and a store manager only their store', async () => {
    const region = await server.api<Listed<{ username: string }>>('GET', '/api/users?pageSize=200', { token: tokens.region_east });
    expect(sorted(region.body.data.items.map((u) => u.username))).toEqual(sorted(['region_east', 'manager_sh01', 'staff_sh01', 'tech_sh01']));
    const store = await server.api<Listed<{ username: string }>>('GET', '/api/users?pageSize=200', { token: tokens.manager_sh01 });
    expect(sorted(store.body.data.items.map((u) => u.username))).toEqual(sorted(['manager_sh01', 'staff_sh01', 'tech_sh01']));
    const admin = (await server.api<Listed<{ id: number; username: string }>>('GET', '/api/users?pageSize=200', { token: tokens.admin })).body.data.items.find((u) => u.username === 'admin');
    expect((await server.api('GET', `/api/users/${admin?.id}`, { token: tokens.manager_sh01 })).status).toBe(404);
  });

  it('refuses management endpoints to roles without the permission', async () => {
    expect((await server.api('GET', '/api/audit-logs', { token: tokens.staff_sh01 })).status).toBe(403);
    expect((await server.api('GET', '/api/roles', { token: tokens.manager_sh01 })).status).toBe(403);
    expect((await server.api('POST', '/api/regions', { token: tokens.region_east, body: { code: 'NORTH', name: '华北' } })).status).toBe(403);
    expect((await server.api('GET', '/api/customers')).status).toBe(401);
  });
});
