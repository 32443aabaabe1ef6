import { startTestServer } from '../../../testing/test-server';
import { mirrorSandboxTags, startSyncSandbox } from '../../customer-sync/customer-sync-test-kit';

export type SyncKit = Awaited<ReturnType<typeof startSyncSandbox>>;

/** A 1×1 PNG: an image attachment as WeCom's media/upload accepts it. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export interface Mass {
  id: number;
  status: string;
  stats: { recipients: number; byStatus: Record<string, number>; skippedByReason: Record<string, number> };
  tasks: Array<{ senderUserid: string; status: string; customerCount: number; sent: number; failed: number }>;
  preview: { recipients: number; skipped: number; skippedByReason: Record<string, number> } | null;
}
export interface Recipient { customerId: number; externalUserid: string | null; senderUserid: string | null; status: string; reason: string | null }

/**
 * A server over a WeCom sandbox whose customers were fully synced, plus a tag of ours put on chosen
 * customers: those followed by exactly one employee, `perEmployee` of each of two employees.
 */
export async function startMassMessageKit(seed: number, perEmployee = 3) {
  const kit = await startSyncSandbox({ employees: 3, customers: 24, seed });
  const server = await startTestServer({ env: { ...kit.env, JOB_WORKER_ENABLED: 'false' } });
  const { models, queue } = server.running.services;
  await mirrorSandboxTags(models, kit.sandbox);
  const admin = await server.login('admin');
  const sync = await server.api('POST', '/api/wecom/sync/customers', { token: admin });
  if (sync.status !== 200) throw new Error(`customer sync did not start: ${JSON.stringify(sync.body)}`);
  await queue.drain();

  const single = new Map<string, string[]>();
  for (const c of kit.sandbox.state.customers.customers.values()) {
    if (c.follows.length !== 1) continue;
    const userid = c.follows[0]!.userid;
    single.set(userid, [...(single.get(userid) ?? []), c.externalUserid]);
  }
  const chosen = [...single.entries()].filter(([, ids]) => ids.length >= perEmployee).slice(0, 2);
  if (chosen.length < 2) throw new Error('the sandbox seed gives fewer than two employees with enough single-follow customers');
  const byEmployee = new Map(chosen.map(([userid, ids]) => [userid, ids.slice(0, perEmployee)]));
  const group = await models.TagGroup.create({ wecom_group_id: null, name: '群发测试', sort_order: 0 });
  const tag = await models.Tag.create({ group_id: Number(group.get('id')), wecom_tag_id: null, name: '春季活动', sort_order: 0 });
  const tagId = Number(tag.get('id'));
  const customerIdOf = new Map<string, number>();
  for (const [userid, ids] of byEmployee) {
    for (const externalUserid of ids) {
      const customer = await models.Customer.findOne({ where: { external_userid: externalUserid }, raw: true });
      if (!customer) throw new Error(`customer ${externalUserid} was not synced`);
      customerIdOf.set(externalUserid, Number(customer.id));
      await models.CustomerTag.create({ customer_id: Number(customer.id), tag_id: tagId, wecom_userid: userid, created_at: new Date() });
    }
  }

  const api = <T>(method: string, path: string, body?: unknown, token = admin) => server.api<{ data: T }>(method, path, { token, body });
  return {
    kit,
    server,
    admin,
    tagId,
    byEmployee,
    customerIdOf,
    api,
    templates: () => kit.sandbox.state.messages.templates,
    detail: async (id: number) => (await api<Mass>('GET', `/api/engagement/mass-messages/${id}`)).body.data,
    recipients: async (id: number, query = '') => (await api<{ items: Recipient[]; total: number }>('GET', `/api/engagement/mass-messages/${id}/recipients?pageSize=200${query}`)).body.data,
    async stop() {
      await server.stop();
      await kit.sandbox.close();
    },
  };
}

export type MassMessageKit = Awaited<ReturnType<typeof startMassMessageKit>>;
