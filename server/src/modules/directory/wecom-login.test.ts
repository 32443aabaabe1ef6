import { startDirectoryServer, type DirectoryKit } from './directory-test-kit';

interface LoginReply {
  data: { token: string; user: { username: string; storeId: number | null } };
}

describe('sign-in through WeCom (sandbox)', () => {
  let kit: DirectoryKit;
  let ids: Awaited<ReturnType<DirectoryKit['ids']>>;
  let employee: { userid: string; name: string };

  const authorizeUrl = async (mode: 'oauth' | 'qr', redirect = `${kit.server.baseUrl}/login`) =>
    kit.server.api<{ data: { url: string } }>('GET', `/api/auth/wecom/authorize-url?mode=${mode}&redirect=${encodeURIComponent(redirect)}`);

  /** Opens WeCom's page, picks the employee there, and follows the redirect back: the code and state we receive. */
  async function signInAt(url: string, userid: string) {
    const page = await fetch(url.split('#')[0] as string);
    const html = await page.text();
    const href = new RegExp(`href="([^"]+)" data-userid="${userid}"`).exec(html)?.[1]?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    if (!href) throw new Error(`no link for ${userid} on ${url}`);
    const picked = await fetch(new URL(href, page.url), { redirect: 'manual' });
    const back = new URL(picked.headers.get('location') ?? '');
    return { back, code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' };
  }

  beforeAll(async () => {
    kit = await startDirectoryServer();
    ids = await kit.ids();
    await kit.runSync();
    await kit.setMapping(1, { storeId: ids.store('SH01'), roleId: ids.role('store_staff') });
    const [first] = await kit.activeEmployees();
    employee = first as { userid: string; name: string };
  });
  afterAll(() => kit.server.stop());

  it('in-client OAuth end to end: authorize URL → sandbox page → code → session of the employee\'s user', async () => {
    const { body } = await authorizeUrl('oauth');
    const url = body.data.url;
    expect(url.startsWith(`${kit.sandboxUrl}/connect/oauth2/authorize?`)).toBe(true);
    expect(url.endsWith('#wechat_redirect')).toBe(true);
    expect(new URL(url).searchParams.get('scope')).toBe('snsapi_base');
    const { back, code, state } = await signInAt(url, employee.userid);
    expect(`${back.origin}${back.pathname}`).toBe(`${kit.server.baseUrl}/login`);
    const login = await kit.server.api<LoginReply>('POST', '/api/auth/wecom/login', { body: { code, state } });
    expect(login.status).toBe(200);
    expect(login.body.data.user).toMatchObject({ username: employee.userid, storeId: ids.store('SH01') });
    const me = await kit.server.api<{ data: { user: { username: string } } }>('GET', '/api/auth/me', { token: login.body.data.token });
    expect(me.body.data.user.username).toBe(employee.userid);
    const audit = await kit.server.api<{ data: { items: Array<{ actorName: string }> } }>('GET', '/api/audit-logs?action=auth.login', { token: kit.admin });
    expect(audit.body.data.items[0]).toMatchObject({ actorName: employee.userid });
    // The state is single use.
    expect((await kit.server.api('POST', '/api/auth/wecom/login', { body: { code, state } })).status).toBe(400);
  });

  it('web QR login goes through the sandbox\'s QR page the same way', async () => {
    const { body } = await authorizeUrl('qr');
    expect(body.data.url.startsWith(`${kit.sandboxUrl}/wwlogin/sso/login?`)).toBe(true);
    expect(new URL(body.data.url).searchParams.get('login_type')).toBe('CorpApp');
    const { code, state } = await signInAt(body.data.url, employee.userid);
    expect((await kit.server.api<LoginReply>('POST', '/api/auth/wecom/login', { body: { code, state } })).status).toBe(200);
  });

  it('refuses an unknown or forged state, a used code, and a redirect to another site', async () => {
    const { code } = await signInAt((await authorizeUrl('oauth')).body.data.url, employee.userid);
    const forged = await kit.server.api('POST', '/api/auth/wecom/login', { body: { code, state: 'made-up-state' } });
    expect(forged.status).toBe(400);
    expect(forged.body.details).toEqual([expect.objectContaining({ path: 'body.state' })]);
    expect((await kit.server.api('POST', '/api/auth/wecom/login', { body: { code: '', state: '' } })).status).toBe(400);

    const fresh = await signInAt((await authorizeUrl('oauth')).body.data.url, employee.userid);
    expect((await kit.server.api('POST', '/api/auth/wecom/login', { body: fresh })).status).toBe(200);
    const again = new URL((await authorizeUrl('oauth')).body.data.url.split('#')[0] as string).searchParams.get('state');
    expect((await kit.server.api('POST', '/api/auth/wecom/login', { body: { code: fresh.code, state: again } })).status).toBe(401);

    const foreign = await authorizeUrl('oauth', 'https://evil.example/steal');
    expect(foreign.status).toBe(400);
    expect(foreign.body.details).toEqual([expect.objectContaining({ path: 'query.redirect' })]);
    expect((await kit.server.api('GET', '/api/auth/wecom/authorize-url?mode=sms&redirect=x')).status).toBe(400);
  });

  it('refuses a member with no user, and a disabled user, with an audited failure', async () => {
    await kit.control('events/employee-created', { userId: 'outsider', department: [1] });
    // Not synced yet: WeCom knows the member, we have no user for them.
    const first = await signInAt((await authorizeUrl('oauth')).body.data.url, 'outsider');
    const unknown = await kit.server.api('POST', '/api/auth/wecom/login', { body: first });
    expect(unknown.status).toBe(403);
    expect(unknown.body.details).toMatchObject({ reason: 'no_user' });

    const user = await kit.userOf(employee.userid);
    await kit.server.api('PATCH', `/api/users/${user?.id}`, { token: kit.admin, body: { status: 'disabled' } });
    const second = await signInAt((await authorizeUrl('oauth')).body.data.url, employee.userid);
    const disabled = await kit.server.api('POST', '/api/auth/wecom/login', { body: second });
    expect(disabled.status).toBe(403);
    expect(disabled.body.details).toMatchObject({ reason: 'disabled' });

    const audit = await kit.server.api<{ data: { items: Array<{ actorName: string }> } }>('GET', '/api/audit-logs?action=auth.login_failed', { token: kit.admin });
    const names = audit.body.data.items.map((i) => i.actorName);
    expect(names).toEqual(expect.arrayContaining(['wecom:outsider', `wecom:${employee.userid}`]));
  });

  // Last: it spends this address's sign-in budget.
  it('throttles WeCom sign-in attempts per address like password sign-in', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 60 && !statuses.includes(429); attempt += 1) {
      statuses.push((await kit.server.api('POST', '/api/auth/wecom/login', { body: { code: 'guess', state: `guess-${attempt}` } })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([400]));
    const refused = await kit.server.api('POST', '/api/auth/wecom/login', { body: { code: 'guess', state: 'again' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
