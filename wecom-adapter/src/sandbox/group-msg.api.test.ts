import { manualClock, startTestSandbox } from './sandbox-test-kit';

describe('sandbox group-send results', () => {
  // 2024-02-10 08:00 Asia/Shanghai: February 2024 has 29 days.
  const clock = manualClock(Date.UTC(2024, 1, 10, 0, 0, 0));
  let kit: Awaited<ReturnType<typeof startTestSandbox>>;
  let sender: string;
  let customers: string[];

  beforeAll(async () => {
    kit = await startTestSandbox({ clock: clock.now, seed: { employees: 3, customers: 30, seed: 5 } });
    const employees = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid);
    sender = employees.find((u) => kit.sandbox.state.customers.idsOf(u).length >= 4)!;
    customers = kit.sandbox.state.customers.idsOf(sender).slice(0, 4);
  });
  afterAll(() => kit.close());

  const template = async (ids: string[]) => {
    const token = await kit.token('customer');
    const res = await kit.post('externalcontact/add_msg_template', token, { chat_type: 'single', external_userid: ids, sender, text: { content: '春季上新' } });
    expect(res.errcode).toBe(0);
    return res.msgid as string;
  };
  const results = async (msgid: string, limit?: number, cursor?: string) => {
    const token = await kit.token('customer');
    return kit.post('externalcontact/get_groupmsg_send_result', token, { msgid, userid: sender, ...(limit && { limit }), ...(cursor && { cursor }) });
  };
  const confirm = (body: Record<string, unknown>) => kit.http.post('/__sandbox/events/group-msg-confirmed', body);

  it('reports every customer as not sent (0) until the sender confirms, paged by cursor', async () => {
    const msgid = await template(customers);
    const first = await results(msgid, 3);
    expect(first).toMatchObject({ errcode: 0, send_list: [{ status: 0 }, { status: 0 }, { status: 0 }] });
    expect(first.next_cursor).not.toBe('');
    const second = await results(msgid, 3, first.next_cursor as string);
    expect(second).toMatchObject({ next_cursor: '', send_list: [{ external_userid: customers[3], userid: sender, status: 0 }] });
  });

  it('turns results to sent (1), not a friend (2) or cap reached (3) when the sender confirms', async () => {
    const msgid = await template(customers);
    kit.sandbox.state.customers.unfollow(customers[0]!, sender);
    const confirmed = await confirm({ msgid, userid: sender, results: { [customers[1]!]: 3 } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.data).toEqual({ msgid, sent: 2, notFriend: 1, capReached: 1 });
    const list = (await results(msgid)).send_list as Array<{ external_userid: string; status: number; send_time?: number }>;
    const statusOf = Object.fromEntries(list.map((r) => [r.external_userid, r.status]));
    expect(statusOf).toEqual({ [customers[0]!]: 2, [customers[1]!]: 3, [customers[2]!]: 1, [customers[3]!]: 1 });
    expect(list.find((r) => r.status === 1)?.send_time).toBe(Math.floor(clock.now() / 1000));
  });

  it('refuses a customer who already received the month\'s cap of group messages (the days of the month)', async () => {
    const capped = customers[2]!;
    // one confirmed above; 28 more make 29, February 2024's cap
    for (let i = 0; i < 28; i += 1) {
      const msgid = await template([capped]);
      await confirm({ msgid });
    }
    const msgid = await template([capped, customers[3]!]);
    expect((await confirm({ msgid })).data).toMatchObject({ sent: 1, capReached: 1 });
    // next month the count starts again
    clock.advance(20 * 86_400_000);
    const march = await template([capped]);
    expect((await confirm({ msgid: march })).data).toMatchObject({ sent: 1, capReached: 0 });
  });

  it('answers 40058 for an unknown msgid and 400 / 404 on bad control input', async () => {
    expect((await results('msg-unknown')).errcode).toBe(40058);
    expect((await confirm({ msgid: 'msg-unknown' })).status).toBe(404);
    const msgid = await template([customers[3]!]);
    expect((await confirm({ msgid, userid: 'someone-else' })).status).toBe(400);
    expect((await confirm({ msgid, results: { x: 9 } })).status).toBe(400);
    // nothing changed by the refused calls
    expect((await results(msgid)).send_list).toEqual([expect.objectContaining({ status: 0 })]);
  });
});
