import { startTestServer, type TestServer } from '../../testing/test-server';

type Reply<T> = { data: T };
interface SettingsView {
  secret: string | null;
  secretFromEnv: boolean;
  sdkPath: string | null;
  sdkPathFromEnv: boolean;
  retentionDays: number;
  consentRequired: boolean;
}

const menuKeys = async (server: TestServer, token: string) => {
  const me = await server.api<Reply<{ menus: Array<{ key: string; children?: Array<{ key: string }> }> }>>('GET', '/api/auth/me', { token });
  return me.body.data.menus.flatMap((m) => [m.key, ...(m.children ?? []).map((c) => c.key)]);
};

describe('chat archive settings, status and console access', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin', server.adminPassword);
  }, 60_000);
  afterAll(() => server?.stop());

  it('stores the secret encrypted, shows it masked only, and audits every change', async () => {
    const saved = await server.api<Reply<SettingsView>>('PUT', '/api/chat-archive/settings', { token: admin, body: { secret: 'archive-secret-9876', sdkPath: '/opt/wecom/libWeWorkFinanceSdk_C.so', retentionDays: 180, consentRequired: true } });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toEqual({ secret: '********9876', secretFromEnv: false, sdkPath: '/opt/wecom/libWeWorkFinanceSdk_C.so', sdkPathFromEnv: false, retentionDays: 180, consentRequired: true });
    expect(JSON.stringify((await server.api('GET', '/api/chat-archive/settings', { token: admin })).body)).not.toContain('archive-secret-9876');

    const { models, chatArchive } = server.running.services;
    const row = await models.Setting.findOne({ where: { key: 'archive.secret' }, raw: true });
    expect(row?.value).not.toContain('archive-secret');
    expect((await chatArchive.settings.effective()).secret).toBe('archive-secret-9876');
    const audit = await models.AuditLog.findOne({ where: { action: 'settings.updated' }, order: [['id', 'DESC']], raw: true });
    expect(JSON.stringify(audit)).toContain('archive.retention_days');
    expect(JSON.stringify(audit)).toContain('9876');
    expect(JSON.stringify(audit)).not.toContain('archive-secret-9876');
  });

  it('refuses bad values by field name and changes nothing', async () => {
    for (const [body, field] of [
      [{ retentionDays: -1 }, 'retentionDays'],
      [{ sdkPath: 'relative/lib.so' }, 'sdkPath'],
      [{ secret: 'short' }, 'secret'],
      [{ consentRequired: 'yes' }, 'consentRequired'],
    ] as const) {
      const reply = await server.api('PUT', '/api/chat-archive/settings', { token: admin, body });
      expect(reply.status).toBe(400);
      expect(JSON.stringify(reply.body)).toContain(field);
    }
    const view = await server.api<Reply<SettingsView>>('GET', '/api/chat-archive/settings', { token: admin });
    expect(view.body.data).toMatchObject({ retentionDays: 180, sdkPath: '/opt/wecom/libWeWorkFinanceSdk_C.so', consentRequired: true });
  });

  it('reports the worker position, rate and lag it recorded for the last batch', async () => {
    const { models } = server.running.services;
    await models.ArchiveCursor.create({ corp_id: 'wwstatus', last_seq: 1200, messages_stored: 1200, last_batch_at: new Date('2026-01-01T00:01:00Z'), last_batch_messages: 500, last_batch_ms: 250, last_msg_time: new Date('2026-01-01T00:00:30Z') });
    const status = await server.api<Reply<{ cursors: Array<Record<string, unknown>> }>>('GET', '/api/chat-archive/status', { token: admin });
    expect(status.status).toBe(200);
    expect(status.body.data.cursors.find((c) => c.corpId === 'wwstatus')).toMatchObject({ lastSeq: 1200, lastBatchMessages: 500, ratePerSecond: 2000, lagSeconds: 30, lastError: null });
  });

  it('gives store managers the search (menu and API) but not the settings', async () => {
    const manager = await server.login('manager_sh01', server.demoPassword);
    const keys = await menuKeys(server, manager);
    expect(keys).toContain('chat-archive');
    expect(keys).not.toContain('chat-archive-settings');
    expect((await server.api('GET', '/api/chat-archive/messages?q=x', { token: manager })).status).toBe(200);
    expect((await server.api('GET', '/api/chat-archive/settings', { token: manager })).status).toBe(403);
    expect((await server.api('PUT', '/api/chat-archive/settings', { token: manager, body: { retentionDays: 1 } })).status).toBe(403);
    expect(await menuKeys(server, admin)).toEqual(expect.arrayContaining(['chat-archive', 'chat-archive-settings']));
  });
});

describe('chat archive settings fixed by the environment', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_FINANCE_SDK_PATH: '/srv/sdk/libWeWorkFinanceSdk_C.so', WECOM_ARCHIVE_SECRET: 'env-archive-secret-1234' } });
  }, 60_000);
  afterAll(() => server?.stop());

  it('shows them read-only and refuses to change them from the console', async () => {
    const admin = await server.login('admin', server.adminPassword);
    const view = await server.api<Reply<SettingsView>>('GET', '/api/chat-archive/settings', { token: admin });
    expect(view.body.data).toMatchObject({ sdkPath: '/srv/sdk/libWeWorkFinanceSdk_C.so', sdkPathFromEnv: true, secret: '********1234', secretFromEnv: true });
    const refused = await server.api('PUT', '/api/chat-archive/settings', { token: admin, body: { sdkPath: '/srv/other-sdk/libWeWorkFinanceSdk_C.so', retentionDays: 30 } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('sdkPath');
    expect((await server.api<Reply<SettingsView>>('GET', '/api/chat-archive/settings', { token: admin })).body.data.retentionDays).toBe(0);
  });
});
