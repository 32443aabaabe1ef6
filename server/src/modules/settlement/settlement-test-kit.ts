import type { TestServer } from '../../testing/test-server';
import type { FlowDefinition } from '../workflows/flow-definition';
import { accept, publishFlow, storeIdOf } from '../work-orders/work-order-test-kit';
import { periodCodeOf, shanghaiDate, shanghaiDayStart } from './settlement-dates';

export interface LineView {
  id: number;
  periodId: number;
  payeeId: number;
  payeeName: string;
  workOrderId: number | null;
  ruleKey: string;
  ruleSetCode: string | null;
  ruleSetVersion: number | null;
  lineType: string;
  state: string;
  amountFen: number;
  formula: string;
  correctsLineId: number | null;
  disputeStatus: string;
}

export const thisMonth = () => periodCodeOf(shanghaiDate(new Date()));

/** An installation flow of one task (`acceptance`, like the seeded flow's last node) with the fields settlement rules read. */
export const publishInstallFlow = (server: TestServer, token: string) =>
  publishFlow(server, token, 'st_install', {
    start: 'acceptance',
    nodes: [
      {
        key: 'acceptance',
        name: '验收',
        type: 'task',
        assignee: { strategy: 'role', roleCode: 'technician' },
        form: {
          fields: [
            { key: 'high_altitude', label: '高空作业', type: 'boolean', required: false },
            { key: 'rating', label: '评分', type: 'number', required: false },
            { key: 'recycled_units', label: '旧机回收', type: 'number', required: false },
          ],
          minPhotos: 0,
          signature: false,
          partsList: false,
        },
        escalations: [],
        edges: [{ to: 'done', priority: 0, isDefault: true }],
      },
      { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
    ],
  } as unknown as FlowDefinition);

export function settlementKit(server: TestServer) {
  const { services } = server.running;
  const drain = () => services.queue.drain();

  async function createInstallOrder(token: string, options: { source?: string; amountFen?: number } = {}) {
    const reply = await server.api<{ data: { id: number; lockVersion: number } }>('POST', '/api/work-orders', {
      token,
      body: { flowCode: 'st_install', storeId: await storeIdOf(server, 'SH01'), sourceChannel: options.source ?? 'douyin', amountFen: options.amountFen ?? 10000, serviceItems: [{ code: 'ac_install', name: '空调安装', quantity: 1 }], products: [{ name: '空调', category: 'air_conditioner', quantity: 1 }] },
    });
    if (reply.status !== 200) throw new Error(`create order: ${JSON.stringify(reply.body)}`);
    return reply.body.data;
  }

  return {
    drain,

    /** Creates an installation order and completes it through the work-order API, then runs the queued pricing. */
    async finishInstall(staff: string, tech: string, form: Record<string, unknown>, options: { source?: string; amountFen?: number } = {}) {
      const order = await createInstallOrder(staff, options);
      const lockVersion = await accept(server, tech, order);
      const done = await server.api<{ data: { status: string } }>('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion, form } });
      if (done.status !== 200 || done.body.data.status !== 'done') throw new Error(`complete: ${JSON.stringify(done.body)}`);
      return order.id;
    },

    /** Books an order as finished by `techUserId` on a chosen Shanghai date (the runtime's done hook with a back-dated completion). */
    async bookDated(staff: string, techUserId: number, date: string, form: Record<string, unknown>) {
      const order = await createInstallOrder(staff);
      const closedAt = new Date(shanghaiDayStart(date).getTime() + 10 * 3600_000);
      await services.db.transaction(async (tx) => {
        await services.models.WorkOrder.update({ status: 'done', closed_at: closedAt }, { where: { id: order.id }, transaction: tx });
        await services.models.WorkOrderEvent.create({ work_order_id: order.id, type: 'completed', node_key: 'acceptance', actor_user_id: techUserId, payload: JSON.stringify({ form, dueAt: null }), created_at: closedAt }, { transaction: tx });
        const row = await services.models.WorkOrder.findByPk(order.id, { raw: true, transaction: tx });
        if (row) await services.settlement.pricing.onOrderDone(row, tx);
      });
      return order.id;
    },

    async linesOf(token: string, query: string): Promise<LineView[]> {
      const reply = await server.api<{ data: { items: LineView[] } }>('GET', `/api/settlement/lines?pageSize=200&${query}`, { token });
      if (reply.status !== 200) throw new Error(`lines: ${JSON.stringify(reply.body)}`);
      return reply.body.data.items;
    },

    async periodOf(token: string, code: string) {
      const reply = await server.api<{ data: Array<{ id: number; code: string; status: string; linesHash: string | null }> }>('GET', '/api/settlement/periods', { token });
      return reply.body.data.find((p) => p.code === code);
    },

    async ruleSetId(token: string, code: string): Promise<number> {
      const reply = await server.api<{ data: Array<{ id: number; code: string }> }>('GET', '/api/settlement/rule-sets', { token });
      return Number(reply.body.data.find((s) => s.code === code)?.id);
    },

    /** Creates (or reuses) a rule set, saves `definition` as its draft and publishes it from `effectiveFrom`. */
    async publishRules(token: string, code: string, payeeKind: string, definition: unknown, effectiveFrom: string) {
      let id = await this.ruleSetId(token, code);
      if (!id) {
        const created = await server.api<{ data: { id: number } }>('POST', '/api/settlement/rule-sets', { token, body: { code, name: code, payeeKind } });
        id = created.body.data.id;
      }
      const current = await server.api<{ data: { draftVersion: number } }>('GET', `/api/settlement/rule-sets/${id}`, { token });
      const saved = await server.api('PUT', `/api/settlement/rule-sets/${id}/draft`, { token, body: { definition, draftVersion: current.body.data.draftVersion } });
      if (saved.status !== 200) throw new Error(`draft: ${JSON.stringify(saved.body)}`);
      const published = await server.api('POST', `/api/settlement/rule-sets/${id}/publish`, { token, body: { effectiveFrom } });
      if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
      return id;
    },
  };
}
