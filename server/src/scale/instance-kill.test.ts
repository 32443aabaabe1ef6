import { Op } from 'sequelize';
import { waitUntil } from '../testing/wait-until';
import { settledCallbackOutcome, sendCallbacks } from './callback-burst';
import { startCluster, type Cluster } from './cluster';
import { report, scaleSuite } from './scale-suite';
import { startWecomWithFaults, type WecomWithFaults } from './wecom-fault-proxy';
import { createOrders, publishEscalatingFlow, storeIdOf } from './work-order-load';

scaleSuite('an instance SIGKILLed during a burst', () => {
  let wecom: WecomWithFaults;
  let cluster: Cluster;
  const live = () => cluster.instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null).map((i) => i.url);

  beforeAll(async () => {
    wecom = await startWecomWithFaults();
    // A lease shorter than the default five minutes, so jobs the killed instance held are taken over
    // within the test; longer than the WeCom token lock (15 s) a live job may wait out after the kill.
    cluster = await startCluster(3, { ...wecom.env, JOB_LEASE_MS: '20000' });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await wecom?.close();
  });

  const killWhen = async (index: number, reached: () => Promise<boolean>) => {
    await waitUntil(reached, 60_000, 50);
    const victim = cluster.instances[index]!;
    const exited = new Promise((done) => victim.child.once('exit', done));
    victim.child.kill('SIGKILL');
    await exited;
  };

  it('stores and processes every acknowledged callback exactly once, and WeCom’s retries of the rest once too', async () => {
    const callbacks = wecom.newCustomerCallbacks(400, 'kill');
    const burst = sendCallbacks(() => cluster.instances.map((i) => i.url), callbacks);
    await killWhen(2, async () => (await cluster.models.WecomCallback.count()) >= 120);
    const first = await burst;
    // WeCom resends what was not acknowledged; it reaches the instances still up.
    const acked = new Set(first.acknowledged);
    const retried = await sendCallbacks(live, callbacks.filter((c) => !acked.has(c.externalUserId)));
    const ids = callbacks.map((c) => c.externalUserId);
    const outcome = await settledCallbackOutcome(cluster.models, ids, 120_000);
    report('SIGKILL during callbacks', { sent: callbacks.length, acknowledged: first.acknowledged.length, refused: first.failed, resent: first.failed, resentAcknowledged: retried.acknowledged.length, ...outcome });
    expect(first.failed).toBeGreaterThan(0);
    expect(retried.failed).toBe(0);
    expect(outcome).toMatchObject({ stored: ids.length, processed: ids.length, storedTwice: 0, customers: ids.length, refreshesDone: ids.length });
  }, 180_000);

  it('keeps every created work order, each created once with its SLA timers once', async () => {
    const token = await cluster.login(cluster.instances[0]!);
    await publishEscalatingFlow(cluster.instances[0]!.url, token, 'scale_kill');
    const storeId = await storeIdOf(cluster.models, 'SH01');
    const { WorkOrder, WorkOrderEvent, Timer } = cluster.models;
    const burst = createOrders(() => cluster.instances.map((i) => i.url), token, { flowCode: 'scale_kill', storeId }, 150, 'kill');
    await killWhen(1, async () => (await WorkOrder.count({ where: { title: { [Op.like]: 'kill-%' } } })) >= 40);
    const { created, failed } = await burst;
    const rows = await WorkOrder.findAll({ where: { title: { [Op.like]: 'kill-%' } }, attributes: ['id', 'title'], raw: true });
    const ids = [...created.values()];
    const createdEvents = await WorkOrderEvent.findAll({ where: { work_order_id: ids, type: 'created' }, raw: true });
    const timers = await Timer.findAll({ where: { subject_type: 'work_order', subject_id: ids.map(String) }, raw: true });
    report('SIGKILL during work-order creation', { requested: 150, created2xx: created.size, failed, stored: rows.length, createdEvents: createdEvents.length, slaTimers: timers.length });
    expect(failed).toBeGreaterThan(0);
    for (const [title, id] of created) expect(rows.filter((r) => r.title === title).map((r) => Number(r.id))).toEqual([id]);
    // A request cut off by the kill either committed whole or not at all: never a title twice.
    expect(new Set(rows.map((r) => r.title)).size).toBe(rows.length);
    expect(createdEvents).toHaveLength(ids.length);
    for (const id of ids) expect(timers.filter((t) => Number(t.subject_id) === id)).toHaveLength(2);
  }, 120_000);
});
