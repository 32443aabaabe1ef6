import { defineNode, type NodeStepInput, type PluginContext } from '@scrm/plugin-sdk';
import { z } from 'zod';
import { createErpClient, ErpError, type PartLine } from './erp-client';
import { partLines } from './parts';
import type { ErpSettings } from './settings';

const partList = z.array(z.object({ sku: z.string().min(1).max(64), quantity: z.number().int().positive() })).max(100);

const reserveSettings = z.object({
  /** The warehouse to reserve from (else the plugin's default warehouse). */
  warehouse: z.string().min(1).max(64).optional(),
  /** Fixed parts for every order (else the order's parts). */
  parts: partList.optional(),
});

const transferSettings = z.object({
  from: z.string().min(1).max(64),
  /** Else the plugin's default warehouse. */
  to: z.string().min(1).max(64).optional(),
  parts: partList.optional(),
});

type Context = PluginContext<ErpSettings>;

/** The same reference for every attempt of one visit, so the ERP does the work once. */
const referenceOf = (input: NodeStepInput<unknown>) => input.idempotencyKey ?? `wo-${input.workOrderId}-${input.nodeKey}`;

async function linesOf(input: NodeStepInput<{ parts?: PartLine[] }>, context: Context): Promise<PartLine[]> {
  const order = await context.services.workOrders.get(input.workOrderId);
  if (!order) throw new ErpError(`work order ${input.workOrderId} not found`, null);
  const { lines, unknown } = partLines(input.settings.parts, order.parts);
  if (unknown.length) throw new ErpError(`配件缺少编码，无法预占：${unknown.join('、')}`, null);
  return lines;
}

/** 配件调拨: checks stock in the warehouse, then reserves the order's parts; released if the order is cancelled. */
export const reservePartsNode = defineNode<ErpSettings, z.infer<typeof reserveSettings>>({
  name: 'reserve_parts',
  title: { 'zh-CN': 'ERP 配件预占', 'en-US': 'Reserve parts in the ERP' },
  settings: reserveSettings,
  mode: 'async',
  async run(input, context) {
    const lines = await linesOf(input, context);
    const warehouse = input.settings.warehouse ?? context.settings.defaultWarehouse;
    if (!lines.length) return { reservationId: null, warehouse, lines };
    const erp = createErpClient(context.settings, context.http);
    const shortages: string[] = [];
    for (const line of lines) {
      const available = await erp.available(line.sku, warehouse);
      if (available < line.quantity) shortages.push(`配件 ${line.sku} 在仓库 ${warehouse} 库存不足：需要 ${line.quantity}，可用 ${available}`);
    }
    // Stock looks short also when an earlier attempt's reservation (answer lost) holds it: the ERP,
    // idempotent on the reference, then answers with that reservation; otherwise it refuses (409).
    const reservationId = await erp.reserve({ reference: referenceOf(input), warehouse, lines }).catch((error: unknown) => {
      throw shortages.length && error instanceof ErpError && error.status === 409 ? new ErpError(shortages.join('；'), 409) : error;
    });
    context.log.info('parts reserved', { workOrderId: input.workOrderId, reservationId, warehouse });
    return { reservationId, warehouse, lines };
  },
  async compensate(input, context) {
    const reservationId = input.result?.reservationId;
    if (typeof reservationId !== 'string') return;
    await createErpClient(context.settings, context.http).release(reservationId);
    context.log.info('parts released', { workOrderId: input.workOrderId, reservationId });
  },
});

/** Moves the order's parts between warehouses; moved back if the order is cancelled. */
export const transferNode = defineNode<ErpSettings, z.infer<typeof transferSettings>>({
  name: 'transfer',
  title: { 'zh-CN': 'ERP 仓库调拨', 'en-US': 'Transfer parts between ERP warehouses' },
  settings: transferSettings,
  mode: 'async',
  async run(input, context) {
    const lines = await linesOf(input, context);
    const to = input.settings.to ?? context.settings.defaultWarehouse;
    if (!lines.length) return { transferId: null, from: input.settings.from, to, lines };
    const transferId = await createErpClient(context.settings, context.http).transfer({ reference: referenceOf(input), from: input.settings.from, to, lines });
    return { transferId, from: input.settings.from, to, lines };
  },
  async compensate(input, context) {
    const result = input.result as { transferId?: string | null; from?: string; to?: string; lines?: PartLine[] } | null;
    if (!result?.transferId || !result.from || !result.to || !result.lines) return;
    await createErpClient(context.settings, context.http).transfer({ reference: `${referenceOf(input)}-undo`, from: result.to, to: result.from, lines: result.lines });
  },
});
