import type { FlowDefinition } from '../workflows/flow-definition';
import type { TestServer } from '../../testing/test-server';

export interface OrderView {
  id: number;
  orderNo: string;
  status: string;
  currentNodeKey: string | null;
  assigneeUserId: number | null;
  acceptedAt: string | null;
  poolRoleCode: string | null;
  flowVersionId: number;
  nodeDueAt: string | null;
  lockVersion: number;
  storeId: number;
}

/** Creates (or redrafts) a flow and publishes it; returns the new version's id. */
export async function publishFlow(server: TestServer, token: string, code: string, definition: Partial<FlowDefinition> & Pick<FlowDefinition, 'start' | 'nodes'>): Promise<number> {
  const list = await server.api<{ data: Array<{ id: number; code: string }> }>('GET', '/api/flows', { token });
  let flow = list.body.data.find((f) => f.code === code);
  if (!flow) {
    const created = await server.api<{ data: { id: number; code: string } }>('POST', '/api/flows', { token, body: { code, name: code } });
    if (created.status !== 200) throw new Error(`create flow: ${JSON.stringify(created.body)}`);
    flow = created.body.data;
  }
  const current = await server.api<{ data: { draftVersion: number } }>('GET', `/api/flows/${flow.id}`, { token });
  const saved = await server.api('PUT', `/api/flows/${flow.id}/draft`, { token, body: { definition, draftVersion: current.body.data.draftVersion } });
  if (saved.status !== 200) throw new Error(`save draft: ${JSON.stringify(saved.body)}`);
  const published = await server.api<{ data: { id: number } }>('POST', `/api/flows/${flow.id}/publish`, { token, body: {} });
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  return published.body.data.id;
}

export async function storeIdOf(server: TestServer, code: string): Promise<number> {
  const store = await server.running.services.models.Store.findOne({ where: { code }, raw: true });
  return Number(store?.id);
}

export async function userIdOf(server: TestServer, username: string): Promise<number> {
  const user = await server.running.services.models.User.findOne({ where: { username }, raw: true });
  return Number(user?.id);
}

export async function createOrder(server: TestServer, token: string, body: Record<string, unknown>): Promise<OrderView> {
  const reply = await server.api<{ data: OrderView }>('POST', '/api/work-orders', { token, body });
  if (reply.status !== 200) throw new Error(`create order: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data;
}

export async function orderOf(server: TestServer, token: string, id: number) {
  const reply = await server.api<{ data: OrderView & { history: Array<{ type: string; nodeKey: string | null; payload: Record<string, unknown> | null }> } }>('GET', `/api/work-orders/${id}`, { token });
  if (reply.status !== 200) throw new Error(`order ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data;
}

/** The assignee accepts the task the system or a dispatcher gave them; returns the new lock version. */
export async function accept(server: TestServer, token: string, order: Pick<OrderView, 'id' | 'lockVersion'>, headers: Record<string, string> = {}): Promise<number> {
  const reply = await server.api<{ data: { lockVersion: number } }>('POST', `/api/work-orders/${order.id}/accept`, { token, body: { lockVersion: order.lockVersion }, headers });
  if (reply.status !== 200) throw new Error(`accept ${order.id}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data.lockVersion;
}

/** Uploads a tiny PNG as a photo or signature of the order's current node. */
export async function upload(server: TestServer, token: string, orderId: number, kind: 'photo' | 'signature', headers: Record<string, string> = {}) {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const form = new FormData();
  form.append('kind', kind);
  form.append('capturedAt', new Date().toISOString());
  form.append('lat', '31.2');
  form.append('lng', '121.4');
  form.append('file', new Blob([png], { type: 'image/png' }), `${kind}.png`);
  const response = await fetch(`${server.baseUrl}/api/work-orders/${orderId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body: form });
  return { status: response.status, body: (await response.json()) as { data?: { id: number }; details?: unknown } };
}

/** A one-task flow: `work` (with the given assignee, form, limit, escalations) then the end. */
export const oneTaskFlow = (work: Record<string, unknown>): FlowDefinition =>
  ({
    start: 'work',
    nodes: [
      { key: 'work', name: '处理', type: 'task', escalations: [], ...work, edges: [{ to: 'done', priority: 0, isDefault: true }] },
      { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
    ],
  }) as unknown as FlowDefinition;
