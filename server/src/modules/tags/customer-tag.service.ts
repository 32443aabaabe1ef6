import type { Services } from '../../app';
import { AppError, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import { customerScope, type CustomerRow } from '../customers/customer.model';
import { createCustomerTagging } from './customer-tagging';
import { presentBulkJob, TAG_BULK_JOB } from './tag-bulk.job';
import type { BulkMarkInput, MarkInput } from './tag.schemas';
import { requireWecomClient } from './wecom-client-access';

type Deps = Pick<Services, 'db' | 'models' | 'timeline' | 'audit' | 'wecom' | 'queue'>;

/** Tags on customers, for one customer at a time or many through a job; always within the caller's scope. */
export function createCustomerTagService(deps: Deps) {
  const { db, models, audit, wecom, queue } = deps;
  const customers = scopedQuery<CustomerRow>(models.Customer, customerScope, 'customer');
  const tagging = createCustomerTagging(deps);
  const markerOf = (actor: Actor) => ({ userId: actor.userId, name: actor.username });

  return {
    async tagsOf(actor: Actor, customerId: number) {
      await customers.byId(actor, customerId);
      return tagging.tagsOf(customerId);
    },

    /** Marks and unmarks tags on one customer; answers with the customer's tags afterwards. */
    async mark(actor: Actor, customerId: number, input: MarkInput) {
      const customer = await customers.byId(actor, customerId);
      const change = await tagging.resolveTags(input);
      const client = await requireWecomClient(wecom.runtime);
      await tagging.apply(client, customer, change, markerOf(actor), { via: 'console' });
      return tagging.tagsOf(customerId);
    },

    /** Accepts a bulk request for customers all within scope, and queues its job. */
    async startBulk(actor: Actor, input: BulkMarkInput) {
      await tagging.resolveTags(input);
      await requireWecomClient(wecom.runtime);
      const found = new Set<number>();
      for (let at = 0; at < input.customerIds.length; at += 1000) {
        const rows = await customers.all(actor, { id: input.customerIds.slice(at, at + 1000) });
        for (const row of rows) found.add(Number(row.id));
      }
      const missing = input.customerIds.filter((id) => !found.has(id));
      if (missing.length) throw new AppError('NOT_FOUND', `customers not found: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? '…' : ''}`, { customerIds: missing.slice(0, 100) });
      const row = await db.transaction(async (tx) => {
        const created = (
          await models.TagBulkJob.create(
            {
              actor_user_id: actor.userId,
              actor_name: actor.username,
              status: 'pending',
              add_tag_ids: JSON.stringify(input.add ?? []),
              remove_tag_ids: JSON.stringify(input.remove ?? []),
              customer_ids: JSON.stringify(input.customerIds),
              total: input.customerIds.length,
            },
            { transaction: tx },
          )
        ).get({ plain: true });
        await queue.enqueue(TAG_BULK_JOB, { jobId: Number(created.id) }, { transaction: tx, dedupeKey: `tag-bulk:${created.id}` });
        await audit.record({ action: 'customer.tags_bulk_requested', targetType: 'tag_bulk_job', targetId: Number(created.id), after: { customers: input.customerIds.length, add: input.add ?? [], remove: input.remove ?? [] } }, tx);
        return created;
      });
      return presentBulkJob(row);
    },

    /** A bulk job's progress and result, for whoever started it (or anyone who sees every store). */
    async bulkJob(actor: Actor, jobId: number) {
      const row = await models.TagBulkJob.findByPk(jobId, { raw: true });
      if (!row || (actor.dataScope !== 'all' && Number(row.actor_user_id) !== actor.userId)) throw notFound('bulk tag job', jobId);
      return presentBulkJob(row);
    },
  };
}

export type CustomerTagService = ReturnType<typeof createCustomerTagService>;
