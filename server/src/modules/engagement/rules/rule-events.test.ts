import { startSyncSandbox } from '../../customer-sync/customer-sync-test-kit';
import { acOrder } from '../../orders/order-test-kit';
import { createOrder, publishFlow } from '../../work-orders/work-order-test-kit';
import { startTestServer, type TestServer } from '../../../testing/test-server';
import { dormantRule, seedDormantCustomers } from './rule-test-kit';
import { couponPluginPath, redeliver, settleJobs, startHookReceiver } from './rule-events-test-kit';
import { webhookSignature } from './rule-webhook.job';
import { createOverdueReminders } from './follow-task-overdue';

type Kit = Awaited<ReturnType<typeof startSyncSandbox>>;
interface Rule { id: number; webhookSecret: string | null }
interface Firing { customerId: number; status: string; note: string | null; outcomes: Array<{ type: string; status: string; note?: string }> }
interface Task { id: number; title: string; status: string; customerId: number; assigneeUserId: number | null; reminderStatus: string }

describe('event-triggered automation rules', () => {
  let kit: Kit;
  let server: TestServer;
  let admin: string;
  let storeId: number;
  let ownerId: number;
  let employee: string;

  const api = <T>(method: string, path: string, body?: unknown) => server.api<{ data: T }>(method, path, { token: admin, body });
  const models = () => server.running.services.models;
  const createRule = async (body: Record<string, unknown>) => {
    const reply = await api<Rule>('POST', '/api/engagement/rules', { period: 'day', enabled: true, conditions: {}, ...body });
    if (reply.status !== 200) throw new Error(`rule: ${JSON.stringify(reply.body)}`);
    return reply.body.data;
  };
  const createCustomer = async (name: string) => {
    const reply = await api<{ id: number }>('POST', '/api/customers', { name, storeId, ownerUserId: ownerId });
    if (reply.status !== 200) throw new Error(`customer: ${JSON.stringify(reply.body)}`);
    return reply.body.data.id;
  };
  const firings = async (ruleId: number) => (await api<Firing[]>('GET', `/api/engagement/rules/${ruleId}/firings`)).body.data;
  const markerTag = async (name: string) => {
    const group = await models().TagGroup.create({ name: `规则-${name}` });
    return Number((await models().Tag.create({ group_id: Number(group.get('id')), name })).get('id'));
  };
  /** `customer.tagged` as the tagging service emits it, in the transaction of the change. */
  const tagEvent = (customerId: number, addedTagIds: number[]) => {
    const { db, outbox } = server.running.services;
    return db.transaction((tx) => outbox.emit('customer.tagged', { customerId, addedTagIds, removedTagIds: [] }, tx));
  };
  const disable = (id: number) => api('PATCH', `/api/engagement/rules/${id}`, { enabled: false });

  beforeAll(async () => {
    kit = await startSyncSandbox({ employees: 2, customers: 1, seed: 9 });
    // The webhook receiver listens on this host.
    server = await startTestServer({ env: { ...kit.env, JOB_WORKER_ENABLED: 'false', PLUGIN_DISCOVERY: 'false', PLUGIN_PATHS: couponPluginPath, WEBHOOK_ALLOW_INTERNAL: 'true' } });
    admin = await server.login('admin');
    storeId = Number((await models().Store.findOne({ where: { code: 'SH01' }, raw: true }))!.id);
    const owner = (await models().User.findOne({ where: { store_id: storeId }, order: [['id', 'ASC']], raw: true }))!;
    ownerId = Number(owner.id);
    employee = kit.sandbox.state.directory.activeEmployees()[0]!.userid;
    await models().User.update({ wecom_userid: employee }, { where: { id: ownerId } });
    kit.pointCallbacksAt(server.baseUrl);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await kit?.sandbox.close();
  });

  it('refuses bad event rules and actions with a 4xx naming the field, and creates nothing', async () => {
    const base = { name: '坏规则', trigger: { type: 'customer_added' }, actions: [{ type: 'add_tags', tagIds: [await markerTag('坏')] }] };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, trigger: { type: 'tag_added', tagId: 999_999 } }, 'body.trigger.tagId'],
      [{ ...base, trigger: { type: 'stage_changed', stage: 'nope' } }, 'body.trigger.stage'],
      [{ ...base, trigger: { type: 'order_shipped' } }, 'trigger'],
      [{ ...base, actions: [{ type: 'webhook', url: 'https://hooks.example.com/x' }] }, 'body.webhookSecret'],
      [{ ...base, actions: [{ type: 'webhook', url: 'ftp://hooks.example.com/x' }], webhookSecret: 'a-secret-of-16-chars' }, 'actions.0.url'],
      [{ ...base, actions: [{ type: 'create_task', title: '回访', dueIn: 0, dueUnit: 'days' }] }, 'actions.0.dueIn'],
      [{ ...base, actions: [{ type: 'issue_coupon', couponCode: '' }] }, 'actions.0.couponCode'],
    ];
    for (const [body, path] of cases) {
      const reply = await server.api('POST', '/api/engagement/rules', { token: admin, body });
      expect({ path, status: reply.status }).toEqual({ path, status: 400 });
      expect(JSON.stringify(reply.body)).toContain(path);
    }
    expect(await models().EngagementRule.count()).toBe(0);
    const rule = await createRule({ ...base, enabled: false });
    const run = await server.api('POST', `/api/engagement/rules/${rule.id}/run`, { token: admin });
    expect(run.status).toBe(409);
    await api('DELETE', `/api/engagement/rules/${rule.id}`);
  });

  it('fires a customer-added rule once per customer even when the event is delivered twice, only for customers matching its conditions, with a task, its WeCom reminder and a timeline entry', async () => {
    const rule = await createRule({ name: '新客回访', trigger: { type: 'customer_added' }, conditions: { q: '新客-' }, actions: [{ type: 'create_task', title: '24 小时内电话回访', dueIn: 1, dueUnit: 'days' }] });
    const matching = await createCustomer('新客-甲');
    const other = await createCustomer('路人-乙');
    await settleJobs(server);
    expect(await redeliver(server, 'customer.created')).toBeGreaterThanOrEqual(2);

    const fired = await firings(rule.id);
    expect(fired.map((f) => f.customerId)).toEqual([matching]);
    expect(fired[0]!.status).toBe('done');
    const tasks = await models().FollowTask.findAll({ where: { rule_id: rule.id }, raw: true });
    expect(tasks.map((t) => [Number(t.customer_id), Number(t.assignee_user_id), t.reminder_status])).toEqual([[matching, ownerId, 'sent']]);
    const reminders = kit.sandbox.state.messages.receivedBy(employee);
    expect(reminders).toHaveLength(1);
    expect(JSON.stringify(reminders[0])).toContain('24 小时内电话回访');
    const timeline = await models().CustomerTimeline.findAll({ where: { kind: 'rule.fired' }, raw: true });
    expect(timeline.map((t) => [Number(t.customer_id), t.summary])).toEqual([[matching, '自动化规则「新客回访」触发：新增客户']]);
    expect(await models().CustomerTimeline.count({ where: { kind: 'rule.fired', customer_id: other } })).toBe(0);

    // the 跟进任务 list: by employee and status, then marked done
    const open = await api<{ items: Task[]; total: number }>('GET', `/api/engagement/tasks?assigneeUserId=${ownerId}&status=open`);
    expect(open.body.data.items.map((t) => [t.customerId, t.title, t.reminderStatus])).toEqual([[matching, '24 小时内电话回访', 'sent']]);
    // data scope: the store's staff see it, a technician (own rows only) neither sees nor can finish it
    const taskId = open.body.data.items[0]!.id;
    const [staff, technician] = [await server.login('staff_sh01'), await server.login('tech_sh01')];
    expect((await server.api<{ data: { total: number } }>('GET', '/api/engagement/tasks', { token: staff })).body.data.total).toBe(1);
    expect((await server.api<{ data: { total: number } }>('GET', '/api/engagement/tasks', { token: technician })).body.data.total).toBe(0);
    expect((await server.api('POST', `/api/engagement/tasks/${taskId}/done`, { token: technician })).status).toBe(403);
    const done = await api<Task>('POST', `/api/engagement/tasks/${taskId}/done`);
    expect(done.body.data.status).toBe('done');
    expect((await api<{ total: number }>('GET', `/api/engagement/tasks?assigneeUserId=${ownerId}&status=open`)).body.data.total).toBe(0);
    expect(await models().AuditLog.count({ where: { action: 'engagement.task_done' } })).toBe(1);
    expect((await server.api('GET', '/api/engagement/tasks?status=later', { token: admin })).status).toBe(400);
    await disable(rule.id);
  });

  it('fires tag, stage, order, refund and work-order rules once per customer and period on their events', async () => {
    const marker = await markerTag('事件已触发');
    const wanted = await markerTag('高意向');
    const otherTag = await markerTag('随便看看');
    const actions = [{ type: 'add_tags', tagIds: [marker] }];
    const tagRule = await createRule({ name: '高意向', trigger: { type: 'tag_added', tagId: wanted }, actions });
    const stageRule = await createRule({ name: '流失挽回', trigger: { type: 'stage_changed', stage: 'lost' }, actions });
    const orderRule = await createRule({ name: '下单感谢', trigger: { type: 'order_created' }, actions });
    const refundRule = await createRule({ name: '退款关怀', trigger: { type: 'order_refunded' }, actions });
    const serviceRule = await createRule({ name: '服务回访', trigger: { type: 'work_order_completed' }, actions });

    // marking tags goes through WeCom (mark_tag) for customers with follow relations; its event is what counts here
    const tagged = await createCustomer('标签客户');
    await tagEvent(tagged, [otherTag]);
    await settleJobs(server);
    expect(await firings(tagRule.id)).toHaveLength(0);
    await tagEvent(tagged, [otherTag, wanted]);

    const moved = await createCustomer('阶段客户');
    expect((await api('PATCH', `/api/customers/${moved}/stage`, { stage: 'intent' })).status).toBe(200);
    await settleJobs(server);
    expect(await firings(stageRule.id)).toHaveLength(0);
    expect((await api('PATCH', `/api/customers/${moved}/stage`, { stage: 'lost' })).status).toBe(200);

    await publishFlow(server, admin, 'rule_wo', { start: 'done', nodes: [{ key: 'done', name: '完成', type: 'end', escalations: [], edges: [] }] } as never);
    const serviced = await createCustomer('工单客户');
    const workOrder = await createOrder(server, admin, { flowCode: 'rule_wo', storeId, customerId: serviced });
    expect(workOrder.status).toBe('done');

    const order = acOrder({ buyer: { name: '下单客户', phone: '13900002222' } });
    const { orderId } = await server.running.services.orders.ingest(order);
    await server.running.services.orders.ingest({ ...order, status: 'refunded', refundedAt: new Date().toISOString() });
    const buyer = Number((await models().Order.findByPk(orderId, { raw: true }))!.customer_id);
    await settleJobs(server);
    for (const event of ['customer.tagged', 'customer.stageChanged', 'order.created', 'order.refunded', 'workOrder.completed']) expect(await redeliver(server, event)).toBeGreaterThan(0);

    expect((await firings(tagRule.id)).map((f) => f.customerId)).toEqual([tagged]);
    expect((await firings(stageRule.id)).map((f) => f.customerId)).toEqual([moved]);
    expect((await firings(orderRule.id)).map((f) => f.customerId)).toEqual([buyer]);
    expect((await firings(refundRule.id)).map((f) => f.customerId)).toEqual([buyer]);
    expect((await firings(serviceRule.id)).map((f) => f.customerId)).toEqual([serviced]);
    const markedIds = (await models().CustomerTag.findAll({ where: { tag_id: marker }, raw: true })).map((t) => Number(t.customer_id)).sort((a, b) => a - b);
    expect(markedIds).toEqual([tagged, moved, buyer, serviced].sort((a, b) => a - b));
    const summaries = (await models().CustomerTimeline.findAll({ where: { kind: 'rule.fired', customer_id: buyer }, raw: true })).map((t) => t.summary).sort();
    expect(summaries).toEqual([`自动化规则「下单感谢」触发：客户下单（${order.platformOrderId}）`, `自动化规则「退款关怀」触发：订单退款（${order.platformOrderId}）`]);
    for (const rule of [tagRule, stageRule, orderRule, refundRule, serviceRule]) await disable(rule.id);
  });

  it('fires a customer-added rule for a customer an employee adds in WeCom (add_external_contact callback)', async () => {
    const rule = await createRule({ name: '企微新客', trigger: { type: 'customer_added' }, actions: [{ type: 'add_tags', tagIds: [await markerTag('企微新客')] }] });
    const response = await fetch(`${kit.url}/__sandbox/events/customer-added`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: employee }) });
    const { externalUserId } = (await response.json()) as { externalUserId: string };
    for (let round = 0; round < 4; round += 1) {
      await kit.sandbox.drainCallbacks();
      await server.running.services.wecom.callbacks.dispatchPending();
      await settleJobs(server);
    }
    const customer = await models().Customer.findOne({ where: { external_userid: externalUserId }, raw: true });
    expect(customer).not.toBeNull();
    expect((await firings(rule.id)).map((f) => f.customerId)).toEqual([Number(customer!.id)]);
    expect(await models().CustomerTimeline.count({ where: { kind: 'rule.fired', customer_id: Number(customer!.id) } })).toBe(1);
    await disable(rule.id);
  });

  it('issues a coupon through the coupon.issue filter, and records the firing as skipped when no plugin issues one', async () => {
    const rule = await createRule({ name: '首单券', trigger: { type: 'customer_added' }, conditions: { q: '券-' }, actions: [{ type: 'issue_coupon', couponCode: 'WELCOME10' }] });
    const without = await createCustomer('券-无插件');
    await settleJobs(server);
    expect(await firings(rule.id)).toEqual([expect.objectContaining({ customerId: without, status: 'skipped', outcomes: [{ type: 'issue_coupon', status: 'skipped', note: 'no enabled plugin issued a coupon (coupon.issue)' }] })]);

    expect((await api('POST', '/api/system/plugins/coupon-shop/enable')).status).toBe(200);
    const withPlugin = await createCustomer('券-有插件');
    await settleJobs(server);
    const issued = (await firings(rule.id)).find((f) => f.customerId === withPlugin)!;
    expect(issued).toMatchObject({ status: 'done', outcomes: [{ type: 'issue_coupon', status: 'done', note: `coupon WELCOME10-${withPlugin}` }] });
    await disable(rule.id);
  });

  it('posts a signed webhook through the job queue, retrying after a 500, with the secret stored encrypted and shown masked', async () => {
    const receiver = await startHookReceiver(1);
    try {
      const secret = 'whsec-0123456789abcdef';
      const rule = await createRule({ name: '通知 CRM', trigger: { type: 'customer_added' }, conditions: { q: '钩-' }, actions: [{ type: 'webhook', url: receiver.url }], webhookSecret: secret });
      expect(rule.webhookSecret).toBe('********cdef');
      const stored = await models().EngagementRule.findByPk(rule.id, { raw: true });
      expect(stored!.webhook_secret).not.toContain(secret);
      expect(JSON.stringify(await models().AuditLog.findAll({ where: { action: 'engagement.rule_created' }, raw: true }))).not.toContain(secret);

      const customerId = await createCustomer('钩-客户');
      await settleJobs(server);
      expect(receiver.received.map((r) => r.status)).toEqual([500, 200]);
      const [first, second] = receiver.received as [(typeof receiver.received)[0], (typeof receiver.received)[0]];
      expect(JSON.parse(second.body)).toMatchObject({ rule: { id: rule.id, name: '通知 CRM' }, customerId, trigger: { type: 'customer_added', event: 'customer.created' } });
      expect(JSON.parse(first.body).deliveryId).toBe(JSON.parse(second.body).deliveryId);
      const timestamp = String(second.headers['x-scrm-timestamp']);
      expect(second.headers['x-scrm-signature']).toBe(webhookSignature(secret, timestamp, second.body));
      expect(second.headers['x-scrm-signature']).not.toBe(webhookSignature('another-secret-value', timestamp, second.body));
      expect(await firings(rule.id)).toEqual([expect.objectContaining({ customerId, status: 'done', outcomes: [{ type: 'webhook', status: 'done', note: 'HTTP 200' }] })]);
      await disable(rule.id);
    } finally {
      await receiver.close();
    }
  });

  it('adds the customer to a draft mass message, and skips one that does not exist, naming it, while the rest of the firing stands', async () => {
    const marker = await markerTag('群发候选');
    const rule = await createRule({ name: '加入群发', trigger: { type: 'customer_added' }, conditions: { q: '群发-' }, actions: [{ type: 'add_tags', tagIds: [marker] }, { type: 'add_to_mass_message', massMessageId: 987_654 }] });
    const customerId = await createCustomer('群发-客户');
    await settleJobs(server);
    const [firing] = await firings(rule.id);
    expect(firing).toMatchObject({ customerId, status: 'skipped', outcomes: [{ type: 'add_tags', status: 'done' }, { type: 'add_to_mass_message', status: 'skipped', note: 'mass message 987654 not found' }] });
    expect(await models().CustomerTag.count({ where: { tag_id: marker, customer_id: customerId } })).toBe(1);
    await disable(rule.id);

    // a real draft: the next matching customer is added to its recipients in the firing's transaction
    const draft = await api<{ id: number }>('POST', '/api/engagement/mass-messages', { name: '周年庆', audience: { type: 'customers', customerIds: [customerId] }, content: { text: '周年庆', attachments: [] } });
    expect(draft.status).toBe(200);
    const adding = await createRule({ name: '加入周年庆', trigger: { type: 'customer_added' }, conditions: { q: '群发-' }, actions: [{ type: 'add_to_mass_message', massMessageId: draft.body.data.id }] });
    const next = await createCustomer('群发-新客');
    await settleJobs(server);
    expect(await firings(adding.id)).toEqual([expect.objectContaining({ customerId: next, status: 'done' })]);
    expect(await models().MassMessageRecipient.count({ where: { mass_message_id: draft.body.data.id, customer_id: next } })).toBe(1);
    await disable(adding.id);
  });

  it('gives scheduled rules the new actions too: a run makes one task per customer fired, and a second run none', async () => {
    const fixture = await seedDormantCustomers(server, 'evsch', 3);
    const rule = await createRule({ ...dormantRule(fixture, 'evsch'), period: 'month', enabled: false, actions: [{ type: 'create_task', title: '沉睡客户回访', dueIn: 3, dueUnit: 'days' }] });
    expect((await api<{ fired: number }>('POST', `/api/engagement/rules/${rule.id}/run`)).body.data.fired).toBe(3);
    expect((await api<{ fired: number }>('POST', `/api/engagement/rules/${rule.id}/run`)).body.data.fired).toBe(0);
    await settleJobs(server);
    const tasks = await models().FollowTask.findAll({ where: { rule_id: rule.id }, raw: true });
    expect(tasks.map((t) => Number(t.customer_id)).sort((a, b) => a - b)).toEqual(fixture.dormantIds);
    // nobody owns these customers: the task is the store's, without a WeCom reminder
    expect(new Set(tasks.map((t) => `${t.assignee_user_id}:${t.reminder_status}`))).toEqual(new Set(['null:skipped']));
  });

  it('dry-runs an event rule: the customers matching its conditions now, flagged as firing on future events', async () => {
    const reply = await api<{ count: number; eventTrigger: boolean; sample: Array<{ name: string }> }>('POST', '/api/engagement/rules/dry-run', {
      name: '试运行',
      trigger: { type: 'order_created' },
      conditions: { q: '新客-' },
      actions: [{ type: 'create_task', title: '回访', dueIn: 2, dueUnit: 'hours' }],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ count: 1, eventTrigger: true, sample: [{ name: '新客-甲' }] });
  });

  it('reminds an assignee once, in one message, of their open tasks past due, and not of done or future ones', async () => {
    const { wecom, log } = server.running.services;
    const customerId = await createCustomer('逾期-客户');
    const now = new Date();
    const hour = 3_600_000;
    const task = (title: string, dueIn: number, status: 'open' | 'done' = 'open') =>
      models().FollowTask.create({ customer_id: customerId, store_id: storeId, assignee_user_id: ownerId, title, due_at: new Date(now.getTime() + dueIn), status, reminder_status: 'sent' });
    await task('逾期回访一', -2 * hour);
    await task('逾期回访二', -hour);
    await task('已完成回访', -hour, 'done');
    const later = await task('稍后回访', hour);
    const reminders = createOverdueReminders({ models: models(), runtime: wecom.runtime, log });
    const received = () => kit.sandbox.state.messages.receivedBy(employee).map((m) => JSON.stringify(m));
    const before = received().length;

    expect(await reminders.run(now)).toEqual({ reminded: 2, skipped: 0 });
    const [message, ...others] = received().slice(before);
    expect(others).toEqual([]);
    for (const text of ['2 个跟进任务已到期', '逾期-客户', '逾期回访一', '逾期回访二']) expect(message).toContain(text);
    for (const text of ['已完成回访', '稍后回访']) expect(message).not.toContain(text);

    expect(await reminders.run(now)).toEqual({ reminded: 0, skipped: 0 });
    expect(received()).toHaveLength(before + 1);
    expect(await reminders.run(new Date(now.getTime() + 1.5 * hour))).toEqual({ reminded: 1, skipped: 0 });
    expect(received()[before + 1]).toContain('稍后回访');
    expect((await models().FollowTask.findByPk(Number(later.get('id')), { raw: true }))?.overdue_reminded_at).not.toBeNull();
  });
});
