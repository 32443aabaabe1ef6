import { REFERENCE_COPY_TTL_MS, referenceStampOf } from '../../core/db/reference-stamp';
import type { Models } from '../../core/db/models';
import { createRowsByIdBatcher } from '../../core/db/statement-batcher';
import { createStampedCache } from '../../core/kv/stamped-cache';

/** Store and user names by id, as lists and pages show them (a user without a display name by username). */
export interface OrgNames {
  stores(ids: Array<number | null>): Promise<Map<number, string>>;
  users(ids: Array<number | null>): Promise<Map<number, string>>;
}

const namesByModels = new WeakMap<Models, OrgNames>();
const cacheOptions = { max: 50_000, ttlMs: REFERENCE_COPY_TTL_MS };

/**
 * The names of one database's stores and users. Every page that shows them asks: each instance keeps
 * the names it read while stores and users are unchanged, and the pages shown at the same moment share
 * one statement per table for the rest (one lookup per `Models`, whoever asks).
 */
export function orgNamesOf(models: Models): OrgNames {
  const known = namesByModels.get(models);
  if (known) return known;
  const storeRows = createRowsByIdBatcher((id) => models.Store.findAll({ where: { id }, attributes: ['id', 'name'], raw: true }), (store) => Number(store.id));
  const userRows = createRowsByIdBatcher((id) => models.User.findAll({ where: { id }, attributes: ['id', 'display_name', 'username'], raw: true }), (user) => Number(user.id));
  const storeNames = createStampedCache<number, string>(referenceStampOf(models), cacheOptions);
  const userNames = createStampedCache<number, string>(referenceStampOf(models), cacheOptions);
  const present = (ids: Array<number | null>) => ids.filter((id): id is number => id !== null).map(Number);
  const names: OrgNames = {
    stores: (ids) => storeNames.getMany(present(ids), async (missing) => new Map((await storeRows(missing)).map((store) => [Number(store.id), store.name]))),
    users: (ids) => userNames.getMany(present(ids), async (missing) => new Map((await userRows(missing)).map((user) => [Number(user.id), user.display_name || user.username]))),
  };
  namesByModels.set(models, names);
  return names;
}
