import type { TestServer } from '../../testing/test-server';
import { searchTextOf } from './customer-search-text';

export interface FixtureCustomer {
  name: string;
  store: 'SH01' | 'HZ01';
  stage?: string;
  status?: 'active' | 'lost' | 'merged';
  tags?: string[];
  follows?: Array<{ wecomUserid: string; username?: string; remark?: string; status?: string }>;
  addedAt?: string;
  customFields?: Record<string, unknown>;
  phone?: string;
}

/**
 * Customers as the WeCom sync leaves them (follows, tags, stage, custom fields), written straight
 * to the database so list and export tests do not depend on a sync run.
 */
export async function seedCustomers(server: TestServer, customers: FixtureCustomer[]) {
  const { models, pii } = server.running.services;
  const stores = new Map((await models.Store.findAll({ attributes: ['id', 'code'], raw: true })).map((s) => [s.code, Number(s.id)]));
  const users = new Map((await models.User.findAll({ attributes: ['id', 'username'], raw: true })).map((u) => [u.username, Number(u.id)]));
  const group = (await models.TagGroup.findOne({ where: { name: '测试标签组' }, raw: true })) ?? (await models.TagGroup.create({ name: '测试标签组' })).get({ plain: true });
  const tagIds = new Map<string, number>();
  const tagId = async (name: string) => {
    if (!tagIds.has(name)) {
      const existing = (await models.Tag.findOne({ where: { name, group_id: group.id }, raw: true })) ?? (await models.Tag.create({ name, group_id: group.id })).get({ plain: true });
      tagIds.set(name, Number(existing.id));
    }
    return tagIds.get(name) as number;
  };
  for (const field of [
    { field_key: 'level', label: '会员等级', field_type: 'select' as const, options: JSON.stringify(['gold', 'silver']) },
    { field_key: 'interests', label: '兴趣', field_type: 'multiselect' as const, options: JSON.stringify(['sofa', 'bed', 'table']) },
  ]) {
    if (!(await models.CustomerFieldDef.count({ where: { field_key: field.field_key } }))) await models.CustomerFieldDef.create(field);
  }

  const ids = new Map<string, number>();
  for (const c of customers) {
    const created = await models.Customer.create({
      name: c.name,
      store_id: stores.get(c.store) ?? null,
      stage: c.stage ?? 'new',
      status: c.status ?? 'active',
      search_text: searchTextOf(c.name, (c.follows ?? []).map((f) => f.remark)),
      custom_fields: c.customFields ? JSON.stringify(c.customFields) : null,
      added_at: new Date(c.addedAt ?? '2026-01-10T00:00:00Z'),
      ...pii.phone.seal(c.phone ?? null),
    } as never);
    const id = Number(created.get('id'));
    ids.set(c.name, id);
    for (const f of c.follows ?? []) {
      await models.CustomerFollow.create({ customer_id: id, wecom_userid: f.wecomUserid, user_id: f.username ? (users.get(f.username) ?? null) : null, remark: f.remark ?? null, status: (f.status ?? 'active') as never, added_at: new Date() });
    }
    for (const tag of c.tags ?? []) await models.CustomerTag.create({ customer_id: id, tag_id: await tagId(tag), wecom_userid: c.follows?.[0]?.wecomUserid ?? '', created_at: new Date() });
  }
  for (const c of customers) for (const tag of c.tags ?? []) await tagId(tag);
  return { ids, tagIds, stores, users };
}
