import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import { selectRows } from '../../core/db/raw-rows';
import { notFound } from '../../core/errors';
import { nextPeriodCode, periodBounds, periodCodeOf, shanghaiDate } from './settlement-dates';
import type { PeriodRow } from './settlement.models';

export const presentPeriod = (row: PeriodRow, stats: { jobCount: number; totalFen: number } = { jobCount: 0, totalFen: 0 }) => ({
  id: Number(row.id),
  code: row.code,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  status: row.status,
  linesHash: row.lines_hash,
  closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  jobCount: stats.jobCount,
  totalFen: stats.totalFen,
});
export type PeriodView = ReturnType<typeof presentPeriod>;

/**
 * Monthly periods, created on demand. Writers into a period (job snapshots, pricing, adjustments)
 * read its row under a shared lock and only write while it is open; closing takes the row
 * exclusively, so once a period is `closing` nothing new lands in it.
 */
export function createPeriods(models: Models) {
  async function ensure(code: string, tx?: Transaction): Promise<PeriodRow> {
    const found = await models.Period.findOne({ where: { code }, raw: true, transaction: tx });
    if (found) return found;
    try {
      const created = await models.Period.create({ code, ...toColumns(periodBounds(code)), status: 'open' }, { transaction: tx });
      return created.get({ plain: true });
    } catch (error) {
      // Another writer created it first (MySQL keeps the transaction usable after a duplicate key).
      if (!(error instanceof UniqueConstraintError)) throw error;
      // A locking read: under REPEATABLE READ a plain read would not see the other writer's row.
      const again = await models.Period.findOne({ where: { code }, raw: true, transaction: tx, ...(tx && { lock: tx.LOCK.SHARE }) });
      if (!again) throw error;
      return again;
    }
  }

  /** The period a write dated `date` goes to: its own month if open, else the earliest open month after it. Locked shared. */
  async function openPeriodFor(date: string, tx: Transaction): Promise<PeriodRow> {
    let code = periodCodeOf(date);
    for (;;) {
      // Created first if missing: a locking read of a missing row would lock the gap, and two writers
      // inserting into the gap they both locked deadlock.
      await ensure(code, tx);
      const [row] = await selectRows(models.Period, { code }, tx, { lock: 'share' });
      if (row?.status === 'open') return row;
      code = nextPeriodCode(code);
    }
  }

  return {
    ensure,
    openPeriodFor,
    /** The open period adjustments, reversals and released disputes go to. */
    currentOpen: (tx: Transaction) => openPeriodFor(shanghaiDate(new Date()), tx),

    async get(id: number, tx?: Transaction): Promise<PeriodRow> {
      const row = await models.Period.findByPk(id, { raw: true, transaction: tx });
      if (!row) throw notFound('settlement period', id);
      return row;
    },

    /** The period row of `id`, locked shared, or null when it is no longer open. */
    async lockedIfOpen(id: number, tx: Transaction): Promise<PeriodRow | null> {
      const row = await models.Period.findByPk(id, { raw: true, transaction: tx, lock: tx.LOCK.SHARE });
      return row?.status === 'open' ? row : null;
    },
  };
}

const toColumns = (bounds: { startsOn: string; endsOn: string }) => ({ starts_on: bounds.startsOn, ends_on: bounds.endsOn });

export type Periods = ReturnType<typeof createPeriods>;
