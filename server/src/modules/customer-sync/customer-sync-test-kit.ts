import { Op } from 'sequelize';
import { randomBytes } from 'node:crypto';
import { createSandbox, type Sandbox } from '@scrm/wecom-adapter';
import type { Models } from '../../core/db/models';

export const SANDBOX_CORP = 'ww_sync_test';
const AGENT_ID = 1000002;

/** A WeCom sandbox seeded with a corp, and the server environment that points at it. */
export async function startSyncSandbox(seed: { employees: number; customers: number; seed?: number }, options: { quotaPerMinute?: number } = {}) {
  const secrets = { contact: 'contact-secret', customer: 'customer-secret', agent: 'agent-secret' };
  const callback = { token: 'sync-test-token', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  const sandbox: Sandbox = createSandbox({
    corpId: SANDBOX_CORP,
    agentId: AGENT_ID,
    secrets,
    quotaPerMinute: options.quotaPerMinute,
    seed: { employees: seed.employees, customers: seed.customers, seed: seed.seed ?? 7 },
    callbackRetryDelayMs: 50,
  });
  const { url } = await sandbox.listen(0, '127.0.0.1');
  const env = {
    WECOM_CORP_ID: SANDBOX_CORP,
    WECOM_API_BASE: url,
    WECOM_CONTACT_SECRET: secrets.contact,
    WECOM_CUSTOMER_SECRET: secrets.customer,
    WECOM_AGENT_SECRET: secrets.agent,
    WECOM_AGENT_ID: String(AGENT_ID),
    WECOM_CALLBACK_TOKEN: callback.token,
    WECOM_CALLBACK_AES_KEY: callback.encodingAesKey,
  };
  return {
    sandbox,
    url,
    env,
    callback,
    /** Sends the sandbox's callbacks to this server. */
    pointCallbacksAt: (serverUrl: string) => sandbox.control.setCallback({ url: `${serverUrl}/wecom/callback`, ...callback }),
    /** Relations the sandbox holds for active employees: what a full sync must store. */
    expected() {
      const active = new Set(sandbox.state.directory.activeEmployees().map((e) => e.userid));
      let relations = 0;
      let tagMarks = 0;
      const customers = new Set<string>();
      for (const c of sandbox.state.customers.customers.values()) {
        for (const f of c.follows) {
          if (!active.has(f.userid)) continue;
          relations += 1;
          tagMarks += new Set(f.tagIds).size;
          customers.add(c.externalUserid);
        }
      }
      return { customers: customers.size, relations, tagMarks };
    },
  };
}

/** Copies the sandbox's corp tags into our tag tables (what the tag sync does), so customer tags resolve. */
export async function mirrorSandboxTags(models: Models, sandbox: Sandbox): Promise<void> {
  for (const group of sandbox.state.tags.groups.values()) {
    if (group.deleted) continue;
    const [row] = await models.TagGroup.findOrCreate({ where: { wecom_group_id: group.groupId }, defaults: { wecom_group_id: group.groupId, name: group.groupName, sort_order: group.order } });
    for (const tag of group.tags) {
      if (tag.deleted) continue;
      await models.Tag.findOrCreate({ where: { wecom_tag_id: tag.id }, defaults: { group_id: Number(row.get('id')), wecom_tag_id: tag.id, name: tag.name, sort_order: tag.order } });
    }
  }
}

/** Our store, as the same shape as `expected()` plus duplicates (should be none). */
export async function storedCounts(models: Models) {
  const customers = await models.Customer.count({ where: { status: ['active', 'lost'], external_userid: { [Op.ne]: null } } });
  const follows = await models.CustomerFollow.count({ where: { status: 'active' } });
  const tagMarks = await models.CustomerTag.count();
  return { customers, follows, tagMarks };
}
