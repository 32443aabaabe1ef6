import { approximatePosition } from '@scrm/commerce-core/src/city-position';
import type { Services } from '../app';
import type { FlowDefinition } from '../modules/workflows/flow-definition';
import { createPluginAdmin } from '../modules/plugins/plugin-admin.service';
import type { PluginState } from '../modules/plugins/plugin-state';
import { ruleBody } from '../modules/orders/order.schemas';
import { demoPlatforms, demoShops, startDemoCommerce, type DemoCommerce, type DemoPlatform } from './demo-commerce';
import type { DemoOrders } from './demo-order-slot';

export const DEMO_FLOW = 'demo_ac_install';
const DEMO_RULE = '演示：空调订单 → 安装（最近门店）';
const INITIAL_ORDERS: DemoPlatform[] = ['douyin', 'douyin', 'taobao'];

/** 配件调拨 reserves the order's parts in the ERP (erp-rest), then a technician installs. */
const demoFlow = {
  start: 'parts',
  nodes: [
    { key: 'parts', name: '配件调拨', type: 'auto', automation: { step: 'erp-rest.reserve_parts', settings: {} }, escalations: [], edges: [{ to: 'install', priority: 0, isDefault: true }] },
    {
      key: 'install',
      name: '上门安装',
      type: 'task',
      assignee: { strategy: 'role', roleCode: 'technician' },
      form: { fields: [{ key: 'rating', label: '评分', type: 'number', required: false }], minPhotos: 0, signature: false, partsList: false },
      escalations: [],
      edges: [{ to: 'done', priority: 0, isDefault: true }],
    },
    { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
  ],
} as unknown as FlowDefinition;

/** A plugin the demo may point at its simulator: switched off, or already pointed at a loopback simulator by an earlier demo. */
const demoMayConfigure = (state: PluginState) => !state.enabled || Object.values(state.settings).some((value) => typeof value === 'string' && value.startsWith('http://127.0.0.1:'));

/** The demo flow, rule, store positions and shops, once (later starts find them and leave them as edited). */
async function prepareRouting(services: Services): Promise<void> {
  const { flows, orders, models } = services;
  if (!(await models.Flow.findOne({ where: { code: DEMO_FLOW }, raw: true }))) {
    const created = await flows.create({ code: DEMO_FLOW, name: '演示：空调安装（ERP 配件预占）', description: '电商订单演示：ERP 配件预占 → 上门安装' }, null);
    await flows.saveDraft(created.id, { definition: demoFlow, draftVersion: created.draftVersion }, null);
    await flows.publish(created.id, undefined, null);
  }
  if (!(await models.OrderRule.findOne({ where: { name: DEMO_RULE }, raw: true }))) {
    await orders.rules.createRule(
      ruleBody.parse({
        name: DEMO_RULE,
        priority: 10,
        conditions: { all: [{ fact: 'categories', operator: 'contains', value: 'air_conditioner' }] },
        flowCode: DEMO_FLOW,
        storeStrategy: 'nearest',
        serviceItems: [{ match: { category: 'air_conditioner' }, code: 'ac_install', name: '空调安装' }],
      }),
    );
  }
  for (const store of await models.Store.findAll({ where: { lat: null }, raw: true })) {
    const position = approximatePosition(store.address ?? '');
    if (position) await orders.rules.setStorePosition(Number(store.id), position);
  }
  const actor = await orders.systemActor();
  const known = new Set((await orders.rules.listShops(actor)).map((s) => `${s.platform}/${s.shopId}`));
  for (const platform of demoPlatforms) {
    const shop = demoShops[platform];
    const store = await models.Store.findOne({ where: { code: shop.defaultStore }, raw: true });
    if (!known.has(`${platform}/${shop.shopId}`)) await orders.rules.saveShop(actor, { platform, shopId: shop.shopId, name: shop.name, defaultStoreId: store ? Number(store.id) : null });
  }
}

/** Points the connectors and the ERP plugin at the simulators and enables them; returns the platforms the demo may use. */
async function configurePlugins(services: Services, commerce: DemoCommerce): Promise<DemoPlatform[]> {
  const admin = createPluginAdmin({ db: services.db, models: services.models, audit: services.audit, host: services.plugins });
  const usable: string[] = [];
  for (const [name, settings] of Object.entries(commerce.settings)) {
    if (!services.plugins.plugins().has(name) || !demoMayConfigure(await services.plugins.states.fresh(name))) continue;
    await admin.saveSettings(name, settings);
    await admin.enable(name);
    usable.push(name);
  }
  return demoPlatforms.filter((platform) => usable.includes(platform));
}

/**
 * The offline shop-order demo beside the WeCom sandbox: 抖店, 淘宝 and an ERP played in-process,
 * the connector and ERP plugins configured against them, and (on the first start) a few paid
 * orders that become installation work orders with parts reserved in the ERP. Runs in the
 * background so the start is not held up; `close` waits for it and stops the simulators.
 */
export async function startDemoOrders(services: Services, serverUrl: string): Promise<DemoOrders & { erp: DemoCommerce['erp'] }> {
  const log = services.log.child({ component: 'demo-orders' });
  const commerce = await startDemoCommerce();
  const pushUrl = `${serverUrl}/api/plugins/douyin/push`;
  let platforms: DemoPlatform[] = [];

  const place = async (platform: DemoPlatform): Promise<string> => (platform === 'douyin' ? commerce.placeDouyinOrder(pushUrl) : commerce.placeTaobaoOrder());

  const ready: Promise<void> = (async () => {
    await prepareRouting(services);
    platforms = await configurePlugins(services, commerce);
    const shopIds = demoPlatforms.map((p) => demoShops[p].shopId);
    // Placed on an earlier start: taken in already, or still waiting in the order inbox.
    const placedBefore = (await services.models.Order.count({ where: { shop_id: shopIds } })) + (await services.models.OrderInbox.count({ where: { platform: [...demoPlatforms] } }));
    if (placedBefore) return;
    for (const platform of INITIAL_ORDERS.filter((p) => platforms.includes(p))) await place(platform);
    log.info({ platforms }, 'demo shop orders placed');
  })().catch((error: unknown) => log.warn({ err: error }, 'the shop-order demo could not be prepared'));

  return {
    ready,
    erp: commerce.erp,
    platforms: () => platforms,
    /** One more paid order on the platform's simulator (抖店 pushes it at once; 淘宝 waits for the next pull). */
    async place(platform: DemoPlatform): Promise<{ platform: DemoPlatform; platformOrderId: string }> {
      await ready;
      if (!platforms.includes(platform)) throw new Error(`the ${platform} demo is not running`);
      return { platform, platformOrderId: await place(platform) };
    },
    async close(): Promise<void> {
      await ready;
      await commerce.close();
    },
  };
}


/** In sandbox mode with the demo organisation seeded: starts the demo and hands it to its console routes. */
export async function startSandboxDemoOrders(services: Services, serverUrl: string): Promise<DemoOrders | null> {
  if (!services.config.SEED_DEMO) return null;
  const demo = await startDemoOrders(services, serverUrl);
  services.demoOrders.use(demo);
  return {
    ...demo,
    async close() {
      services.demoOrders.use(null);
      await demo.close();
    },
  };
}
