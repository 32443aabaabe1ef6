import type { Models } from '../../core/db/models';
import { createRowsByIdBatcher } from '../../core/db/statement-batcher';

/** Store and user names by id, as lists and pages show them (a user without a display name by username). */
export interface OrgNames {
  stores(ids: Array<number | null>): Promise<Map<number, string>>;
  users(ids: Array<number | null>): Promise<Map<number, string>>;
}

const namesByModels = new WeakMap<Models, OrgNames>();

/**
 * The names of one database's stores and users. Every page that shows them asks, so the pages shown
 * at the same moment share one statement per table (one lookup per `Models`, whoever asks).
 */
export function orgNamesOf(models: Models): OrgNames {
  const known = namesByModels.get(models);
  if (known) return known;
  const storeRows = createRowsByIdBatcher((id) => models.Store.findAll({ where: { id }, attributes: ['id', 'name'], raw: true }), (store) => Number(store.id));
  const userRows = createRowsByIdBatcher((id) => models.User.findAll({ where: { id }, attributes: ['id', 'display_name', 'username'], raw: true }), (user) => Number(user.id));
  const names: OrgNames = {
    stores: async (ids) => new Map((await storeRows(ids)).map((store) => [Number(store.id), store.name])),
    users: async (ids) => new Map((await userRows(ids)).map((user) => [Number(user.id), user.display_name || user.username])),
  };
  namesByModels.set(models, names);
  return names;
}
