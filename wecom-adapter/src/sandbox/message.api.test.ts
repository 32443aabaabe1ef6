import { manualClock, startTestSandbox } from './sandbox-test-kit';

describe('sandbox messages and welcome codes', () => {
  const clock = manualClock();
  let kit: Awaited<ReturnType<typeof startTestSandbox>>;
  let userids: string[];

  beforeAll(async () => {
    kit = await startTestSandbox({ clock: clock.now, seed: { employees: 4, customers: 20, seed: 11 } });
    userids = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid);
  });
  afterAll(() => kit.close());

  async function newWelcomeCode() {
    const { data } = await kit.http.post('/__sandbox/events/customer-added', { userId: userids[0] });
    return data.welcomeCode as string;
  }

  it('accepts a welcome_code once within 20 s of its event, then answers 41051', async () => {
    const token = await kit.token('customer');
    const code = await newWelcomeCode();
    clock.advance(19_000);
    expect((await kit.post('externalcontact/send_welcome_msg', token, { welcome_code: code, text: { content: '你好' } })).errcode).toBe(0);
    expect((await kit.post('externalcontact/send_welcome_msg', token, { welcome_code: code, text: { content: '再次' } })).errcode).toBe(41051);
    expect(kit.sandbox.state.messages.welcomeMessages).toEqual([expect.objectContaining({ welcomeCode: code, userid: userids[0], text: { content: '你好' } })]);
  });

  it('refuses a welcome_code used after 20 s', async () => {
    const token = await kit.token('customer');
    const code = await newWelcomeCode();
    clock.advance(20_001);
    expect((await kit.post('externalcontact/send_welcome_msg', token, { welcome_code: code, text: { content: '迟了' } })).errcode).toBe(41051);
  });

  it('records what each member received from message/send and reports invalid users', async () => {
    const agent = await kit.token('agent');
    const sent = await kit.post('message/send', agent, { touser: `${userids[0]}|${userids[1]}|ghost`, msgtype: 'text', agentid: 1000002, text: { content: '工单已指派' } });
    expect(sent).toMatchObject({ errcode: 0, invaliduser: 'ghost', msgid: expect.any(String) });
    const received = await kit.http.get('/__sandbox/state/messages', { params: { userid: userids[1] } });
    expect(received.data.messages).toEqual([expect.objectContaining({ msgtype: 'text', content: { content: '工单已指派' }, msgid: sent.msgid })]);
    expect((await kit.post('message/send', agent, { touser: 'ghost', msgtype: 'text', agentid: 1000002, text: { content: 'x' } })).errcode).toBe(81013);
    expect((await kit.post('message/send', agent, { touser: '@all', msgtype: 'text', agentid: 999, text: { content: 'x' } })).errcode).toBe(40056);
  });

  it('creates a group-send template with a fail_list of unknown customers', async () => {
    const token = await kit.token('customer');
    const own = kit.sandbox.state.customers.idsOf(userids[0] as string)[0];
    const res = await kit.post('externalcontact/add_msg_template', token, { external_userid: [own, 'wmunknown'], sender: userids[0], text: { content: '活动通知' } });
    expect(res).toMatchObject({ errcode: 0, fail_list: ['wmunknown'], msgid: expect.any(String) });
  });
});
