import { QueryTypes } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import { REFERENCE_COPY_TTL_MS, referenceStampOf } from '../../core/db/reference-stamp';
import { createStatementBatcher } from '../../core/db/statement-batcher';
import { createStampedCache } from '../../core/kv/stamped-cache';
import { orgNamesOf } from '../org/org-names';
import type { CustomerRow, CustomerStatus } from './customer.model';
import type { CustomerStageRow } from './customer-store.models';

export interface CustomerItem {
  id: number;
  name: string;
  phone: string | null;
  address: string | null;
  storeId: number | null;
  storeName: string | null;
  ownerUserId: number | null;
  stage: string;
  stageName: { 'zh-CN': string; 'en-US': string } | null;
  status: CustomerStatus;
  externalUserid: string | null;
  avatar: string | null;
  tags: Array<{ id: number; name: string }>;
  follows: Array<{ wecomUserid: string; userId: number | null; name: string | null; remark: string | null }>;
  addedAt: string | null;
  createdAt: string;
}

interface TagRow {
  customer_id: number;
  id: number;
  name: string;
  sort_order: number;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
const group = <T>(rows: T[], key: (row: T) => number) => {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
};
/** A page's tags each once per customer (two staff may mark the same one), in the order set for tags. */
const inTagOrder = (rows: TagRow[]) =>
  [...new Map(rows.map((t) => [`${t.customer_id}:${t.id}`, t])).values()].sort((a, b) => Number(a.sort_order) - Number(b.sort_order) || Number(a.id) - Number(b.id));
const addedTime = (follow: { added_at: Date | string | null }) => (follow.added_at === null ? 0 : new Date(follow.added_at).getTime());

/**
 * Customer rows as the list and the export show them: store and stage names, tag names, active
 * follow users, and phone and address plain or masked. Four small queries per batch, whatever its size.
 */
export function createCustomerPresenter(deps: { models: Models; phone: PiiField; address: PiiField }) {
  const { models, phone, address } = deps;
  const names = orgNamesOf(models);
  // Read for every page shown: kept while reference data is unchanged, and pages shown at the same moment share the statement.
  const stagesRead = createStatementBatcher<void, CustomerStageRow[]>(async (requests) => {
    const stages = await models.CustomerStage.findAll({ raw: true });
    return requests.map(() => stages);
  });
  const stagesKept = createStampedCache<'all', CustomerStageRow[]>(referenceStampOf(models), { max: 1, ttlMs: REFERENCE_COPY_TTL_MS });
  const allStages = async () => (await stagesKept.get('all', () => stagesRead.submit())) ?? [];

  /**
   * Tags and active follows of a page's customers. The database only looks rows up: removing
   * repeats (a tag marked by two staff) and ordering a page's few rows is left to the instance, as
   * instances are added more easily than database servers.
   */
  async function relationsOf(ids: number[]) {
    if (!ids.length) return { tags: new Map<number, TagRow[]>(), follows: new Map<number, CustomerItem['follows']>() };
    const [tagRows, followRows] = await Promise.all([
      models.Customer.sequelize!.query<TagRow>('SELECT ct.customer_id, t.id, t.name, t.sort_order FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id IN (:ids)', {
        replacements: { ids },
        type: QueryTypes.SELECT,
      }),
      models.CustomerFollow.findAll({ attributes: ['id', 'customer_id', 'wecom_userid', 'user_id', 'remark', 'added_at'], where: { customer_id: ids, status: 'active' }, raw: true }),
    ]);
    followRows.sort((a, b) => addedTime(a) - addedTime(b) || Number(a.id) - Number(b.id));
    const users = await names.users(followRows.map((f) => f.user_id));
    const follows = new Map(
      [...group(followRows, (f) => Number(f.customer_id))].map(([id, list]) => [
        id,
        list.map((f) => ({ wecomUserid: f.wecom_userid, userId: f.user_id === null ? null : Number(f.user_id), name: f.user_id === null ? null : (users.get(Number(f.user_id)) ?? null), remark: f.remark })),
      ]),
    );
    return { tags: group(inTagOrder(tagRows), (t) => Number(t.customer_id)), follows };
  }

  return {
    async present(rows: CustomerRow[], reveal: boolean): Promise<CustomerItem[]> {
      const ids = rows.map((r) => Number(r.id));
      const [storeNames, stages, relations] = await Promise.all([names.stores(rows.map((r) => r.store_id)), allStages(), relationsOf(ids)]);
      const stageNames = new Map(stages.map((s) => [s.code, { 'zh-CN': s.name_zh, 'en-US': s.name_en }]));
      return rows.map((row) => {
        const fields = row as unknown as Record<string, unknown>;
        const storeId = row.store_id === null ? null : Number(row.store_id);
        return {
          id: Number(row.id),
          name: row.name,
          phone: phone.present(fields, reveal),
          address: address.present(fields, reveal),
          storeId,
          storeName: storeId === null ? null : (storeNames.get(storeId) ?? null),
          ownerUserId: row.owner_user_id === null ? null : Number(row.owner_user_id),
          stage: row.stage ?? 'new',
          stageName: stageNames.get(row.stage) ?? null,
          status: row.status ?? 'active',
          externalUserid: row.external_userid ?? null,
          avatar: row.avatar ?? null,
          tags: (relations.tags.get(Number(row.id)) ?? []).map((t) => ({ id: Number(t.id), name: t.name })),
          follows: relations.follows.get(Number(row.id)) ?? [],
          addedAt: iso(row.added_at ?? null),
          createdAt: iso(row.created_at) as string,
        };
      });
    },
  };
}

export type CustomerPresenter = ReturnType<typeof createCustomerPresenter>;
