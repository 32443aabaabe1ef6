import { definePlugin } from '@scrm/plugin-sdk';
import { z } from 'zod';
import { createErpClient } from './erp-client';
import { reservePartsNode, transferNode } from './nodes';
import { erpSecretKeys, erpSettings } from './settings';

export { erpSettings, type ErpSettings } from './settings';
export { createErpClient, ErpError, type PartLine } from './erp-client';
export { startErpSimulator, type ErpSimulator } from './simulator/erp-simulator';

const stockQuery = z.object({ sku: z.string().min(1).max(64), warehouse: z.string().min(1).max(64).optional() });

/**
 * A generic REST ERP: spare-parts stock lookup and reservation as the automatic step of the
 * 配件调拨 node (`erp-rest.reserve_parts`), transfers between warehouses (`erp-rest.transfer`), and
 * release when the order is cancelled. Base URL, authentication and field names are settings.
 */
export default definePlugin({
  name: 'erp-rest',
  version: '0.1.0',
  requires: { core: '>=0.1.0' },
  title: { 'zh-CN': 'ERP 配件对接（REST）', 'en-US': 'ERP spare parts (REST)' },
  description: { 'zh-CN': '配件库存查询、预占、仓库调拨与取消释放', 'en-US': 'Spare-parts stock, reservations, warehouse transfers and release on cancel' },
  settings: erpSettings,
  secretKeys: erpSecretKeys,
  nodes: [reservePartsNode, transferNode],
  routes: [
    {
      method: 'get',
      path: '/stock',
      auth: 'session',
      permission: 'workorder:read',
      async handler(request, context) {
        const query = stockQuery.safeParse(request.query);
        if (!query.success) return { status: 400, body: { message: 'sku is required', details: query.error.issues.map((i) => ({ path: `query.${i.path.join('.')}`, message: i.message })) } };
        const warehouse = query.data.warehouse ?? context.settings.defaultWarehouse;
        return { body: { sku: query.data.sku, warehouse, available: await createErpClient(context.settings, context.http).available(query.data.sku, warehouse) } };
      },
    },
  ],
  admin: {
    menus: [
      {
        key: 'stock',
        title: { 'zh-CN': '配件库存查询', 'en-US': 'Spare-parts stock' },
        path: '/plugins/erp-rest/stock',
        permission: 'workorder:read',
        view: {
          route: '/stock',
          query: [
            { key: 'sku', title: { 'zh-CN': '配件编码', 'en-US': 'Part code' }, required: true },
            { key: 'warehouse', title: { 'zh-CN': '仓库（留空为默认仓库）', 'en-US': 'Warehouse (empty: the default)' } },
          ],
        },
      },
    ],
  },
});
