import { oneTaskFlow } from '../modules/work-orders/work-order-test-kit';
import { apiClient } from '../testing/test-server';
import type { Models } from '../core/db/models';

/** A flow whose task reminds at half its limit and escalates at the limit: two SLA timers per order. */
export async function publishEscalatingFlow(url: string, token: string, code: string): Promise<void> {
  const api = apiClient(url);
  const created = await api<{ data: { id: number } }>('POST', '/api/flows', { token, body: { code, name: code } });
  if (created.status !== 200) throw new Error(`create flow: ${JSON.stringify(created.body)}`);
  const id = created.body.data.id;
  const definition = oneTaskFlow({ assignee: { strategy: 'role', roleCode: 'technician' }, timeLimit: { minutes: 60, calendar: 'default' }, escalations: [{ atPercent: 50, action: 'remind_assignee' }, { atPercent: 100, action: 'notify_store_manager' }] });
  const current = await api<{ data: { draftVersion: number } }>('GET', `/api/flows/${id}`, { token });
  const saved = await api('PUT', `/api/flows/${id}/draft`, { token, body: { definition, draftVersion: current.body.data.draftVersion } });
  const published = await api('POST', `/api/flows/${id}/publish`, { token, body: {} });
  if (saved.status !== 200 || published.status !== 200) throw new Error(`publish flow: ${JSON.stringify(saved.body)} ${JSON.stringify(published.body)}`);
}

export async function storeIdOf(models: Models, code: string): Promise<number> {
  return Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);
}

/**
 * Creates `count` orders, round robin over `urls`, `concurrency` at a time; each carries a unique
 * title. Returns the titles answered 2xx with their ids, and how many requests failed.
 */
export async function createOrders(urls: () => string[], token: string, body: { flowCode: string; storeId: number }, count: number, tag: string, concurrency = 8) {
  const created = new Map<string, number>();
  let failed = 0;
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const live = urls();
      const title = `${tag}-${i}`;
      const reply = await apiClient(live[i % live.length]!)<{ data: { id: number } }>('POST', '/api/work-orders', { token, body: { ...body, title } }).catch(() => null);
      if (reply && reply.status >= 200 && reply.status < 300) created.set(title, reply.body.data.id);
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { created, failed };
}
