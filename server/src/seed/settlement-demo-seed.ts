import type { Services } from '../app';
import type { Actor } from '../modules/access/actor';
import { allPermissions } from '../modules/access/permissions';
import { previousPeriodCode, periodCodeOf, shanghaiDate, shanghaiDayStart } from '../modules/settlement/settlement-dates';
import { demoRuleSets } from './settlement-demo-rules';

interface DemoJob {
  month: 'last' | 'this';
  day: number;
  source: string;
  amountFen: number;
  form: Record<string, unknown>;
}

const demoJobs: DemoJob[] = [
  { month: 'last', day: 3, source: 'douyin', amountFen: 299900, form: { high_altitude: true, rating: 5, recycled_units: 1 } },
  { month: 'last', day: 9, source: 'pinduoduo', amountFen: 259900, form: { high_altitude: false, rating: 4, recycled_units: 0 } },
  { month: 'last', day: 17, source: 'store', amountFen: 319900, form: { high_altitude: true, rating: 3, recycled_units: 2 } },
  { month: 'last', day: 24, source: 'douyin', amountFen: 289900, form: { high_altitude: false, rating: 5, recycled_units: 1 } },
  { month: 'this', day: 1, source: 'douyin', amountFen: 299900, form: { high_altitude: true, rating: 5, recycled_units: 1 } },
  { month: 'this', day: 1, source: 'store', amountFen: 279900, form: { high_altitude: false, rating: 4, recycled_units: 0 } },
];

/**
 * The settlement demo (with SEED_DEMO): the worked example's rule sets published, a dealer for the
 * east region, a few finished installations last month (closed, with statements) and this month
 * (open, provisional lines), and one open dispute. Runs once: skipped when the rule sets exist.
 */
export async function seedSettlementDemo(services: Services): Promise<boolean> {
  const { db, models, settlement } = services;
  if (await models.RuleSet.findOne({ where: { code: demoRuleSets[0]?.code ?? '' } })) return false;
  const admin = await models.User.findOne({ where: { username: 'admin' }, raw: true });
  const tech = await models.User.findOne({ where: { username: 'tech_sh01' }, raw: true });
  const store = await models.Store.findOne({ where: { code: 'SH01' }, raw: true });
  const flow = await models.Flow.findOne({ where: { code: 'installation' }, raw: true });
  const version = flow ? await models.FlowVersion.findOne({ where: { flow_id: flow.id }, order: [['version', 'DESC']], raw: true }) : null;
  if (!admin || !tech || !store || !flow || !version) return false;
  const actor: Actor = { userId: Number(admin.id), username: 'admin', displayName: 'system', roleId: Number(admin.role_id), roleCode: 'admin', permissions: new Set(allPermissions), dataScope: 'all', regionId: null, storeId: null, storeIds: null, sessionId: 'seed' };

  const thisMonth = periodCodeOf(shanghaiDate(new Date()));
  const lastMonth = previousPeriodCode(thisMonth);
  for (const set of demoRuleSets) {
    const created = await settlement.ruleSets.create(actor, { code: set.code, name: set.name, payeeKind: set.payeeKind });
    await settlement.ruleSets.saveDraft(actor, created.id, { definition: set.definition, draftVersion: created.draftVersion });
    await settlement.ruleSets.publish(actor, created.id, `${lastMonth}-01`);
  }
  await settlement.payees.create(actor, { kind: 'dealer', name: '华东经销商', regionId: Number(store.region_id) });

  const now = new Date();
  for (const [i, job] of demoJobs.entries()) {
    const day = `${job.month === 'last' ? lastMonth : thisMonth}-${String(job.day).padStart(2, '0')}`;
    const closedAt = new Date(Math.min(shanghaiDayStart(day).getTime() + 15 * 3600_000, now.getTime()));
    await db.transaction(async (tx) => {
      const order = await models.WorkOrder.create(
        {
          order_no: `DEMO-ST-${String(i + 1).padStart(3, '0')}`,
          flow_id: Number(flow.id),
          flow_version_id: Number(version.id),
          status: 'done',
          title: '空调安装',
          store_id: Number(store.id),
          products: JSON.stringify([{ name: '壁挂式空调', category: 'air_conditioner', quantity: 1 }]),
          service_items: JSON.stringify([{ code: 'ac_install', name: '空调安装', quantity: 1 }]),
          source_channel: job.source,
          priority: 'normal',
          amount_fen: job.amountFen,
          assignee_user_id: Number(tech.id),
          created_by: Number(admin.id),
          closed_at: closedAt,
        },
        { transaction: tx },
      );
      const row = order.get({ plain: true });
      await models.WorkOrderEvent.create({ work_order_id: row.id, type: 'completed', node_key: 'acceptance', actor_user_id: Number(tech.id), payload: JSON.stringify({ form: job.form, dueAt: null }), created_at: closedAt }, { transaction: tx });
      await settlement.pricing.onOrderDone(row, tx);
    });
  }
  const orders = await models.WorkOrder.findAll({ where: { order_no: demoJobs.map((_, i) => `DEMO-ST-${String(i + 1).padStart(3, '0')}`) }, raw: true });
  for (const order of orders) await settlement.pricing.priceJob(Number(order.id));

  const last = await models.Period.findOne({ where: { code: lastMonth }, raw: true });
  if (last) {
    await settlement.close.start(actor, Number(last.id));
    await settlement.close.run(Number(last.id));
  }
  const current = await models.Period.findOne({ where: { code: thisMonth }, raw: true });
  const held = current ? await models.Line.findOne({ where: { period_id: current.id, rule_key: 'good_rating' }, order: [['id', 'ASC']], raw: true }) : null;
  if (held) await settlement.lines.dispute(actor, Number(held.id), '客户评分截图缺失，待核实');
  return true;
}
