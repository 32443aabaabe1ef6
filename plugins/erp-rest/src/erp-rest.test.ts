import plugin from './index';
import { createErpClient } from './erp-client';
import { erpTestContext } from './erp-test-context';
import { reservePartsNode, transferNode } from './nodes';
import { erpSettings } from './settings';
import { startErpSimulator, type ErpSimulator } from './simulator/erp-simulator';

const pipe = 'AC-PIPE-3M';
const bracket = 'AC-BRACKET';

describe('erp-rest plugin against the ERP simulator', () => {
  let erp: ErpSimulator;
  beforeEach(async () => {
    erp = await startErpSimulator({ stock: { 'WH-SH': { [pipe]: 5, [bracket]: 2 }, 'WH-CENTRAL': { [pipe]: 50 } }, auth: { apiKey: 'k-123' } });
  });
  afterEach(() => erp.stop());

  const settings = (extra: Record<string, unknown> = {}) => ({ baseUrl: erp.url, apiKey: 'k-123', defaultWarehouse: 'WH-SH', ...extra });
  const orderParts = [
    { sku: pipe, name: '铜管 3m', quantity: 2 },
    { sku: bracket, name: '支架', quantity: 1 },
    { sku: pipe, name: '铜管 3m', quantity: 1 },
  ];
  const contextOf = (extra: Record<string, unknown> = {}, parts = orderParts) => erpTestContext(settings(extra), async () => parts);
  const input = <N extends object = Record<string, never>>(key: string, nodeSettings = {} as N) => ({ workOrderId: 7, nodeKey: 'parts', settings: nodeSettings, idempotencyKey: key });

  it('declares its steps as asynchronous nodes with settings the console can render', () => {
    expect(plugin.nodes?.map((n) => [n.name, n.mode, typeof n.compensate])).toEqual([
      ['reserve_parts', 'async', 'function'],
      ['transfer', 'async', 'function'],
    ]);
    expect(plugin.secretKeys).toEqual(['apiKey', 'password']);
  });

  it('refuses settings without credentials for the chosen authentication, naming the field', () => {
    const missingKey = erpSettings.safeParse({ baseUrl: 'http://erp.local' });
    expect(missingKey.success).toBe(false);
    expect(missingKey.error?.issues.map((i) => i.path.join('.'))).toEqual(['apiKey']);
    const basic = erpSettings.safeParse({ baseUrl: 'http://erp.local', authMode: 'basic', username: 'u' });
    expect(basic.error?.issues.map((i) => i.path.join('.'))).toEqual(['password']);
    expect(erpSettings.safeParse({ baseUrl: 'not a url', authMode: 'none' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['baseUrl']);
  });

  it("reserves the order's parts (same code merged) after checking stock, once per idempotency key, and releases them on compensation", async () => {
    const context = contextOf();
    const result = await reservePartsNode.run(input('wo-7-parts-1'), context);
    expect(result).toEqual({ reservationId: 'RSV000001', warehouse: 'WH-SH', lines: [{ sku: pipe, quantity: 3 }, { sku: bracket, quantity: 1 }] });
    expect(erp.state.available('WH-SH', pipe)).toBe(2);
    // A retry after a lost answer reserves nothing more.
    expect(await reservePartsNode.run(input('wo-7-parts-1'), context)).toMatchObject({ reservationId: 'RSV000001' });
    expect(erp.state.available('WH-SH', pipe)).toBe(2);
    expect(erp.state.reservations()).toHaveLength(1);

    await reservePartsNode.compensate?.({ ...input('wo-7-parts-1'), result: result ?? null }, context);
    expect(erp.state.available('WH-SH', pipe)).toBe(5);
    expect(erp.state.reservations()[0]?.status).toBe('released');
  });

  it('fails with the short part and its stock when the warehouse has too few, reserving nothing', async () => {
    await expect(reservePartsNode.run(input('wo-8-parts-1', { parts: [{ sku: bracket, quantity: 3 }] }), contextOf())).rejects.toThrow(`配件 ${bracket} 在仓库 WH-SH 库存不足：需要 3，可用 2`);
    expect(erp.state.reservations()).toHaveLength(0);
  });

  it('refuses parts without a code, naming them', async () => {
    await expect(reservePartsNode.run(input('wo-9-parts-1'), contextOf({}, [{ name: '密封胶', quantity: 1 } as never]))).rejects.toThrow('配件缺少编码，无法预占：密封胶');
  });

  it('reports an ERP outage and a wrong key with the status, so the node retries and shows why', async () => {
    erp.failNext(1);
    await expect(reservePartsNode.run(input('wo-10-parts-1'), contextOf())).rejects.toThrow(/\(503\)/);
    await expect(reservePartsNode.run(input('wo-10-parts-1'), contextOf({ apiKey: 'wrong' }))).rejects.toThrow(/\(401\)/);
    expect(erp.state.reservations()).toHaveLength(0);
  });

  it('transfers between warehouses once per key and moves the parts back on compensation', async () => {
    const context = contextOf({}, [{ sku: pipe, name: '铜管', quantity: 10 }]);
    const result = await transferNode.run(input('wo-11-move-1', { from: 'WH-CENTRAL' }), context);
    expect(result).toMatchObject({ from: 'WH-CENTRAL', to: 'WH-SH', lines: [{ sku: pipe, quantity: 10 }] });
    await transferNode.run(input('wo-11-move-1', { from: 'WH-CENTRAL' }), context);
    expect([erp.state.onHand('WH-CENTRAL', pipe), erp.state.onHand('WH-SH', pipe)]).toEqual([40, 15]);
    await transferNode.compensate?.({ ...input('wo-11-move-1', { from: 'WH-CENTRAL' }), result: result ?? null }, context);
    expect([erp.state.onHand('WH-CENTRAL', pipe), erp.state.onHand('WH-SH', pipe)]).toEqual([50, 5]);
  });

  it("talks to an ERP with other paths' field names and basic authentication through the field mapping", async () => {
    const other = await startErpSimulator({
      stock: { '01': { [pipe]: 4 } },
      fields: { sku: 'item_code', quantity: 'qty', warehouse: 'wh', available: 'avail_qty', lines: 'items', reference: 'biz_no', id: 'doc_no' },
      auth: { username: 'scrm', password: 's3cret' },
    });
    try {
      const mapped = erpSettings.parse({ baseUrl: other.url, authMode: 'basic', username: 'scrm', password: 's3cret', fieldSku: 'item_code', fieldQuantity: 'qty', fieldWarehouse: 'wh', fieldAvailable: 'avail_qty', fieldLines: 'items', fieldReference: 'biz_no', fieldId: 'doc_no' });
      const client = createErpClient(mapped, erpTestContext(mapped, async () => []).http);
      expect(await client.available(pipe, '01')).toBe(4);
      expect(await client.reserve({ reference: 'wo-1-parts-1', warehouse: '01', lines: [{ sku: pipe, quantity: 4 }] })).toBe('RSV000001');
      expect(other.state.available('01', pipe)).toBe(0);
    } finally {
      await other.stop();
    }
  });
});
