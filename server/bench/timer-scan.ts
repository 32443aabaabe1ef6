import { QueryTypes } from 'sequelize';
import type { Services } from '../src/app';
import { sqlInstant } from '../src/core/db/sql-instant';
import { selectDue } from '../src/core/timers/timer-scanner';

const SUBJECT_TYPE = 'bench.timer-scan';
const KIND = 'bench.timer-scan';
const BATCH = 2000;
/** How many of the seeded timers are already due when the scan runs. */
const DUE = 20;
const SCANS = 15;

type BenchServices = Pick<Services, 'db' | 'models'>;

/** Deletes the bench's timers in chunks, so that a million rows never sit in one transaction. */
async function removeBenchTimers({ db }: BenchServices): Promise<void> {
  const sql =
    db.dialect === 'mysql'
      ? `DELETE FROM timers WHERE subject_type = :subject LIMIT 20000`
      : `DELETE FROM timers WHERE id IN (SELECT id FROM timers WHERE subject_type = :subject LIMIT 20000)`;
  for (;;) {
    await db.exclusive(() => db.sequelize.query(sql, { replacements: { subject: SUBJECT_TYPE }, type: QueryTypes.BULKDELETE }));
    const [left] = await db.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM timers WHERE subject_type = :subject`, { replacements: { subject: SUBJECT_TYPE }, type: QueryTypes.SELECT });
    if (!Number(left?.n)) return;
  }
}

/** Seeds `count` pending timers with multi-row INSERTs: all but DUE fall due between one day and a year from now. */
async function seedTimers({ db }: BenchServices, count: number): Promise<void> {
  const now = Date.now();
  const stamp = `'${sqlInstant(db.dialect, new Date(now))}'`;
  for (let start = 0; start < count; start += BATCH) {
    const rows: string[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i += 1) {
      // Spread deterministically; the first DUE rows are overdue by up to a minute.
      const dueAt = i < DUE ? now - 1000 - i * 1000 : now + 86_400_000 + ((i * 7919) % 365) * 86_400_000 + (i % 86_400) * 1000;
      rows.push(`('${KIND}', '${SUBJECT_TYPE}', '${i}', '${sqlInstant(db.dialect, new Date(dueAt))}', 'pending', 0, ${stamp}, ${stamp})`);
    }
    await db.exclusive(() =>
      db.sequelize.query(`INSERT INTO timers (kind, subject_type, subject_id, due_at, status, attempts, created_at, updated_at) VALUES ${rows.join(',')}`, { type: QueryTypes.INSERT }),
    );
  }
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The scheduler's due-scan time with `openTimers` pending timers in the table: seeds them (a few
 * due, the rest later), runs the due-scan query several times and reports the median. The
 * (status, due_at) index keeps the scan independent of how many timers are open. The bench's rows
 * are removed again before it returns unless `keep` is set.
 */
export async function measureTimerScan(services: BenchServices, openTimers: number, options: { keep?: boolean } = {}): Promise<{ scanMs: number }> {
  await removeBenchTimers(services);
  await seedTimers(services, openTimers);
  try {
    const times: number[] = [];
    for (let i = 0; i < SCANS + 2; i += 1) {
      const started = performance.now();
      const due = await selectDue(services.models, new Date(), [KIND], 100);
      const took = performance.now() - started;
      if (due.length < Math.min(DUE, openTimers)) throw new Error(`the due-scan found ${due.length} of ${Math.min(DUE, openTimers)} due timers`);
      // The first two warm the caches and the connection.
      if (i >= 2) times.push(took);
    }
    return { scanMs: Math.round(median(times) * 1000) / 1000 };
  } finally {
    if (!options.keep) await removeBenchTimers(services);
  }
}
