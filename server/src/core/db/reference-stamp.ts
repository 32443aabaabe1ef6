import type { ModelStatic, Transaction } from 'sequelize';
import type { Logger } from '../logger';
import type { ChangeStamp } from '../kv/change-stamp';
import type { Models } from './models';

/**
 * How long an instance keeps a copy of reference data at most, whatever the stamp says: the bound on
 * staleness should a renewal be lost (Redis refusing writes, or failed over to a replica behind).
 */
export const REFERENCE_COPY_TTL_MS = 10_000;

const stamps = new WeakMap<Models, { stamp: ChangeStamp; renew: () => Promise<void> }>();

/** The writes a model reports after they were made; each hook's last argument is its options. */
const afterWriteHooks = ['afterCreate', 'afterBulkCreate', 'afterUpdate', 'afterBulkUpdate', 'afterDestroy', 'afterBulkDestroy', 'afterUpsert'] as const;

/** A savepoint's commit is not the write's: the transaction it is nested in may still roll back. */
function outermost(transaction: Transaction): Transaction {
  const parentOf = (t: Transaction) => (t as Transaction & { parent?: Transaction }).parent;
  let outer = transaction;
  for (let parent = parentOf(outer); parent; parent = parentOf(outer)) outer = parent;
  return outer;
}

/**
 * Reference data is what every request reads and an administrator rarely changes: sessions, users
 * and their roles, stores, customer stages. Each write to it renews `stamp`, once it is committed
 * (after the outermost transaction's commit, or at once outside one), so the copies every instance
 * keeps of it (signed-in users, names on list pages) are read again. A write answers only after the
 * renewal, so what a caller changed is what the next request sees on any instance. A renewal that
 * fails or times out is logged, and copies then live at most REFERENCE_COPY_TTL_MS.
 */
export function stampReferenceWrites(models: Models, stamp: ChangeStamp, log: Logger): void {
  const renew = () => stamp.renew().catch((error: unknown) => log.warn({ err: error }, `reference data changed but its stamp could not be renewed: other instances may show the old data for up to ${REFERENCE_COPY_TTL_MS / 1000} s`));
  stamps.set(models, { stamp, renew });
  const renewAfterCommit = (...args: unknown[]) => {
    const transaction = (args.at(-1) as { transaction?: Transaction | null } | undefined)?.transaction;
    if (!transaction) return renew();
    outermost(transaction).afterCommit(renew);
  };
  const watched: ModelStatic<never>[] = [models.Session, models.User, models.Role, models.Store, models.CustomerStage] as unknown as ModelStatic<never>[];
  for (const model of watched) for (const hook of afterWriteHooks) model.addHook(hook, 'reference-stamp', renewAfterCommit as never);
}

/** The stamp of `models`' reference data, when its writes are stamped (null without Redis, or in a bare test setup: nothing is kept). */
export const referenceStampOf = (models: Models): ChangeStamp | null => stamps.get(models)?.stamp ?? null;

/** Renews the stamp after reference data may have changed behind the models' back (migrations). */
export const referenceDataChanged = async (models: Models): Promise<void> => stamps.get(models)?.renew();
