import { startTestServer, type TestServer } from '../../testing/test-server';

interface SettingsView {
  mode: string;
  callbackUrl: string;
  fields: Record<string, { value: string | null; source: string; secret: boolean }>;
}

describe('sandbox mode: no WeCom corp configured', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '30', JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
  });
  afterAll(() => server.stop());

  it('runs the WeCom sandbox beside the server and points the connection at it', async () => {
    expect(server.running.sandbox).not.toBeNull();
    const settings = await server.api<{ data: SettingsView }>('GET', '/api/wecom/settings', { token: admin });
    expect(settings.body.data.mode).toBe('sandbox');
    expect(settings.body.data.fields.apiBase).toMatchObject({ value: server.running.sandbox?.url, source: 'sandbox' });
    expect(settings.body.data.fields.customerSecret?.value).toMatch(/^\*+.{4}$/);
    expect(settings.body.data.callbackUrl).toBe(`${server.baseUrl}/wecom/callback`);
  });

  it('passes the connection check against the sandbox', async () => {
    const check = await server.api<{ data: { items: Array<{ item: string; ok: boolean }> } }>('POST', '/api/wecom/settings/check', { token: admin });
    expect(check.body.data.items).toEqual(
      ['callback', 'contactSecret', 'customerSecret', 'agentSecret'].map((item) => expect.objectContaining({ item, ok: true })),
    );
  });

  it('receives, stores and processes the callbacks the sandbox pushes', async () => {
    const sandboxUrl = server.running.sandbox?.url ?? '';
    const control = (path: string, body: unknown) =>
      fetch(`${sandboxUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const employees = (await (await fetch(`${sandboxUrl}/__sandbox/state/employees`)).json()) as { employees: Array<{ userid: string }> };
    const userId = employees.employees[0]?.userid ?? '';
    const added = await control('events/customer-added', { userId, state: 'counter' });
    await control('callbacks/drain', {});
    await server.running.services.wecom.callbacks.dispatchPending();
    await server.running.services.queue.drain();
    const list = await server.api<{ data: { items: Array<{ changeType: string; status: string; summary: Record<string, unknown> }> } }>('GET', '/api/wecom/callbacks', { token: admin });
    expect(list.body.data.items[0]).toMatchObject({
      changeType: 'add_external_contact',
      status: 'processed',
      summary: expect.objectContaining({ UserID: userId, ExternalUserID: added.externalUserId, State: 'counter' }),
    });
  });
});

describe('WeCom settings in the console', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_AGENT_ID: '1000005' } });
    admin = await server.login('admin');
  });
  afterAll(() => server.stop());

  it('refuses a malformed EncodingAESKey with the field path and stores nothing', async () => {
    const reply = await server.api('PUT', '/api/wecom/settings', { token: admin, body: { callbackAesKey: 'too-short' } });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([expect.objectContaining({ path: 'body.callbackAesKey' })]);
    expect(await server.running.services.models.Setting.count()).toBe(0);
  });

  it('stores secrets encrypted, shows them masked, audits the change without the secret, and leaves environment values in charge', async () => {
    const secret = 'customer-secret-value-1234';
    const reply = await server.api<{ data: SettingsView }>('PUT', '/api/wecom/settings', {
      token: admin,
      body: { corpId: 'ww_real_corp', customerSecret: secret, agentId: '999' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data.mode).toBe('live');
    expect(reply.body.data.fields.customerSecret).toEqual({ value: '********1234', source: 'console', secret: true });
    expect(reply.body.data.fields.agentId).toMatchObject({ value: '1000005', source: 'env' });
    const [rows] = await server.running.services.db.sequelize.query('SELECT * FROM settings');
    expect(JSON.stringify(rows)).not.toContain(secret);
    const audit = await server.api<{ data: { items: Array<{ diff: unknown }> } }>('GET', '/api/audit-logs?action=settings.updated', { token: admin });
    expect(JSON.stringify(audit.body.data.items)).not.toContain(secret);
    expect(JSON.stringify(audit.body.data.items)).toContain('****1234');
  });

  it('is for administrators only', async () => {
    const staff = await server.login('manager_sh01');
    expect((await server.api('GET', '/api/wecom/settings', { token: staff })).status).toBe(403);
    expect((await server.api('GET', '/api/wecom/callbacks', { token: staff })).status).toBe(403);
  });
});
