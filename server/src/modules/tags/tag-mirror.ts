import type { EventEmitter } from '../plugins/outbox';
import type { CorpTagGroup } from '@scrm/wecom-adapter';
import { Op, type Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { TagGroupRow, TagRow } from '../customers/customer-store.models';

/** Which part of the corp's tags a WeCom answer covers: what it lacks is gone from WeCom. */
export type MirrorScope =
  | { kind: 'all' }
  /** get_corp_tag_list by group_id: each group with all its tags. */
  | { kind: 'groups'; groupIds: string[] }
  /** get_corp_tag_list by tag_id, or add_corp_tag's answer: only these tags (and their groups). */
  | { kind: 'tags'; tagIds: string[] };

export interface MirrorReport {
  groupsCreated: number;
  groupsUpdated: number;
  groupsRemoved: string[];
  tagsCreated: number;
  tagsUpdated: number;
  tagsRemoved: string[];
  /** Customer–tag marks dropped with the removed tags. */
  customerTagsRemoved: number;
}

export const emptyMirrorReport = (): MirrorReport => ({ groupsCreated: 0, groupsUpdated: 0, groupsRemoved: [], tagsCreated: 0, tagsUpdated: 0, tagsRemoved: [], customerTagsRemoved: 0 });

export const mirrorChanged = (r: MirrorReport) => r.groupsCreated + r.groupsUpdated + r.tagsCreated + r.tagsUpdated + r.groupsRemoved.length + r.tagsRemoved.length > 0;

const CHUNK = 1000;

/**
 * Keeps tag_groups and tags equal to what WeCom says, keyed by WeCom's ids. Used by the full sync,
 * by change_external_tag events (which re-read the ids concerned) and after console edits.
 */
export function createTagMirror(deps: { models: Models; timeline: TimelineWriter; outbox?: EventEmitter }) {
  const { models, timeline } = deps;

  /** Drops tags with their customer marks, writing `tag.removed` on each customer's timeline. */
  async function removeTags(tags: TagRow[], groupNames: Map<number, string>, report: MirrorReport, tx: Transaction, reason: string) {
    if (!tags.length) return;
    const ids = tags.map((t) => Number(t.id));
    const byId = new Map(tags.map((t) => [Number(t.id), t]));
    for (;;) {
      const marks = await models.CustomerTag.findAll({ where: { tag_id: ids }, order: [['id', 'ASC']], limit: CHUNK, raw: true, transaction: tx });
      if (!marks.length) break;
      const customers = await models.Customer.findAll({ where: { id: [...new Set(marks.map((m) => Number(m.customer_id)))] }, attributes: ['id', 'store_id'], raw: true, transaction: tx });
      const storeOf = new Map(customers.map((c) => [Number(c.id), c.store_id === null ? null : Number(c.store_id)]));
      await timeline.record(
        marks.map((mark) => {
          const tag = byId.get(Number(mark.tag_id));
          const groupName = groupNames.get(Number(tag?.group_id)) ?? '';
          return {
            customerId: Number(mark.customer_id),
            storeId: storeOf.get(Number(mark.customer_id)) ?? null,
            kind: 'tag.removed',
            summary: `移除标签：${groupName}/${tag?.name ?? ''}`,
            payload: { tagId: Number(mark.tag_id), tagName: tag?.name, groupName, wecomUserid: mark.wecom_userid, reason },
            wecomUserid: mark.wecom_userid || null,
            dedupeKey: `tag.removed:${reason}:${mark.tag_id}:${mark.customer_id}:${mark.wecom_userid}`,
          };
        }),
        tx,
      );
      await models.CustomerTag.destroy({ where: { id: marks.map((m) => Number(m.id)) }, transaction: tx });
      report.customerTagsRemoved += marks.length;
    }
    await models.Tag.destroy({ where: { id: ids }, transaction: tx });
    report.tagsRemoved.push(...tags.map((t) => `${groupNames.get(Number(t.group_id)) ?? ''}/${t.name}`));
  }

  async function removeGroups(groupIds: number[], report: MirrorReport, tx: Transaction, reason: string) {
    if (!groupIds.length) return;
    const groups = await models.TagGroup.findAll({ where: { id: groupIds }, raw: true, transaction: tx });
    const names = new Map(groups.map((g) => [Number(g.id), g.name]));
    const tags = await models.Tag.findAll({ where: { group_id: groupIds }, raw: true, transaction: tx });
    await removeTags(tags, names, report, tx, reason);
    await models.TagGroup.destroy({ where: { id: groupIds }, transaction: tx });
    report.groupsRemoved.push(...groups.map((g) => g.name));
  }

  return {
    removeTags: async (tagIds: number[], tx: Transaction, reason: string, report = emptyMirrorReport()) => {
      const tags = await models.Tag.findAll({ where: { id: tagIds }, raw: true, transaction: tx });
      const groups = await models.TagGroup.findAll({ where: { id: [...new Set(tags.map((t) => Number(t.group_id)))] }, raw: true, transaction: tx });
      await removeTags(tags, new Map(groups.map((g) => [Number(g.id), g.name])), report, tx, reason);
      return report;
    },
    removeGroups: async (groupIds: number[], tx: Transaction, reason: string, report = emptyMirrorReport()) => {
      await removeGroups(groupIds, report, tx, reason);
      return report;
    },

    /** Applies WeCom's answer for `scope`: upserts what is live, removes what WeCom no longer has. */
    async apply(answer: CorpTagGroup[], scope: MirrorScope, tx: Transaction, reason = 'deleted_in_wecom'): Promise<MirrorReport> {
      const report = emptyMirrorReport();
      const liveGroups = new Set<string>();
      const liveTags = new Set<string>();
      const groupNames = new Map<number, string>();
      for (const group of answer) {
        if (group.deleted) continue;
        liveGroups.add(group.group_id);
        const values = { name: group.group_name.slice(0, 64), sort_order: group.order ?? 0 };
        let ours: TagGroupRow | null = await models.TagGroup.findOne({ where: { wecom_group_id: group.group_id }, raw: true, transaction: tx });
        if (!ours) {
          ours = (await models.TagGroup.create({ wecom_group_id: group.group_id, ...values }, { transaction: tx })).get({ plain: true });
          report.groupsCreated += 1;
        } else if (ours.name !== values.name || Number(ours.sort_order) !== values.sort_order) {
          await models.TagGroup.update(values, { where: { id: ours.id }, transaction: tx });
          report.groupsUpdated += 1;
        }
        const groupId = Number(ours.id);
        groupNames.set(groupId, values.name);
        const existing = await models.Tag.findAll({ where: { wecom_tag_id: group.tag.map((t) => t.id) }, raw: true, transaction: tx });
        const byWecomId = new Map(existing.map((t) => [t.wecom_tag_id, t]));
        for (const tag of group.tag) {
          if (tag.deleted) continue;
          liveTags.add(tag.id);
          const tagValues = { group_id: groupId, name: tag.name.slice(0, 64), sort_order: tag.order ?? 0 };
          const found = byWecomId.get(tag.id);
          if (!found) {
            const created = await models.Tag.create({ wecom_tag_id: tag.id, ...tagValues }, { transaction: tx });
            await deps.outbox?.emit('tag.created', { tagId: Number(created.get('id')), groupId, name: tagValues.name }, tx);
            report.tagsCreated += 1;
          } else if (Number(found.group_id) !== groupId || found.name !== tagValues.name || Number(found.sort_order) !== tagValues.sort_order) {
            await models.Tag.update(tagValues, { where: { id: found.id }, transaction: tx });
            report.tagsUpdated += 1;
          }
        }
      }

      // What the answer covers but lacks (or marks deleted) is gone from WeCom.
      if (scope.kind === 'all') {
        const staleGroups = await models.TagGroup.findAll({
          where: { [Op.or]: [{ wecom_group_id: null }, { wecom_group_id: { [Op.notIn]: [...liveGroups, ''] } }] },
          attributes: ['id'],
          raw: true,
          transaction: tx,
        });
        await removeGroups(staleGroups.map((g) => Number(g.id)), report, tx, reason);
        const staleTags = await models.Tag.findAll({ where: { [Op.or]: [{ wecom_tag_id: null }, { wecom_tag_id: { [Op.notIn]: [...liveTags, ''] } }] }, raw: true, transaction: tx });
        await removeTags(staleTags, await namesOf(staleTags, tx), report, tx, reason);
      } else if (scope.kind === 'groups') {
        const gone = scope.groupIds.filter((id) => !liveGroups.has(id));
        const goneGroups = await models.TagGroup.findAll({ where: { wecom_group_id: gone }, attributes: ['id'], raw: true, transaction: tx });
        await removeGroups(goneGroups.map((g) => Number(g.id)), report, tx, reason);
        const kept = await models.TagGroup.findAll({ where: { wecom_group_id: scope.groupIds.filter((id) => liveGroups.has(id)) }, attributes: ['id'], raw: true, transaction: tx });
        const staleTags = await models.Tag.findAll({
          where: { group_id: kept.map((g) => Number(g.id)), [Op.or]: [{ wecom_tag_id: null }, { wecom_tag_id: { [Op.notIn]: [...liveTags, ''] } }] },
          raw: true,
          transaction: tx,
        });
        await removeTags(staleTags, await namesOf(staleTags, tx), report, tx, reason);
      } else {
        const staleTags = await models.Tag.findAll({ where: { wecom_tag_id: scope.tagIds.filter((id) => !liveTags.has(id)) }, raw: true, transaction: tx });
        await removeTags(staleTags, await namesOf(staleTags, tx), report, tx, reason);
      }
      // WeCom drops a group with its last tag; so do we.
      if (scope.kind !== 'all') {
        const empty = await models.TagGroup.findAll({ where: { wecom_group_id: { [Op.notIn]: [...liveGroups, ''] } }, attributes: ['id'], raw: true, transaction: tx });
        const used = new Set((await models.Tag.findAll({ where: { group_id: empty.map((g) => Number(g.id)) }, attributes: ['group_id'], raw: true, transaction: tx })).map((t) => Number(t.group_id)));
        await removeGroups(empty.map((g) => Number(g.id)).filter((id) => !used.has(id)), report, tx, reason);
      }
      return report;
    },
  };

  async function namesOf(tags: TagRow[], tx: Transaction) {
    const groups = await models.TagGroup.findAll({ where: { id: [...new Set(tags.map((t) => Number(t.group_id)))] }, raw: true, transaction: tx });
    return new Map(groups.map((g) => [Number(g.id), g.name]));
  }
}

export type TagMirror = ReturnType<typeof createTagMirror>;
