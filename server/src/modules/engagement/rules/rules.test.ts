import { Op } from 'sequelize';
import { startTestServer, type TestServer } from '../../../testing/test-server';
import { createEngagementModule } from '../engagement.module';
import { settleJobs, startHookReceiver } from './rule-events-test-kit';
import { dormantRule, seedDormantCustomers, type DormantFixture } from './rule-test-kit';

interface Rule { id: number; enabled: boolean }
interface DryRun { periodKey: string; count: number; sample: Array<{ id: number; name: string }> }
interface Run { periodKey: string; fired: number }

describe('automation rules', () => {
  let server: TestServer;
  let admin: string;
  let fixture: DormantFixture;
  const label = 'rulea';

  const api = <T>(method: string, path: string, body?: unknown) => server.api<{ data: T }>(method, path, { token: admin, body });

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    fixture = await seedDormantCustomers(server, label);
  }, 60_000);
  afterAll(async () => server?.stop());

  it('refuses a rule with an unknown tag or stage, naming the field, and creates nothing', async () => {
    const bad = await api('POST', '/api/engagement/rules', { ...dormantRule(fixture, label), actions: [{ type: 'add_tags', tagIds: [999_999] }, { type: 'change_stage', stage: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('actions.0.tagIds.0');
    expect(JSON.stringify(bad.body)).toContain('actions.1.stage');
    const noDays = await api('POST', '/api/engagement/rules', { ...dormantRule(fixture, label), trigger: { type: 'no_order_days' } });
    expect(noDays.status).toBe(400);
    expect(JSON.stringify(noDays.body)).toContain('days');
    expect(await server.running.services.models.EngagementRule.count()).toBe(0);
  });

  it('dry-runs a draft: counts exactly the dormant customers, with a sample, and changes nothing', async () => {
    const reply = await api<DryRun>('POST', '/api/engagement/rules/dry-run', dormantRule(fixture, label));
    expect(reply.status).toBe(200);
    expect(reply.body.data.count).toBe(fixture.dormantIds.length);
    expect(reply.body.data.sample).toHaveLength(10);
    expect(reply.body.data.sample.every((c) => fixture.dormantIds.includes(c.id))).toBe(true);
    expect(await server.running.services.models.EngagementRuleFiring.count()).toBe(0);
  });

  it('fires once per customer per period even when run twice at the same time, and shows each firing in the timeline', async () => {
    const { models } = server.running.services;
    const rule = (await api<Rule>('POST', '/api/engagement/rules', dormantRule(fixture, label))).body.data;
    const [a, b] = await Promise.all([api<Run>('POST', `/api/engagement/rules/${rule.id}/run`), api<Run>('POST', `/api/engagement/rules/${rule.id}/run`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.data.fired + b.body.data.fired).toBe(fixture.dormantIds.length);

    const firings = await models.EngagementRuleFiring.findAll({ where: { rule_id: rule.id }, raw: true });
    expect(firings.map((f) => Number(f.customer_id)).sort((x, y) => x - y)).toEqual(fixture.dormantIds);
    const tagged = await models.CustomerTag.findAll({ where: { tag_id: fixture.tagId }, raw: true });
    expect(tagged.map((t) => Number(t.customer_id)).sort((x, y) => x - y)).toEqual(fixture.dormantIds);
    expect(await models.Customer.count({ where: { id: fixture.dormantIds, stage: 'lost' } })).toBe(fixture.dormantIds.length);
    expect(await models.Customer.count({ where: { id: fixture.activeIds, stage: { [Op.ne]: 'new' } } })).toBe(0);
    expect(await models.CustomerTimeline.count({ where: { kind: 'rule.fired', customer_id: fixture.dormantIds } })).toBe(fixture.dormantIds.length);

    const again = await api<Run>('POST', `/api/engagement/rules/${rule.id}/run`);
    expect(again.body.data.fired).toBe(0);
    expect((await api<DryRun>('POST', `/api/engagement/rules/${rule.id}/dry-run`)).body.data.count).toBe(0);
    const listed = await api<Array<{ customerId: number; periodKey: string }>>('GET', `/api/engagement/rules/${rule.id}/firings`);
    expect(listed.body.data).toHaveLength(fixture.dormantIds.length);
    expect(listed.body.data[0]!.periodKey).toBe(a.body.data.periodKey);
  });

  it('runs enabled rules on schedule, firing again in the next period only', async () => {
    // 32 days on, everyone is dormant: the recent buyers and the new customers too
    const { services } = server.running;
    const { rules } = createEngagementModule(services);
    const [rule] = (await api<Rule[]>('GET', '/api/engagement/rules')).body.data;
    expect((await api<Rule>('PATCH', `/api/engagement/rules/${rule!.id}`, { enabled: true })).body.data.enabled).toBe(true);
    const sameMonth = await rules.runScheduled();
    expect(sameMonth.find((r) => r.ruleId === rule!.id)?.fired).toBe(0);
    const nextMonth = await rules.runScheduled(new Date(Date.now() + 32 * 24 * 3600 * 1000));
    const everyone = fixture.dormantIds.length + fixture.activeIds.length;
    expect(nextMonth.find((r) => r.ruleId === rule!.id)?.fired).toBe(everyone);
    expect(await services.models.EngagementRuleFiring.count({ where: { rule_id: rule!.id } })).toBe(fixture.dormantIds.length + everyone);
    expect(await services.models.AuditLog.count({ where: { action: 'engagement.rule_fired' } })).toBe(2);
  });

  it('keeps webhooks off internal addresses: refused when saved, and not sent from a rule saved while they were allowed', async () => {
    const { models } = server.running.services;
    const webhookRule = (urls: string[]) => ({ ...dormantRule(fixture, label), name: '内网回调', actions: urls.map((url) => ({ type: 'webhook', url })), webhookSecret: 'whsec-0123456789abcdef' });
    const before = await models.EngagementRule.count();
    const internal = ['http://127.0.0.1:9/x', 'http://[::1]/x', 'http://169.254.169.254/latest/meta-data', 'http://localhost:3000/x', 'http://10.0.0.8/hook', 'http://[::ffff:192.168.1.2]/x'];
    const refused = await api('POST', '/api/engagement/rules', webhookRule(internal));
    expect(refused.status).toBe(400);
    const paths = (refused.body as unknown as { details: Array<{ path: string; message: string }> }).details;
    expect(paths.map((p) => p.path)).toEqual(internal.map((_, i) => `body.actions.${i}.url`));
    expect(paths[2]?.message).toContain('169.254.169.254 is an internal address');
    expect(await models.EngagementRule.count()).toBe(before);

    const receiver = await startHookReceiver(0);
    try {
      const rule = (await api<Rule>('POST', '/api/engagement/rules', webhookRule(['https://hooks.example.com/scrm']))).body.data;
      // As if saved while WEBHOOK_ALLOW_INTERNAL was on.
      await models.EngagementRule.update({ actions: JSON.stringify([{ type: 'webhook', url: receiver.url.replace('127.0.0.1', 'localhost') }]) }, { where: { id: rule.id } });
      const run = await api<Run>('POST', `/api/engagement/rules/${rule.id}/run`);
      expect(run.body.data.fired).toBeGreaterThan(0);
      await settleJobs(server);
      const firings = await models.EngagementRuleFiring.findAll({ where: { rule_id: rule.id }, raw: true });
      expect(firings).toHaveLength(run.body.data.fired);
      for (const firing of firings) expect(JSON.parse(firing.outcomes ?? '[]')).toEqual([expect.objectContaining({ type: 'webhook', status: 'failed', note: expect.stringContaining('not sent: localhost is an internal address') })]);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
