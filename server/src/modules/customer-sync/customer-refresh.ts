import { WecomError, type ExternalContactEvent } from '@scrm/wecom-adapter';
import { z } from 'zod';
import type { Database } from '../../core/db/database';
import { tryLock, type KeyValueStore } from '../../core/kv/kv-store';
import type { EventEmitter } from '../plugins/outbox';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { entriesFromGet, type ContactEntry } from './contact-entry';
import type { CustomerApplier } from './customer-apply';
import { markFollowsLost, queueLossAlert, type FollowLossDeps } from './follow-loss';

export const REFRESH_JOB = 'customer-sync.refresh';

/** WeCom: the contact is not (or no longer) anyone's external contact. */
const GONE_ERRCODES = new Set([84061, 40096]);
const LOCK_MS = 60_000;
const LOCK_WAIT_MS = 30_000;

/** What the event said happened, for what re-reading WeCom cannot tell. */
export const refreshPayload = z.object({
  externalUserId: z.string().min(1).max(64),
  hint: z
    .object({
      changeType: z.string().max(48),
      userId: z.string().max(64),
      source: z.string().max(48).optional(),
      /** The event's CreateTime, in seconds. */
      at: z.number().int().nonnegative(),
    })
    .optional(),
});
export type RefreshPayload = z.infer<typeof refreshPayload>;

export const hintOf = (event: ExternalContactEvent): RefreshPayload => ({
  externalUserId: event.externalUserId,
  hint: { changeType: event.changeType, userId: event.userId, source: 'source' in event ? event.source : undefined, at: event.createTime },
});

/**
 * Brings one customer in step with WeCom after a change event: re-reads the contact with every
 * follower (externalcontact/get), applies it, and ends the follows WeCom no longer shows. The event
 * itself only tells what a re-read cannot: who deleted whom, and whether a transfer did it. Re-reading
 * makes repeated and out-of-order events harmless; one refresh per customer runs at a time.
 */
export function createCustomerRefresher(deps: FollowLossDeps & { db: Database; kv: KeyValueStore; runtime: WecomRuntime; apply: CustomerApplier; events?: EventEmitter }) {
  const { db, models } = deps;

  async function lock(externalUserId: string) {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const held = await tryLock(deps.kv, `customer-refresh:${externalUserId}`, LOCK_MS);
      if (held) return held;
      if (Date.now() > deadline) throw new Error(`customer ${externalUserId} is being refreshed by another worker`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function read(externalUserId: string): Promise<ContactEntry[]> {
    const client = await deps.runtime.requireAppClient('customer');
    try {
      return entriesFromGet(await client.externalContact.getWithAllFollowers(externalUserId));
    } catch (error) {
      if (error instanceof WecomError && GONE_ERRCODES.has(error.errcode)) return [];
      throw error;
    }
  }

  return async function refresh({ externalUserId, hint }: RefreshPayload): Promise<void> {
    const held = await lock(externalUserId);
    try {
      const entries = await read(externalUserId);
      await db.transaction(async (tx) => {
        const applied = entries.length ? await deps.apply(entries, tx) : null;
        const customer = await models.Customer.findOne({ where: { external_userid: externalUserId }, attributes: ['id', 'store_id'], raw: true, transaction: tx });
        if (!customer) return;
        // a customer WeCom just told us about (add_external_contact): `customer.created` after commit
        if (applied?.counts.customersCreated) {
          await deps.events?.emit('customer.created', { customerId: Number(customer.id), storeId: customer.store_id === null ? null : Number(customer.store_id), externalUserId, source: 'wecom' }, tx);
        }
        const present = new Set(entries.map((e) => e.follow.userid));
        const createdOf = new Map(entries.map((e) => [e.follow.userid, e.follow.createtime]));
        const follows = await models.CustomerFollow.findAll({ where: { customer_id: customer.id }, raw: true, transaction: tx });
        const at = hint ? new Date(hint.at * 1000) : new Date();
        const hinted = (f: { wecom_userid: string }) => hint?.userId === f.wecom_userid;

        // Relations WeCom no longer shows: the event (if it is about them) says why.
        const gone = follows.filter((f) => f.status === 'active' && !present.has(f.wecom_userid));
        const reasonOf = (f: { wecom_userid: string }) => {
          if (!hinted(f)) return 'not_in_wecom' as const;
          if (hint?.changeType === 'del_external_contact') return hint.source === 'DELETE_BY_TRANSFER' ? ('transferred' as const) : ('deleted_by_employee' as const);
          if (hint?.changeType === 'del_follow_user') return 'deleted_by_customer' as const;
          return 'not_in_wecom' as const;
        };
        for (const reason of ['not_in_wecom', 'transferred', 'deleted_by_employee', 'deleted_by_customer'] as const) {
          await markFollowsLost(deps, gone.filter((f) => reasonOf(f) === reason), reason, reason === 'not_in_wecom' ? new Date() : at, tx);
        }
        if (!hint) return;
        const mine = follows.find(hinted);
        if (!mine) return;
        const follow = { id: Number(mine.id), customer_id: Number(mine.customer_id), wecom_userid: mine.wecom_userid };
        if (hint.changeType === 'del_external_contact' && hint.source !== 'DELETE_BY_TRANSFER' && !present.has(mine.wecom_userid)) {
          // A reconciliation may have found it gone first; the event says the employee did it.
          if (mine.lost_reason === 'not_in_wecom') await models.CustomerFollow.update({ lost_reason: 'deleted_by_employee' }, { where: { id: follow.id }, transaction: tx });
          if (mine.status !== 'transferred' && mine.lost_reason !== 'transferred') await queueLossAlert(deps, follow, 'deleted_by_employee', at, tx);
        }
        if (hint.changeType === 'del_follow_user' && present.has(mine.wecom_userid) && (createdOf.get(mine.wecom_userid) ?? 0) <= hint.at) {
          // WeCom still lists a customer who deleted the employee: only the event tells.
          const current = await models.CustomerFollow.findByPk(follow.id, { attributes: ['status'], raw: true, transaction: tx });
          if (current?.status === 'active') await markFollowsLost(deps, [follow], 'deleted_by_customer', at, tx);
          await queueLossAlert(deps, follow, 'deleted_by_customer', at, tx);
        } else if (hint.changeType === 'del_follow_user' && !present.has(mine.wecom_userid) && gone.some((f) => f.id === mine.id)) {
          await queueLossAlert(deps, follow, 'deleted_by_customer', at, tx);
        }
      });
    } finally {
      await held.release();
    }
  };
}

export type CustomerRefresher = ReturnType<typeof createCustomerRefresher>;
