import { Op, type Transaction } from 'sequelize';
import type { Models } from '../../../core/db/models';
import { customersInScope, type AudienceScope } from './mass-audience';
import type { RecipientReason } from './mass-message.models';
import { monthlyCap, receivedThisMonth } from './monthly-limit';

export type PlannedRecipient =
  | { customerId: number; status: 'pending'; reason: null; senderUserid: string; externalUserid: string }
  | { customerId: number; status: 'skipped'; reason: RecipientReason; senderUserid: string | null; externalUserid: string | null };

/**
 * Decides, for customers of a mass message, who sends to each and who is skipped and why: outside the
 * creator's data scope, lost (or merged away), no owning employee (no active WeCom follow), or the
 * month's cap of group messages reached. The sender is the owning employee: the owner's follow when
 * active, otherwise the earliest active follow (the customer's primary follow user).
 */
export async function planRecipients(models: Models, customerIds: number[], context: { massMessageId: number | null; scope: AudienceScope; at: Date }, tx?: Transaction): Promise<PlannedRecipient[]> {
  if (!customerIds.length) return [];
  const customers = await models.Customer.findAll({ where: { id: customerIds }, attributes: ['id', 'status', 'external_userid', 'owner_user_id'], raw: true, transaction: tx });
  const inScope = new Set((await models.Customer.findAll({ where: { [Op.and]: [customersInScope(context.scope), { id: customerIds }] }, attributes: ['id'], raw: true, transaction: tx })).map((c) => Number(c.id)));
  const follows = await models.CustomerFollow.findAll({
    where: { customer_id: customerIds, status: 'active' },
    attributes: ['customer_id', 'wecom_userid'],
    order: [['added_at', 'ASC'], ['id', 'ASC']],
    raw: true,
    transaction: tx,
  });
  const ownerIds = [...new Set(customers.map((c) => c.owner_user_id).filter((id): id is number => id !== null))];
  const owners = new Map(ownerIds.length ? (await models.User.findAll({ where: { id: ownerIds }, attributes: ['id', 'wecom_userid'], raw: true, transaction: tx })).map((u) => [Number(u.id), u.wecom_userid]) : []);
  const followsOf = new Map<number, string[]>();
  for (const f of follows) followsOf.set(Number(f.customer_id), [...(followsOf.get(Number(f.customer_id)) ?? []), f.wecom_userid]);
  const received = await receivedThisMonth(models, customerIds, context.at, context.massMessageId, tx);
  const cap = monthlyCap(context.at);
  const byId = new Map(customers.map((c) => [Number(c.id), c]));

  return customerIds.map((customerId): PlannedRecipient => {
    const customer = byId.get(customerId);
    const externalUserid = customer?.external_userid ?? null;
    const skip = (reason: RecipientReason, senderUserid: string | null = null): PlannedRecipient => ({ customerId, status: 'skipped', reason, senderUserid, externalUserid });
    if (!customer) return skip('lost');
    if (!inScope.has(customerId)) return skip('out_of_scope');
    if (customer.status !== 'active') return skip('lost');
    const active = followsOf.get(customerId) ?? [];
    const owner = customer.owner_user_id === null ? null : owners.get(Number(customer.owner_user_id));
    const sender = owner && active.includes(owner) ? owner : active[0];
    if (!externalUserid || !sender) return skip('no_owner');
    if ((received.get(customerId) ?? 0) >= cap) return skip('monthly_limit', sender);
    return { customerId, status: 'pending', reason: null, senderUserid: sender, externalUserid };
  });
}
