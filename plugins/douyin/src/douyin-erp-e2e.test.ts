import { startErpSimulator, type ErpSimulator } from '../../erp-rest/src/simulator/erp-simulator';
import { acOrderRule, orderKit } from '../../../server/src/modules/orders/order-test-kit';
import { settlementKit } from '../../../server/src/modules/settlement/settlement-test-kit';
import { accept, orderOf, publishFlow, storeIdOf } from '../../../server/src/modules/work-orders/work-order-test-kit';
import { startTestServer, type TestServer } from '../../../server/src/testing/test-server';
import { DouyinSimulator } from './simulator/douyin-simulator';

const credentials = { appKey: 'dy_e2e_key', appSecret: 'dy_e2e_secret_0123456789' };
const acSku = 'AC-KFR35';

/** A Douyin order for an AC installation, end to end: intake → customer → work order → ERP parts → completion → settlement split. */
describe('douyin order to settled installation', () => {
  let server: TestServer;
  let admin: string;
  let douyin: DouyinSimulator;
  let erp: ErpSimulator;

  beforeAll(async () => {
    douyin = await new DouyinSimulator({ ...credentials, shopId: '100001' }).start();
    erp = await startErpSimulator({ stock: { 'WH-SH': { [acSku]: 4 } }, auth: { apiKey: 'erp-key' } });
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    const configure = async (plugin: string, settings: Record<string, unknown>) => {
      expect((await server.api('PUT', `/api/system/plugins/${plugin}/settings`, { token: admin, body: { settings } })).status).toBe(200);
      expect((await server.api('POST', `/api/system/plugins/${plugin}/enable`, { token: admin })).status).toBe(200);
    };
    await configure('erp-rest', { baseUrl: erp.url, apiKey: 'erp-key', defaultWarehouse: 'WH-SH' });
    await configure('douyin', { ...credentials, accessToken: 'shop-token', apiBase: douyin.apiBase, categoryMap: { '20001': 'air_conditioner' } });
    await publishFlow(server, admin, 'ac_install_e2e', {
      start: 'parts',
      nodes: [
        { key: 'parts', name: '配件调拨', type: 'auto', automation: { step: 'erp-rest.reserve_parts', settings: {} }, escalations: [], edges: [{ to: 'acceptance', priority: 0, isDefault: true }] },
        {
          key: 'acceptance',
          name: '验收',
          type: 'task',
          assignee: { strategy: 'role', roleCode: 'technician' },
          form: { fields: [{ key: 'rating', label: '评分', type: 'number', required: false }], minPhotos: 0, signature: false, partsList: false },
          escalations: [],
          edges: [{ to: 'done', priority: 0, isDefault: true }],
        },
        { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
      ],
    } as never);
    const kit = orderKit(server);
    await kit.placeStores(admin);
    await kit.addRule(admin, acOrderRule('ac_install_e2e'));
  }, 180_000);
  afterAll(async () => {
    await server.stop();
    await douyin.stop();
    await erp.stop();
  });

  // Pushes are stored and answered first; settle() processes the stored deliveries and the jobs they queue.
  const drain = () => orderKit(server).settle();

  it('matches the customer, installs from the nearest store with ERP parts, and settles with the Douyin split', async () => {
    const existing = await server.api<{ data: { id: number } }>('POST', '/api/customers', { token: admin, body: { name: '钱先生', phone: '13911112222', storeId: await storeIdOf(server, 'SH01') } });
    const id = douyin.placeOrder({ buyer: { name: '钱先生', phone: '13911112222', city: '上海市徐汇区' } });
    douyin.set(id, 'paid');
    const pushed = await fetch(`${server.baseUrl}/api/plugins/douyin/push`, { method: 'POST', ...(({ rawBody, headers }) => ({ body: rawBody, headers }))(douyin.pushRequest('paid', id)) });
    expect(pushed.status).toBe(200);
    await drain();

    const order = await orderKit(server).orderByPlatformId(admin, id);
    expect(order).toMatchObject({ customerId: existing.body.data.id, storeId: await storeIdOf(server, 'SH01') });
    const [workOrderId] = order!.workOrderIds;
    const installing = await orderOf(server, admin, workOrderId!);
    expect(installing).toMatchObject({ currentNodeKey: 'acceptance', storeId: await storeIdOf(server, 'SH01') });
    expect(erp.state.reservations()).toEqual([expect.objectContaining({ warehouse: 'WH-SH', status: 'reserved' })]);
    expect(erp.state.available('WH-SH', acSku)).toBe(3);

    const tech = await server.login('tech_sh01');
    const lockVersion = await accept(server, tech, installing);
    const done = await server.api<{ data: { status: string } }>('POST', `/api/work-orders/${workOrderId}/complete`, { token: tech, body: { lockVersion, form: { rating: 5 } } });
    expect(done.body.data.status).toBe('done');
    await drain();

    const lines = await settlementKit(server).linesOf(admin, `workOrderId=${workOrderId}`);
    const split = lines.filter((l) => l.ruleSetCode === 'channel_split');
    expect(split.length).toBe(3);
    expect(split.reduce((sum, l) => sum + l.amountFen, 0)).toBe(299900);
    expect(split.map((l) => l.amountFen).sort((a, b) => a - b)).toEqual([59980, 89970, 149950]);
  });
});
