import { TEST_CORP_ID, manualClock, startTestSandbox } from './sandbox-test-kit';

describe('sandbox gettoken and access tokens', () => {
  const clock = manualClock();
  let kit: Awaited<ReturnType<typeof startTestSandbox>>;

  beforeAll(async () => {
    kit = await startTestSandbox({ clock: clock.now, tokenTtlSeconds: 7200, seed: { employees: 3, customers: 5, seed: 1 } });
  });
  afterAll(() => kit.close());

  it('issues a token that keeps working until tokenTtlSeconds, then answers 42001', async () => {
    const res = await kit.http.get('/cgi-bin/gettoken', { params: { corpid: TEST_CORP_ID, corpsecret: 'customer-secret' } });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    const token = res.data.access_token as string;
    expect(await kit.token('customer')).toBe(token);
    expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(0);

    clock.advance(7199_000);
    expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(0);
    clock.advance(1000);
    expect((await kit.get('externalcontact/get_follow_user_list', token)).errcode).toBe(42001);

    const renewed = await kit.token('customer');
    expect(renewed).not.toBe(token);
    expect((await kit.get('externalcontact/get_follow_user_list', renewed)).errcode).toBe(0);
  });

  it('returns the same token with its remaining whole seconds, and a new one in its last second', async () => {
    const first = await kit.http.get('/cgi-bin/gettoken', { params: { corpid: TEST_CORP_ID, corpsecret: 'contact-secret' } });
    clock.advance(7198_500);
    const again = await kit.http.get('/cgi-bin/gettoken', { params: { corpid: TEST_CORP_ID, corpsecret: 'contact-secret' } });
    expect(again.data).toMatchObject({ access_token: first.data.access_token, expires_in: 1 });
    clock.advance(600);
    const renewed = await kit.http.get('/cgi-bin/gettoken', { params: { corpid: TEST_CORP_ID, corpsecret: 'contact-secret' } });
    expect(renewed.data.access_token).not.toBe(first.data.access_token);
    expect(renewed.data.expires_in).toBe(7200);
  });

  it('rejects a wrong secret with 40001 and a wrong corpid with 40013', async () => {
    const wrongSecret = await kit.http.get('/cgi-bin/gettoken', { params: { corpid: TEST_CORP_ID, corpsecret: 'nope' } });
    expect(wrongSecret.status).toBe(200);
    expect(wrongSecret.data.errcode).toBe(40001);
    const wrongCorp = await kit.http.get('/cgi-bin/gettoken', { params: { corpid: 'wwother', corpsecret: 'customer-secret' } });
    expect(wrongCorp.data.errcode).toBe(40013);
  });

  it('answers 41001 without a token and 40014 for an unknown one', async () => {
    const missing = await kit.http.get('/cgi-bin/externalcontact/get_follow_user_list');
    expect(missing.data.errcode).toBe(41001);
    expect((await kit.get('externalcontact/get_follow_user_list', 'not-a-token')).errcode).toBe(40014);
  });

  it("refuses another app's APIs with 48002 (contact token on externalcontact, customer token on user/list_id)", async () => {
    const contact = await kit.token('contact');
    expect((await kit.get('externalcontact/get_follow_user_list', contact)).errcode).toBe(48002);
    expect((await kit.post('user/list_id', contact, { limit: 10 })).errcode).toBe(0);
    const customer = await kit.token('customer');
    expect((await kit.post('user/list_id', customer, { limit: 10 })).errcode).toBe(48002);
    expect((await kit.post('message/send', customer, { touser: '@all', msgtype: 'text', agentid: 1000002, text: { content: 'x' } })).errcode).toBe(48002);
  });

  it('revokes tokens early through the control API (42001), after which gettoken gives a new one', async () => {
    const agent = await kit.token('agent');
    expect((await kit.get('department/list', agent)).errcode).toBe(0);
    const revoke = await kit.http.post('/__sandbox/revoke-tokens', { app: 'agent' });
    expect(revoke.data.revoked).toBeGreaterThanOrEqual(1);
    expect((await kit.get('department/list', agent)).errcode).toBe(42001);
    const fresh = await kit.token('agent');
    expect(fresh).not.toBe(agent);
    expect((await kit.get('department/list', fresh)).errcode).toBe(0);
  });

  it('exchanges an OAuth code once for the userid (40029 afterwards)', async () => {
    const agent = await kit.token('agent');
    const userid = kit.sandbox.state.directory.activeEmployees()[0]?.userid;
    const { data } = await kit.http.post('/__sandbox/oauth/code', { userid });
    expect((await kit.get('auth/getuserinfo', agent, { code: data.code })).userid).toBe(userid);
    expect((await kit.get('auth/getuserinfo', agent, { code: data.code })).errcode).toBe(40029);
  });

  it('hands out JS-SDK tickets to the app', async () => {
    const agent = await kit.token('agent');
    expect(await kit.get('get_jsapi_ticket', agent)).toMatchObject({ errcode: 0, expires_in: expect.any(Number), ticket: expect.any(String) });
    expect(await kit.get('ticket/get', agent, { type: 'agent_config' })).toMatchObject({ errcode: 0, ticket: expect.any(String) });
  });
});
