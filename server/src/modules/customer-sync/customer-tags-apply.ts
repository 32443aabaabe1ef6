import type { Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { TimelineEntry } from '../customers/customer-timeline';
import type { ContactEntry } from './contact-entry';
import { insertRows } from '../../core/db/raw-rows';

/**
 * Makes customer_tags of each (customer, employee) relation in the page equal to the relation's corp
 * tags in WeCom. Tag ids we do not know yet (the tag sync has not seen them) are skipped and returned.
 */
export async function applyTagMarks(db: Database, models: Models, entries: ContactEntry[], customerIdOf: Map<string, number>, createdIds: Set<number>, tx: Transaction) {
  const wecomIds = [...new Set(entries.flatMap((e) => e.follow.tagIds))];
  const tags = wecomIds.length ? await models.Tag.findAll({ where: { wecom_tag_id: wecomIds }, attributes: ['id', 'wecom_tag_id', 'name'], raw: true, transaction: tx }) : [];
  const tagOf = new Map(tags.map((t) => [String(t.wecom_tag_id), { id: Number(t.id), name: t.name }]));
  const nameOf = new Map(tags.map((t) => [Number(t.id), t.name]));
  const unknownTagIds = wecomIds.filter((id) => !tagOf.has(id));
  const customerIds = [...new Set(entries.map((e) => customerIdOf.get(e.contact.external_userid)).filter((id): id is number => id !== undefined))];
  const known = customerIds.filter((id) => !createdIds.has(id));
  const marks = known.length ? await models.CustomerTag.findAll({ where: { customer_id: known }, attributes: ['id', 'customer_id', 'tag_id', 'wecom_userid'], raw: true, transaction: tx }) : [];
  const marksOf = new Map<string, Array<{ id: number; tagId: number }>>();
  for (const m of marks) {
    const key = `${m.customer_id}:${m.wecom_userid}`;
    marksOf.set(key, [...(marksOf.get(key) ?? []), { id: Number(m.id), tagId: Number(m.tag_id) }]);
  }
  const add: Array<{ customer_id: number; tag_id: number; wecom_userid: string; created_at: Date }> = [];
  const remove: number[] = [];
  const events: TimelineEntry[] = [];
  const changedExts = new Set<string>();
  const now = new Date();
  for (const entry of entries) {
    const customerId = customerIdOf.get(entry.contact.external_userid);
    if (customerId === undefined) continue;
    const wanted = new Set(entry.follow.tagIds.map((id) => tagOf.get(id)?.id).filter((id): id is number => id !== undefined));
    const have = marksOf.get(`${customerId}:${entry.follow.userid}`) ?? [];
    const haveIds = new Set(have.map((m) => m.tagId));
    const fresh = createdIds.has(customerId);
    for (const tagId of wanted) {
      if (haveIds.has(tagId)) continue;
      add.push({ customer_id: customerId, tag_id: tagId, wecom_userid: entry.follow.userid, created_at: now });
      if (!fresh) events.push({ customerId, kind: 'tag.added', wecomUserid: entry.follow.userid, summary: `添加标签：${nameOf.get(tagId) ?? ''}`, payload: { tagId, source: 'wecom' } });
      if (!fresh) changedExts.add(entry.contact.external_userid);
    }
    for (const m of have) {
      if (wanted.has(m.tagId)) continue;
      remove.push(m.id);
      events.push({ customerId, kind: 'tag.removed', wecomUserid: entry.follow.userid, summary: `移除标签：${nameOf.get(m.tagId) ?? ''}`, payload: { tagId: m.tagId, source: 'wecom' } });
      changedExts.add(entry.contact.external_userid);
    }
  }
  await insertRows(models.CustomerTag, add, tx, { ignoreDuplicates: true });
  if (remove.length) await models.CustomerTag.destroy({ where: { id: remove }, transaction: tx });
  return { added: add.length, removed: remove.length, unknownTagIds, events, changedExts: [...changedExts] };
}
