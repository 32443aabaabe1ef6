import axios from 'axios';
import type { PluginContext, PluginServices } from '@scrm/plugin-sdk';
import { erpSettings, type ErpSettings } from './settings';

type OrderParts = Array<{ sku?: string; name: string; quantity: number }>;

/**
 * The part of a plugin context the ERP steps use (settings, HTTP, logger, work orders), for tests
 * that call the steps directly; `partsOf` answers `services.workOrders.get(id).parts`.
 */
export function erpTestContext(settings: Record<string, unknown>, partsOf: (workOrderId: number) => Promise<OrderParts | null>): PluginContext<ErpSettings> & { logs: string[] } {
  const logs: string[] = [];
  const log = (message: string) => void logs.push(message);
  const workOrders: Pick<PluginServices['workOrders'], 'get'> = {
    async get(id) {
      const parts = await partsOf(id);
      return parts === null ? null : { id, orderNo: `WO${id}`, status: 'open', currentNodeKey: null, storeId: 1, parts };
    },
  };
  const unused = () => {
    throw new Error('not available in the ERP test context');
  };
  return {
    plugin: { name: 'erp-rest', version: '0.1.0' },
    settings: erpSettings.parse(settings),
    log: { debug: log, info: log, warn: log, error: log },
    kv: { get: unused, set: unused, delete: unused, setIfAbsent: unused },
    db: { table: unused, query: unused },
    http: axios.create(),
    wecom: { call: unused },
    services: { workOrders } as unknown as PluginServices,
    emit: unused,
    enabledForStore: async () => true,
    logs,
  };
}
