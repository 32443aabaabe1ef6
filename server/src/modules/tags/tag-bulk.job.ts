import { z } from 'zod';
import type { Services } from '../../app';
import { AppError } from '../../core/errors';
import type { CustomerRow } from '../customers/customer.model';
import { createCustomerTagging, type TagChange } from './customer-tagging';
import type { TagBulkJobRow } from './tag-bulk-job.model';

export const TAG_BULK_JOB = 'tags.bulk_mark';

type Deps = Pick<Services, 'db' | 'models' | 'timeline' | 'audit' | 'wecom' | 'queue' | 'log'>;

/** Customers per saved step: progress is durable at least this often. */
const STEP = 20;
const MAX_FAILURES = 200;

const parseIds = (json: string) => (JSON.parse(json) as number[]).map(Number);

/**
 * Bulk marking as a durable job: customers one after the other through the WeCom client, whose
 * per-minute budget keeps mark_tag within WeCom's limits (a spent minute waits for the next). The
 * position is saved every few customers; a job resumed after a crash carries on from there, and
 * repeating a step changes nothing (mark_tag is idempotent, timeline entries are deduplicated).
 */
export function registerTagBulkJob(services: Deps): void {
  const { db, models, audit, wecom, queue, log } = services;
  const tagging = createCustomerTagging(services);

  async function run(jobId: number, renewLease: () => Promise<void>) {
    const job = await models.TagBulkJob.findByPk(jobId, { raw: true });
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const client = await wecom.runtime.requireAppClient('customer');
    await models.TagBulkJob.update({ status: 'running' }, { where: { id: jobId } });
    const ids = parseIds(job.customer_ids);
    const tagIds = [...parseIds(job.add_tag_ids), ...parseIds(job.remove_tag_ids)];
    const tags = new Map((await models.Tag.findAll({ where: { id: tagIds }, raw: true })).map((t) => [Number(t.id), t]));
    // Tags deleted since the request are left out.
    const change: TagChange = {
      add: parseIds(job.add_tag_ids).flatMap((id) => tags.get(id) ?? []),
      remove: parseIds(job.remove_tag_ids).flatMap((id) => tags.get(id) ?? []),
    };
    const marker = { userId: job.actor_user_id === null ? null : Number(job.actor_user_id), name: job.actor_name };
    let { position, succeeded, failed } = { position: Number(job.position), succeeded: Number(job.succeeded), failed: Number(job.failed) };
    const failures = job.failures ? (JSON.parse(job.failures) as Array<{ customerId: number; message: string }>) : [];

    while (position < ids.length) {
      const slice = ids.slice(position, position + STEP);
      const customers = new Map((await models.Customer.findAll({ where: { id: slice }, raw: true })).map((c) => [Number(c.id), c as CustomerRow]));
      for (const customerId of slice) {
        const customer = customers.get(customerId);
        try {
          if (!customer) throw new AppError('NOT_FOUND', 'customer no longer exists');
          await tagging.apply(client, customer, change, marker, { via: 'bulk', dedupe: `bulk:${jobId}:${customerId}` });
          succeeded += 1;
        } catch (error) {
          // A refusal for one customer is reported; anything else (WeCom unreachable) retries the job from here.
          if (!(error instanceof AppError) || error.status >= 500 || error.code === 'TOO_MANY_ATTEMPTS') throw error;
          failed += 1;
          if (failures.length < MAX_FAILURES) failures.push({ customerId, message: error.message });
        }
      }
      position += slice.length;
      await models.TagBulkJob.update({ position, succeeded, failed, failures: JSON.stringify(failures) }, { where: { id: jobId } });
      await renewLease();
    }
    await db.transaction(async (tx) => {
      await models.TagBulkJob.update({ status: 'done', finished_at: new Date() }, { where: { id: jobId }, transaction: tx });
      await audit.record({ action: 'customer.tags_bulk_done', targetType: 'tag_bulk_job', targetId: jobId, actor: { id: marker.userId, name: marker.name }, after: { total: ids.length, succeeded, failed } }, tx);
    });
    log.info({ jobId, succeeded, failed }, 'bulk tagging finished');
  }

  queue.register({
    type: TAG_BULK_JOB,
    payload: z.object({ jobId: z.number().int().positive() }),
    maxAttempts: 20,
    handle: async ({ jobId }, job) => {
      try {
        await run(jobId, job.renewLease);
      } catch (error) {
        if (job.attempt >= 20) await models.TagBulkJob.update({ status: 'failed', finished_at: new Date() }, { where: { id: jobId } });
        throw error;
      }
    },
  });
}

export function presentBulkJob(row: TagBulkJobRow) {
  return {
    id: Number(row.id),
    status: row.status,
    total: Number(row.total),
    processed: Number(row.position ?? 0),
    succeeded: Number(row.succeeded ?? 0),
    failed: Number(row.failed ?? 0),
    failures: row.failures ? (JSON.parse(row.failures) as Array<{ customerId: number; message: string }>) : [],
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}
