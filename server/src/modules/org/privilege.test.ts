import { startTestServer, type TestServer } from '../../testing/test-server';

interface Listed<T> {
  data: { items: T[] };
}

/** A region-scoped custom role that may manage roles and users must not climb past itself. */
describe('nobody grants more than they hold', () => {
  let server: TestServer;
  let admin: string;
  let hr: string;
  let hrRoleId: number;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    const role = await server.api<{ data: { id: number } }>('POST', '/api/roles', {
      token: admin,
      body: { code: 'hr', name: 'HR', dataScope: 'region', permissions: ['role:read', 'role:write', 'user:read', 'user:write', 'customer:read'] },
    });
    hrRoleId = role.body.data.id;
    const regions = await server.api<{ data: Array<{ id: number; code: string }> }>('GET', '/api/regions', { token: admin });
    const east = regions.body.data.find((r) => r.code === 'EAST');
    const created = await server.api('POST', '/api/users', { token: admin, body: { username: 'hr1', displayName: 'HR', password: 'hr-pass-1234', roleId: hrRoleId, regionId: east?.id } });
    expect(created.status).toBe(200);
    hr = await server.login('hr1', 'hr-pass-1234');
  });
  afterAll(() => server.stop());

  it('cannot widen the data scope of their own role, or create a wider role', async () => {
    expect((await server.api('PATCH', `/api/roles/${hrRoleId}`, { token: hr, body: { dataScope: 'all' } })).status).toBe(403);
    expect((await server.api('POST', '/api/roles', { token: hr, body: { code: 'wide', name: 'Wide', dataScope: 'all', permissions: ['customer:read'] } })).status).toBe(403);
    const customers = await server.api<Listed<unknown>>('GET', '/api/customers?pageSize=200', { token: hr });
    expect(customers.body.data.items).toHaveLength(6);
  });

  it('cannot reset the password of, or disable, a user whose role holds more', async () => {
    const users = await server.api<Listed<{ id: number; username: string }>>('GET', '/api/users?pageSize=200', { token: hr });
    const manager = users.body.data.items.find((u) => u.username === 'manager_sh01');
    expect(manager).toBeDefined();
    expect((await server.api('PATCH', `/api/users/${manager?.id}`, { token: hr, body: { password: 'hijacked-pass-1' } })).status).toBe(403);
    expect((await server.api('PATCH', `/api/users/${manager?.id}`, { token: hr, body: { status: 'disabled' } })).status).toBe(403);
    expect((await server.api('POST', '/api/auth/login', { body: { username: 'manager_sh01', password: 'hijacked-pass-1' } })).status).toBe(401);
  });

  it('may still manage users whose role it fully holds', async () => {
    const created = await server.api<{ data: { id: number } }>('POST', '/api/users', {
      token: admin,
      body: { username: 'hr2', displayName: 'HR 2', password: 'hr2-pass-1234', roleId: hrRoleId, regionId: (await server.api<{ data: { user: { regionId: number } } }>('GET', '/api/auth/me', { token: hr })).body.data.user.regionId },
    });
    expect((await server.api('PATCH', `/api/users/${created.body.data.id}`, { token: hr, body: { displayName: 'HR two' } })).status).toBe(200);
  });
});

describe('phone numbers stay hidden from those without customer:pii:read', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('refuses an exact phone search that would confirm a masked number', async () => {
    const staff = await server.login('staff_sh01');
    const reply = await server.api('GET', '/api/customers?phone=13800000001', { token: staff });
    expect(reply.status).toBe(403);
    expect(reply.body.details).toEqual([expect.objectContaining({ path: 'query.phone' })]);
  });

  it('records an export filtered by phone without the number itself', async () => {
    const manager = await server.login('manager_sh01');
    expect((await server.api('GET', '/api/customers/export?phone=13800000001', { token: manager })).status).toBe(200);
    const audit = await server.api<Listed<{ diff: unknown }>>('GET', '/api/audit-logs?action=customer.exported', { token: await server.login('admin') });
    const recorded = JSON.stringify(audit.body.data.items);
    expect(recorded).toContain('138****0001');
    expect(recorded).not.toContain('13800000001');
  });
});
