import type { Database } from '../../core/db/database';
import type { ChangedJob } from './settlement-compute';
import { packLineKeys, planLines, unpackLineKeys } from './settlement-line-keys';
import { insertLines, rowOf, type CarriedDisputes, type LineInsert } from './settlement-line-rows';

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Brings the stored job lines of re-priced jobs in line with their recomputation, one transaction
 * per batch of jobs, without reading them: each job row carries its lines' ids and hashes, so a
 * stored line equal to a recomputed one stays (with its id and dispute), the others are deleted by
 * id, the missing ones inserted, and each job's digest and line keys follow. Batches are written
 * while the next ones are computed; an interrupted run leaves each batch either done or untouched, so
 * running again finishes the work.
 */
export function createJobLineRewriter(db: Database, options: { periodId: number; createdAt: Date; disputes: CarriedDisputes }) {
  // Batches touch disjoint jobs and lines, so on MySQL three are written at once (more reads in flight
  // on a buffer pool smaller than the period); SQLite has one writer.
  const writers = db.dialect === 'sqlite' ? 1 : 3;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let written = { deleted: 0, inserted: 0, deleteMs: 0, insertMs: 0, updateMs: 0 };

  async function write(jobs: ChangedJob[]): Promise<void> {
    const plans = jobs.map((job) => planLines(unpackLineKeys(job.lineKeys), job.lines.map((l) => l.text)));
    const inserts: LineInsert[] = [];
    jobs.forEach((job, j) => plans[j]?.ids.forEach((id, i) => id === null && inserts.push(rowOf(job.lines[i] as ChangedJob['lines'][number], { periodId: options.periodId, completedOn: job.completedOn, createdAt: options.createdAt, disputes: options.disputes }))));
    // In key order, so the pages of the lines table are visited once and in order.
    const deletes = plans.flatMap((p) => p.deleted).sort((a, b) => a - b);
    const ms = { deleteMs: 0, insertMs: 0, updateMs: 0 };
    let mark = Date.now();
    const lap = (phase: keyof typeof ms) => {
      ms[phase] += Date.now() - mark;
      mark = Date.now();
    };
    await db.transaction(async (tx) => {
      // One ordered range scan first: it reads the pages the deletes touch (most of the range) with
      // the database's sequential read-ahead, instead of one random read per page.
      if (deletes.length && db.dialect !== 'sqlite') await db.sequelize.query(`SELECT MAX(amount_fen) AS m FROM settlement_lines WHERE id BETWEEN ${deletes[0]} AND ${deletes[deletes.length - 1]}`, { transaction: tx });
      for (const ids of chunks(deletes, 5000)) await db.sequelize.query(`DELETE FROM settlement_lines WHERE id IN (${ids.join(', ')})`, { transaction: tx });
      lap('deleteMs');
      const newIds = (await insertLines(db, inserts, tx)).values();
      lap('insertMs');
      const keys = plans.map((plan) => packLineKeys(plan.ids.map((id, i) => ({ id: id ?? (newIds.next().value as number), hash: plan.hashes[i] as string }))));
      for (const part of chunks(jobs.map((job, j) => ({ id: job.id, digest: job.digest, keys: keys[j] as string })), 1000)) {
        const digests = part.map((j) => `WHEN ${j.id} THEN '${j.digest}'`).join(' ');
        const packed = part.map((j) => `WHEN ${j.id} THEN '${j.keys}'`).join(' ');
        await db.sequelize.query(`UPDATE settlement_jobs SET lines_digest = CASE id ${digests} END, line_keys = CASE id ${packed} END WHERE id IN (${part.map((j) => j.id).join(', ')})`, { transaction: tx });
      }
    });
    lap('updateMs');
    written = { deleted: written.deleted + deletes.length, inserted: written.inserted + inserts.length, deleteMs: written.deleteMs + ms.deleteMs, insertMs: written.insertMs + ms.insertMs, updateMs: written.updateMs + ms.updateMs };
  }

  return {
    /** Queues a batch; waits only while `writers` batches are being written. */
    async add(jobs: ChangedJob[]): Promise<void> {
      while (inFlight.size >= writers) await Promise.race(inFlight);
      if (failure) throw failure;
      const writing: Promise<void> = write(jobs)
        .catch((error: unknown) => {
          failure = error;
        })
        .finally(() => inFlight.delete(writing));
      inFlight.add(writing);
    },
    /** What was written, with the time spent deleting, inserting and updating the job rows, summed over the writers (commits count as updating). */
    async flush(): Promise<typeof written> {
      await Promise.all(inFlight);
      if (failure) throw failure;
      return written;
    },
  };
}

export type JobLineRewriter = ReturnType<typeof createJobLineRewriter>;
