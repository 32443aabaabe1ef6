import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';

describe('sign-in, sessions and revocation', () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    first = await startTestServer();
    // A second instance on the same database (and the same Redis, when configured).
    second = await startTestServer({ database: first.database, env: { ...first.env } });
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  it('returns a bearer token for the right password and the user behind it', async () => {
    const reply = await first.api<{ data: { token: string; user: { username: string; role: { code: string } } } }>('POST', '/api/auth/login', {
      body: { username: 'manager_sh01', password: first.demoPassword },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.code).toBe(0);
    expect(reply.body.data.token).toMatch(/^[\w-]{40,}$/);
    expect(reply.body.data.user).toMatchObject({ username: 'manager_sh01', role: { code: 'store_manager' } });
  });

  it('refuses a wrong password with 401 and records the failure in the audit trail', async () => {
    const reply = await first.api('POST', '/api/auth/login', { body: { username: 'staff_sh01', password: 'wrong-password' } });
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('INVALID_CREDENTIALS');
    const admin = await first.login('admin');
    const audit = await first.api<{ data: { items: Array<{ actorName: string }> } }>('GET', '/api/audit-logs?action=auth.login_failed', { token: admin });
    expect(audit.body.data.items.map((e) => e.actorName)).toContain('staff_sh01');
  });

  it('accepts a token on every instance and refuses it everywhere after logout', async () => {
    const token = await first.login('staff_sh01');
    expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(200);
    expect((await first.api('POST', '/api/auth/logout', { token })).status).toBe(200);
    const afterLogout = await second.api('GET', '/api/auth/me', { token });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers tokens that arrive together each with its own user, and refuses the signed-out one among them', async () => {
    const usernames = ['manager_sh01', 'staff_sh01', 'region_east'];
    const tokens = await Promise.all(usernames.map((username) => first.login(username)));
    const signedOut = await first.login('staff_sh01');
    await first.api('POST', '/api/auth/logout', { token: signedOut });
    const asked = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? { token: signedOut, expected: null } : { token: tokens[i % 4]!, expected: usernames[i % 4] }));
    const replies = await Promise.all(asked.map(({ token }) => first.api<{ data: { user: { username: string } } }>('GET', '/api/auth/me', { token })));
    expect(replies.map((reply) => (reply.status === 200 ? reply.body.data.user.username : reply.status))).toEqual(asked.map(({ expected }) => expected ?? 401));
  });

  it('signs a user out everywhere when an admin revokes their sessions', async () => {
    const token = await second.login('tech_sh01');
    const admin = await first.login('admin');
    const users = await first.api<{ data: { items: Array<{ id: number; username: string }> } }>('GET', '/api/users?q=tech_sh01', { token: admin });
    const tech = users.body.data.items[0];
    const revoke = await first.api<{ data: { revoked: number } }>('POST', `/api/users/${tech?.id}/revoke-sessions`, { token: admin });
    expect(revoke.body.data.revoked).toBeGreaterThanOrEqual(1);
    expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('refuses a session once it has expired, and takes one a second from expiry', async () => {
    const { models } = first.running.services;
    const token = await first.login('region_east');
    expect((await first.api('GET', '/api/auth/me', { token })).status).toBe(200);
    const where = { user_id: (await models.User.findOne({ where: { username: 'region_east' }, raw: true }))!.id, revoked_at: null };
    await models.Session.update({ expires_at: new Date(Date.now() + 60_000) }, { where });
    expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(200);
    await models.Session.update({ expires_at: new Date(Date.now() - 1000) }, { where });
    expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('refuses a disabled user at once, on every instance', async () => {
    const token = await first.login('finance');
    const admin = await first.login('admin');
    const users = await first.api<{ data: { items: Array<{ id: number }> } }>('GET', '/api/users?q=finance', { token: admin });
    const financeId = users.body.data.items[0]?.id;
    expect((await first.api('PATCH', `/api/users/${financeId}`, { token: admin, body: { status: 'disabled' } })).status).toBe(200);
    expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await second.api('POST', '/api/auth/login', { body: { username: 'finance', password: first.demoPassword } })).status).toBe(401);
    await first.api('PATCH', `/api/users/${financeId}`, { token: admin, body: { status: 'active' } });
  });

  it('serves menus that depend on permissions', async () => {
    const keys = async (username: string) => {
      const me = await first.api<{ data: { menus: Array<{ key: string; children?: Array<{ key: string }> }> } }>('GET', '/api/auth/me', { token: await first.login(username) });
      return me.body.data.menus.flatMap((m) => [m.key, ...(m.children ?? []).map((c) => c.key)]);
    };
    expect(await keys('admin')).toEqual(expect.arrayContaining(['customers', 'users', 'roles', 'audit', 'jobs']));
    const staff = await keys('staff_sh01');
    expect(staff).toContain('customers');
    expect(staff).not.toContain('users');
    expect(staff).not.toContain('audit');
  });
});

describe('sign-in throttling', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_IP_MAX_ATTEMPTS: '5', LOGIN_IP_WINDOW_SECONDS: '2', LOGIN_ACCOUNT_MAX_FAILURES: '3', LOGIN_ACCOUNT_LOCK_SECONDS: '2', TRUST_PROXY: 'true' } });
  });
  afterAll(() => server.stop());

  const attempt = (username: string, password: string, ip: string) =>
    server.api('POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': ip } });

  it('refuses more attempts than allowed from one address with 429 and a retry time, then recovers', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt(`nobody${i}`, 'wrong', '1.1.1.1')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const refused = await attempt('admin', server.adminPassword, '1.1.1.1');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((refused.body.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await waitUntil(async () => (await attempt('admin', server.adminPassword, '1.1.1.1')).status === 200, 5000, 100);
  });

  it('locks an account after repeated failures from any address, then unlocks it', async () => {
    for (let i = 0; i < 3; i += 1) expect((await attempt('staff_sh01', 'wrong', `2.2.2.${i}`)).status).toBe(401);
    const locked = await attempt('staff_sh01', server.demoPassword, '3.3.3.3');
    expect(locked.status).toBe(429);
    await waitUntil(async () => (await attempt('staff_sh01', server.demoPassword, '4.4.4.4')).status === 200, 5000, 100);
  });
});
