import { startTestServer, type TestServer } from '../../../testing/test-server';
import { seedJourney, type JourneyFixture } from './journey-test-kit';
import type { FunnelView, StageView } from './journey.schemas';

/** Editing the journey's stages: validation, the two-stage minimum, reordering, audit, and the funnel following the config. */
describe('customer journey stages', () => {
  let server: TestServer;
  let admin: string;
  let fixture: JourneyFixture;
  const base = '/api/engagement/journey';

  const stages = async () => (await server.api<{ data: StageView[] }>('GET', `${base}/stages`, { token: admin })).body.data;
  const funnel = async () => (await server.api<{ data: FunnelView }>('GET', `${base}/funnel?from=2026-03-01&to=2026-03-31`, { token: admin })).body.data;
  const add = (body: unknown) => server.api<{ data: StageView }>('POST', `${base}/stages`, { token: admin, body });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    fixture = await seedJourney(server);
  });
  afterAll(() => server.stop());

  it('refuses a stage with an unknown event, a bad setting or a missing tag, naming the field, and adds nothing', async () => {
    const before = await stages();
    const cases: Array<[unknown, string]> = [
      [{ nameZh: '到店', event: { type: 'visited_store' } }, 'body.event.type'],
      [{ nameZh: '三单', event: { type: 'order_created', nth: 0 } }, 'body.event.nth'],
      [{ nameZh: '', event: { type: 'customer_added' } }, 'body.nameZh'],
      [{ nameZh: '打标', event: { type: 'tag_added', tagId: 999_999 } }, 'body.event.tagId'],
      [{ nameZh: '成交', event: { type: 'stage_reached', stage: 'no-such-stage' } }, 'body.event.stage'],
    ];
    for (const [body, path] of cases) {
      const reply = await add(body);
      expect(reply.status).toBe(400);
      expect(JSON.stringify(reply.body)).toContain(path);
    }
    expect(await stages()).toEqual(before);
  });

  it('adds a stage at the end, audited, and the funnel measures it', async () => {
    const added = await add({ nameZh: '三单', nameEn: 'Third order', event: { type: 'order_created', nth: 3 } });
    expect(added.status).toBe(200);
    expect(added.body.data).toMatchObject({ nameZh: '三单', order: 5, event: { type: 'order_created', nth: 3 } });
    expect((await funnel()).stages.map((s) => s.reached)).toEqual([6, 3, 2, 1, 0]);
    const audit = await server.api<{ data: { items: Array<{ targetId: string }> } }>('GET', '/api/audit-logs?action=engagement.journey_stage_created', { token: admin });
    expect(audit.body.data.items.map((e) => e.targetId)).toContain(String(added.body.data.id));
    expect((await server.api('DELETE', `${base}/stages/${added.body.data.id}`, { token: admin })).status).toBe(200);
  });

  it('reorders the stages, and a stage then counts only after the one now before it', async () => {
    const [added, engaged, first, second] = await stages();
    const bad = await server.api('PUT', `${base}/stages/order`, { token: admin, body: { ids: [added!.id, first!.id, engaged!.id, 999_999] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('body.ids.3');
    const reordered = await server.api<{ data: StageView[] }>('PUT', `${base}/stages/order`, { token: admin, body: { ids: [added!.id, first!.id, engaged!.id, second!.id] } });
    expect(reordered.status).toBe(200);
    expect(reordered.body.data.map((s) => s.nameZh)).toEqual(['添加好友', '下单', '互动', '复购']);
    // ordered: full, firstOrder, orderedBeforeChat, employeeOnly; replied after the first order: orderedBeforeChat only, whose second order came after that reply
    expect((await funnel()).stages.map((s) => s.reached)).toEqual([6, 4, 1, 1]);
    await server.api('PUT', `${base}/stages/order`, { token: admin, body: { ids: [added!.id, engaged!.id, first!.id, second!.id] } });
  });

  it('changes a stage to a tag, then measures who got the tag after the previous stage', async () => {
    const { models } = server.running.services;
    const group = await models.TagGroup.create({ name: '旅程标签组' });
    const tag = await models.Tag.create({ group_id: Number(group.get('id')), name: '意向客户' });
    const tagId = Number(tag.get('id'));
    // tagged a day after the add, i.e. after the reply of both who replied within hours
    await models.CustomerTag.bulkCreate([fixture.ids.full, fixture.ids.firstOrder, fixture.ids.direct].map((id) => ({ customer_id: id, tag_id: tagId, wecom_userid: '', created_at: new Date('2026-03-20T00:00:00Z') })));
    const engaged = (await stages())[1]!;
    const changed = await server.api<{ data: StageView }>('PATCH', `${base}/stages/${engaged.id}`, { token: admin, body: { nameZh: '意向', event: { type: 'tag_added', tagId } } });
    expect(changed.status).toBe(200);
    // the tag comes after the first orders (3 and 6 March) of full and firstOrder: only the stage itself counts them
    expect((await funnel()).stages.map((s) => s.reached)).toEqual([6, 3, 0, 0]);
    await server.api('PATCH', `${base}/stages/${engaged.id}`, { token: admin, body: { nameZh: '互动', event: { type: 'first_message', from: 'customer' } } });
  });

  it('measures a customer stage reached (from the timeline) and a message by either side', async () => {
    const { models } = server.running.services;
    const code = (await models.CustomerStage.findOne({ order: [['sort_order', 'DESC']], raw: true }))!.code;
    // moved to the stage 3 h after the add (employeeOnly, whose only message is the employee's, 1 h after the add), and another move elsewhere
    const moved = (key: 'employeeOnly' | 'direct', to: string, at: string) => ({ customer_id: fixture.ids[key], kind: 'stage.changed', payload: JSON.stringify({ from: 'new', to }), dedupe_key: `journey-stage-${key}-${to}`, occurred_at: new Date(at), created_at: new Date() });
    await models.CustomerTimeline.bulkCreate([moved('employeeOnly', code, '2026-03-10T05:00:00Z'), moved('direct', 'not-this-one', '2026-03-16T00:00:00Z')]);
    const [, engaged, first] = await stages();
    await server.api('PATCH', `${base}/stages/${engaged!.id}`, { token: admin, body: { event: { type: 'first_message', from: 'any' } } });
    const changed = await server.api('PATCH', `${base}/stages/${first!.id}`, { token: admin, body: { nameZh: '成交', event: { type: 'stage_reached', stage: code } } });
    expect(changed.status).toBe(200);
    // anyone's message: full, firstOrder, orderedBeforeChat and now employeeOnly; of them only employeeOnly reached the stage, after the message
    expect((await funnel()).stages.map((s) => s.reached)).toEqual([6, 4, 1, 0]);
    await server.api('PATCH', `${base}/stages/${engaged!.id}`, { token: admin, body: { event: { type: 'first_message', from: 'customer' } } });
    await server.api('PATCH', `${base}/stages/${first!.id}`, { token: admin, body: { nameZh: '下单', event: { type: 'order_created', nth: 1 } } });
  });

  it('measures a completed work order, only when done and after the previous stage', async () => {
    const { models } = server.running.services;
    const version = (await models.FlowVersion.findOne({ order: [['id', 'ASC']], raw: true }))!;
    const order = (key: 'full' | 'orderedBeforeChat' | 'firstOrder' | 'direct', status: 'done' | 'open', closedAt: string | null) => ({
      order_no: `WO-JOURNEY-${key}`, flow_id: Number(version.flow_id), flow_version_id: Number(version.id), current_node_key: 'end', status, customer_id: fixture.ids[key], store_id: fixture.stores.sh, source_channel: 'api', priority: 'normal' as const, closed_at: closedAt ? new Date(closedAt) : null,
    });
    // full replied 1 h after the add and its order was done a day later; orderedBeforeChat's was done before its reply;
    // firstOrder's is still open; direct never replied
    await models.WorkOrder.bulkCreate([order('full', 'done', '2026-03-03T02:00:00Z'), order('orderedBeforeChat', 'done', '2026-03-05T03:00:00Z'), order('firstOrder', 'open', null), order('direct', 'done', '2026-03-16T00:00:00Z')]);
    const [, , first] = await stages();
    expect((await server.api('PATCH', `${base}/stages/${first!.id}`, { token: admin, body: { nameZh: '完工', event: { type: 'work_order_completed' } } })).status).toBe(200);
    expect((await funnel()).stages.map((s) => s.reached).slice(0, 3)).toEqual([6, 3, 1]);
    await server.api('PATCH', `${base}/stages/${first!.id}`, { token: admin, body: { nameZh: '下单', event: { type: 'order_created', nth: 1 } } });
  });

  it('keeps at least two stages', async () => {
    const [, , first, second] = await stages();
    expect((await server.api('DELETE', `${base}/stages/${second!.id}`, { token: admin })).status).toBe(200);
    expect((await server.api('DELETE', `${base}/stages/${first!.id}`, { token: admin })).status).toBe(200);
    const [added, engaged] = await stages();
    const refused = await server.api('DELETE', `${base}/stages/${engaged!.id}`, { token: admin });
    expect(refused.status).toBe(409);
    expect((await stages()).map((s) => s.id)).toEqual([added!.id, engaged!.id]);
    expect((await server.api('DELETE', `${base}/stages/999999`, { token: admin })).status).toBe(404);
  });
});
