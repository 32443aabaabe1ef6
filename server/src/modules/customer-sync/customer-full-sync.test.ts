import { Op } from 'sequelize';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { mirrorSandboxTags, startSyncSandbox, storedCounts } from './customer-sync-test-kit';

interface RunView {
  id: number;
  kind: string;
  status: string;
  processed: number;
  total: number | null;
  report: Record<string, unknown> | null;
}

describe('full customer sync against the WeCom sandbox', () => {
  let kit: Awaited<ReturnType<typeof startSyncSandbox>>;
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    kit = await startSyncSandbox({ employees: 8, customers: 700 });
    server = await startTestServer({ env: { ...kit.env, JOB_WORKER_ENABLED: 'false' } });
    await mirrorSandboxTags(server.running.services.models, kit.sandbox);
    admin = await server.login('admin');
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await kit?.sandbox.close();
  });

  const runs = () => server.api<{ data: { latest: RunView[]; lastFullSync: RunView | null; items: RunView[]; available: string[] } }>('GET', '/api/wecom/sync/runs', { token: admin });

  it('stores every customer, follow relation and corp tag exactly once and reports exact counts', async () => {
    const started = await server.api<{ data: RunView }>('POST', '/api/wecom/sync/customers', { token: admin });
    expect(started.status).toBe(200);
    expect(started.body.data).toMatchObject({ kind: 'customers', status: 'running' });
    await server.running.services.queue.drain();

    const expected = kit.expected();
    const { models } = server.running.services;
    expect(await storedCounts(models)).toEqual({ customers: expected.customers, follows: expected.relations, tagMarks: expected.tagMarks });
    const status = (await runs()).body.data;
    const run = status.latest.find((r) => r.kind === 'customers');
    expect(run).toMatchObject({ status: 'done', processed: expected.relations, total: expected.relations });
    expect(run?.report).toMatchObject({ customers: expected.customers, relations: expected.relations, customersCreated: expected.customers, followsCreated: expected.relations, tagsAdded: expected.tagMarks, unknownTagIds: 0 });
    expect(status.lastFullSync?.id).toBe(run?.id);
    expect(status.available).toEqual(expect.arrayContaining(['customers', 'reconcile']));
    expect(await models.CustomerTimeline.count({ where: { kind: 'customer.added' } })).toBe(expected.customers);
  });

  it('keeps search text as name plus remarks and the timeline idempotent', async () => {
    const { models } = server.running.services;
    const withRemark = await models.CustomerFollow.findOne({ where: { remark: { [Op.ne]: null } }, raw: true });
    const customer = await models.Customer.findByPk(withRemark?.customer_id, { raw: true });
    expect(customer?.search_text).toContain(customer?.name);
    if (withRemark?.remark) expect(customer?.search_text).toContain(withRemark.remark);
  });

  it('runs again and then reconciles without changing anything', async () => {
    const { models, queue } = server.running.services;
    const before = await models.CustomerTimeline.count();
    expect((await server.api('POST', '/api/wecom/sync/customers', { token: admin })).status).toBe(200);
    await queue.drain();
    expect((await server.api('POST', '/api/wecom/sync/reconcile', { token: admin })).status).toBe(200);
    await queue.drain();
    const latest = (await runs()).body.data.latest;
    expect(latest.find((r) => r.kind === 'customers')?.report).toMatchObject({ customersCreated: 0, customersUpdated: 0, followsCreated: 0, followsUpdated: 0, tagsAdded: 0, tagsRemoved: 0 });
    expect(latest.find((r) => r.kind === 'reconcile')?.report).toMatchObject({ fixedTotal: 0, fixed: {}, checkedRelations: kit.expected().relations });
    expect(await models.CustomerTimeline.count()).toBe(before);
  });

  it('repairs drift on reconciliation and says what it fixed', async () => {
    const { models, queue } = server.running.services;
    const victim = await models.CustomerFollow.findOne({ order: [['id', 'ASC']], raw: true });
    const customer = await models.Customer.findByPk(victim?.customer_id, { raw: true });
    await models.CustomerFollow.update({ remark: 'drifted remark' }, { where: { id: victim?.id } });
    await models.CustomerTag.destroy({ where: { customer_id: victim?.customer_id } });
    await server.api('POST', '/api/wecom/sync/reconcile', { token: admin });
    await queue.drain();
    const report = (await runs()).body.data.latest.find((r) => r.kind === 'reconcile')?.report as { fixed: Record<string, number>; samples: Record<string, string[]> };
    expect(report.fixed.followsUpdated).toBeGreaterThanOrEqual(1);
    expect(report.samples.followsUpdated).toContain(customer?.external_userid);
    expect((await models.CustomerFollow.findByPk(victim?.id, { raw: true }))?.remark).not.toBe('drifted remark');
    expect(await storedCounts(models)).toMatchObject({ tagMarks: kit.expected().tagMarks });
  });

  it('refuses a second start while one runs, an unknown kind, and anyone without directory:manage; audits starts', async () => {
    const first = await server.api<{ data: RunView }>('POST', '/api/wecom/sync/customers', { token: admin });
    expect(first.status).toBe(200);
    expect((await server.api('POST', '/api/wecom/sync/customers', { token: admin })).status).toBe(409);
    await server.running.services.queue.drain();
    expect((await server.api('POST', '/api/wecom/sync/everything', { token: admin })).status).toBe(400);
    const staff = await server.login('manager_sh01');
    expect((await server.api('POST', '/api/wecom/sync/customers', { token: staff })).status).toBe(403);
    expect((await server.api('GET', '/api/wecom/sync/runs', { token: staff })).status).toBe(403);
    const audit = await server.api<{ data: { items: Array<{ action: string }> } }>('GET', '/api/audit-logs?action=wecom.sync.started', { token: admin });
    expect(audit.body.data.items.length).toBeGreaterThanOrEqual(4);
  });
});
