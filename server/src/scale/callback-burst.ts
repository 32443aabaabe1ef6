import type { Models } from '../core/db/models';
import { Op } from 'sequelize';
import { waitUntil } from '../testing/wait-until';

export interface SealedCallback {
  externalUserId: string;
  path: string;
  body: string;
}

/**
 * Sends each callback once, round robin over `urls` with `concurrency` in flight, and returns the
 * external ids whose delivery was answered 200 (acknowledged: WeCom would not send it again).
 * A refused connection or a non-200 is not acknowledged; WeCom would retry it.
 */
export async function sendCallbacks(urls: () => string[], callbacks: SealedCallback[], concurrency = 16): Promise<{ acknowledged: string[]; failed: number }> {
  const acknowledged: string[] = [];
  let failed = 0;
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < callbacks.length; i = next++) {
      const live = urls();
      const callback = callbacks[i]!;
      const status = await fetch(`${live[i % live.length]}${callback.path}`, { method: 'POST', body: callback.body, headers: { 'content-type': 'text/xml' } }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) acknowledged.push(callback.externalUserId);
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { acknowledged, failed };
}

/** How the stored callbacks and customers of these external ids stand: what "processed exactly once" is checked against. */
export async function callbackOutcome(models: Models, externalUserIds: string[]) {
  const rows = await models.WecomCallback.findAll({ attributes: ['summary', 'processed_at'], raw: true });
  const byExternal = new Map<string, { processed: boolean }[]>();
  for (const row of rows) {
    const id = (JSON.parse(String(row.summary)) as { ExternalUserID?: string }).ExternalUserID;
    if (id) byExternal.set(id, [...(byExternal.get(id) ?? []), { processed: row.processed_at !== null }]);
  }
  const customers = await models.Customer.findAll({ where: { external_userid: { [Op.in]: externalUserIds } }, attributes: ['external_userid'], raw: true });
  const refreshes = await models.Job.count({ where: { type: 'customer-sync.refresh', status: 'done' } });
  return {
    stored: externalUserIds.filter((id) => byExternal.get(id)?.length === 1).length,
    processed: externalUserIds.filter((id) => byExternal.get(id)?.every((r) => r.processed)).length,
    storedTwice: [...byExternal.values()].filter((r) => r.length > 1).length,
    customers: new Set(customers.map((c) => c.external_userid)).size,
    refreshesDone: refreshes,
  };
}

/**
 * The outcome once everything the callbacks lead to has happened: each stored and processed, its
 * customer created and that customer's refresh job done. Returns what stands after `ms` otherwise,
 * so that the suite reports and asserts what is missing.
 */
export async function settledCallbackOutcome(models: Models, externalUserIds: string[], ms: number) {
  const n = externalUserIds.length;
  const settled = (o: Awaited<ReturnType<typeof callbackOutcome>>) => o.stored === n && o.processed === n && o.customers === n && o.refreshesDone >= n;
  await waitUntil(async () => settled(await callbackOutcome(models, externalUserIds)), ms, 500).catch(() => undefined);
  return callbackOutcome(models, externalUserIds);
}
