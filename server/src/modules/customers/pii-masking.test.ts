import { startTestServer, type TestServer } from '../../testing/test-server';

interface Customer {
  id: number;
  name: string;
  phone: string | null;
  address: string | null;
}

describe('personal data on customers', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
  });
  afterAll(() => server.stop());

  async function createCustomer(phone: string) {
    const stores = await server.api<{ data: { items: Array<{ id: number; code: string }> } }>('GET', '/api/stores', { token: admin });
    const sh01 = stores.body.data.items.find((s) => s.code === 'SH01');
    const created = await server.api<{ data: Customer }>('POST', '/api/customers', {
      token: admin,
      body: { name: '张女士', phone, address: '上海市徐汇区宜山路 700 号 12 楼', storeId: sh01?.id },
    });
    expect(created.status).toBe(200);
    return created.body.data;
  }

  it('shows the same customer masked to store staff and unmasked to a store manager, and audits the unmasked read', async () => {
    const customer = await createCustomer('13800990001');
    const staff = await server.login('staff_sh01');
    const manager = await server.login('manager_sh01');

    const masked = await server.api<{ data: Customer }>('GET', `/api/customers/${customer.id}`, { token: staff });
    expect(masked.body.data.phone).toBe('138****0001');
    expect(masked.body.data.address).toBe('上海市徐汇区****');

    const plain = await server.api<{ data: Customer }>('GET', `/api/customers/${customer.id}`, { token: manager });
    expect(plain.body.data.phone).toBe('13800990001');
    expect(plain.body.data.address).toBe('上海市徐汇区宜山路 700 号 12 楼');

    const audit = await server.api<{ data: { items: Array<{ actorName: string; targetId: string; requestId: string; diff: { after: { customerIds: number[] } } }> } }>(
      'GET',
      `/api/audit-logs?action=customer.pii_read&targetId=${customer.id}`,
      { token: admin },
    );
    const readers = audit.body.data.items.map((e) => e.actorName);
    expect(readers).toContain('manager_sh01');
    expect(readers).not.toContain('staff_sh01');
    const entry = audit.body.data.items.find((e) => e.actorName === 'manager_sh01');
    expect(entry?.requestId).toBe(plain.headers.get('x-request-id'));
  });

  it('audits unmasked reads made at the same moment each under its own reader and request', async () => {
    const customer = await createCustomer('13800990002');
    const readers = { manager_sh01: await server.login('manager_sh01'), admin };
    const reads = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const reader = i % 2 ? 'admin' : 'manager_sh01';
        const reply = await server.api('GET', `/api/customers/${customer.id}`, { token: readers[reader] });
        return { reader, requestId: reply.headers.get('x-request-id') };
      }),
    );
    const audit = await server.api<{ data: { items: Array<{ actorName: string; requestId: string }> } }>('GET', `/api/audit-logs?action=customer.pii_read&targetId=${customer.id}`, { token: admin });
    const recorded = new Map(audit.body.data.items.map((e) => [e.requestId, e.actorName]));
    expect(reads.map((read) => recorded.get(read.requestId ?? ''))).toEqual(reads.map((read) => read.reader));
  });

  it('stores phone and address encrypted, never in plain text', async () => {
    const customer = await createCustomer('13912345678');
    const [rows] = await server.running.services.db.sequelize.query(`SELECT * FROM customers WHERE id = ${Number(customer.id)}`);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('13912345678');
    expect(stored).not.toContain('宜山路');
    expect((rows as Array<{ phone_enc: string }>)[0]?.phone_enc).toMatch(/^v1:/);
  });

  it('finds a customer by exact phone through the blind index, in any common spelling', async () => {
    const customer = await createCustomer('13711112222');
    for (const spelling of ['13711112222', '137-1111-2222', '+8613711112222']) {
      const found = await server.api<{ data: { items: Customer[] } }>('GET', `/api/customers?phone=${encodeURIComponent(spelling)}`, { token: admin });
      expect(found.body.data.items.map((c) => c.id)).toEqual([customer.id]);
    }
  });

  it('keeps phone numbers out of the audit diff', async () => {
    const customer = await createCustomer('13655556666');
    const audit = await server.api<{ data: { items: Array<{ diff: unknown }> } }>('GET', `/api/audit-logs?action=customer.created&targetId=${customer.id}`, { token: admin });
    const diff = JSON.stringify(audit.body.data.items[0]?.diff);
    expect(diff).toContain('136****6666');
    expect(diff).not.toContain('13655556666');
  });
});
