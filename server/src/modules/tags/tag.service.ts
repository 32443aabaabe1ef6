import type { EventEmitter } from '../plugins/outbox';
import { col, fn, literal, Op, type Transaction } from 'sequelize';
import type { Services } from '../../app';
import { notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { withinScope } from '../access/data-scope';
import { customerScope } from '../customers/customer.model';
import type { TagGroupRow, TagRow } from '../customers/customer-store.models';
import { createTagMirror } from './tag-mirror';
import type { TagGroupInput, TagPatch } from './tag.schemas';
import { callWecom, requireWecomClient } from './wecom-client-access';

type Deps = Pick<Services, 'db' | 'models' | 'timeline' | 'audit' | 'wecom'> & { outbox?: EventEmitter };

const byOrder = <T extends { sort_order: number; id: number }>(a: T, b: T) => Number(b.sort_order) - Number(a.sort_order) || Number(a.id) - Number(b.id);

/**
 * Corp tags in the console. Every edit goes to WeCom first (add_corp_tag, edit_corp_tag,
 * del_corp_tag); only what WeCom accepted is written here, in one audited transaction.
 */
export function createTagService(deps: Deps) {
  const { db, models, audit, wecom } = deps;
  const mirror = createTagMirror(deps);

  /** Customers carrying each tag, counted within the actor's data scope. */
  async function customerCounts(actor: Actor): Promise<Map<number, number>> {
    const generator = db.sequelize.getQueryInterface().queryGenerator as { selectQuery(table: string, options: object, model: unknown): string };
    const inScope = generator.selectQuery('customers', { attributes: ['id'], where: withinScope(actor, customerScope, { status: { [Op.ne]: 'merged' } }) }, models.Customer).replace(/;\s*$/, '');
    const rows = (await models.CustomerTag.findAll({
      attributes: ['tag_id', [fn('COUNT', fn('DISTINCT', col('customer_id'))), 'n']],
      where: { customer_id: { [Op.in]: literal(`(${inScope})`) } },
      group: ['tag_id'],
      raw: true,
    })) as unknown as Array<{ tag_id: number; n: number }>;
    return new Map(rows.map((r) => [Number(r.tag_id), Number(r.n)]));
  }

  const presentTag = (tag: TagRow, counts: Map<number, number>) => ({
    id: Number(tag.id),
    name: tag.name,
    order: Number(tag.sort_order),
    wecomTagId: tag.wecom_tag_id,
    customerCount: counts.get(Number(tag.id)) ?? 0,
  });

  async function groupView(groupId: number, tx?: Transaction) {
    const group = await models.TagGroup.findByPk(groupId, { raw: true, transaction: tx });
    if (!group) throw notFound('tag group', groupId);
    const tags = await models.Tag.findAll({ where: { group_id: groupId }, raw: true, transaction: tx });
    return { id: Number(group.id), name: group.name, order: Number(group.sort_order), wecomGroupId: group.wecom_group_id, tags: tags.sort(byOrder).map((t) => presentTag(t, new Map())) };
  }

  async function groupOrFail(id: number, tx?: Transaction): Promise<TagGroupRow> {
    const group = await models.TagGroup.findByPk(id, { raw: true, transaction: tx });
    if (!group) throw notFound('tag group', id);
    return group;
  }

  async function tagOrFail(id: number, tx?: Transaction): Promise<TagRow> {
    const tag = await models.Tag.findByPk(id, { raw: true, transaction: tx });
    if (!tag) throw notFound('tag', id);
    return tag;
  }

  /** Mirrors add_corp_tag's answer (the group and the new tags only). */
  async function addTags(request: { group_id?: string; group_name?: string; order?: number; tag: Array<{ name: string }> }, action: string) {
    const client = await requireWecomClient(wecom.runtime);
    const added = await callWecom(() => client.tags.add(request));
    return db.transaction(async (tx) => {
      await mirror.apply([added.tag_group], { kind: 'tags', tagIds: added.tag_group.tag.map((t) => t.id) }, tx);
      const group = await models.TagGroup.findOne({ where: { wecom_group_id: added.tag_group.group_id }, raw: true, transaction: tx });
      const view = await groupView(Number(group?.id), tx);
      await audit.record({ action, targetType: 'tag_group', targetId: view.id, after: { group: view.name, tags: added.tag_group.tag.map((t) => t.name) } }, tx);
      return view;
    });
  }

  return {
    /** Every group with its tags (WeCom order: larger first) and the customers in scope carrying each. */
    async list(actor: Actor) {
      const [groups, tags, counts] = await Promise.all([models.TagGroup.findAll({ raw: true }), models.Tag.findAll({ raw: true }), customerCounts(actor)]);
      const tagsOf = new Map<number, TagRow[]>();
      for (const tag of tags) tagsOf.set(Number(tag.group_id), [...(tagsOf.get(Number(tag.group_id)) ?? []), tag]);
      return groups.sort(byOrder).map((g) => ({
        id: Number(g.id),
        name: g.name,
        order: Number(g.sort_order),
        wecomGroupId: g.wecom_group_id,
        tags: (tagsOf.get(Number(g.id)) ?? []).sort(byOrder).map((t) => presentTag(t, counts)),
      }));
    },

    createGroup: (input: TagGroupInput) => addTags({ group_name: input.name, order: input.order, tag: input.tags.map((name) => ({ name })) }, 'tag_group.created'),

    async addTagsToGroup(groupId: number, names: string[]) {
      const group = await groupOrFail(groupId);
      return addTags({ group_id: group.wecom_group_id ?? '', tag: names.map((name) => ({ name })) }, 'tag.created');
    },

    async updateGroup(groupId: number, patch: TagPatch) {
      const before = await groupOrFail(groupId);
      const client = await requireWecomClient(wecom.runtime);
      await callWecom(() => client.tags.edit({ id: before.wecom_group_id ?? '', name: patch.name, order: patch.order }));
      return db.transaction(async (tx) => {
        const changes = { ...(patch.name !== undefined && { name: patch.name }), ...(patch.order !== undefined && { sort_order: patch.order }) };
        await models.TagGroup.update(changes, { where: { id: groupId }, transaction: tx });
        await audit.record({ action: 'tag_group.updated', targetType: 'tag_group', targetId: groupId, before: { name: before.name, order: before.sort_order }, after: { name: patch.name ?? before.name, order: patch.order ?? before.sort_order } }, tx);
        return groupView(groupId, tx);
      });
    },

    async updateTag(tagId: number, patch: TagPatch) {
      const before = await tagOrFail(tagId);
      const client = await requireWecomClient(wecom.runtime);
      await callWecom(() => client.tags.edit({ id: before.wecom_tag_id ?? '', name: patch.name, order: patch.order }));
      return db.transaction(async (tx) => {
        const changes = { ...(patch.name !== undefined && { name: patch.name }), ...(patch.order !== undefined && { sort_order: patch.order }) };
        await models.Tag.update(changes, { where: { id: tagId }, transaction: tx });
        await audit.record({ action: 'tag.updated', targetType: 'tag', targetId: tagId, before: { name: before.name, order: before.sort_order }, after: { name: patch.name ?? before.name, order: patch.order ?? before.sort_order } }, tx);
        return groupView(Number(before.group_id), tx);
      });
    },

    async removeGroup(groupId: number) {
      const group = await groupOrFail(groupId);
      const client = await requireWecomClient(wecom.runtime);
      await callWecom(() => client.tags.remove({ group_id: [group.wecom_group_id ?? ''] }));
      await db.transaction(async (tx) => {
        const report = await mirror.removeGroups([groupId], tx, 'deleted_in_console');
        await audit.record({ action: 'tag_group.deleted', targetType: 'tag_group', targetId: groupId, before: { name: group.name, tags: report.tagsRemoved, customerTags: report.customerTagsRemoved } }, tx);
      });
    },

    async removeTag(tagId: number) {
      const tag = await tagOrFail(tagId);
      const client = await requireWecomClient(wecom.runtime);
      await callWecom(() => client.tags.remove({ tag_id: [tag.wecom_tag_id ?? ''] }));
      await db.transaction(async (tx) => {
        const report = await mirror.removeTags([tagId], tx, 'deleted_in_console');
        // WeCom drops a group with its last tag.
        if (!(await models.Tag.count({ where: { group_id: tag.group_id }, transaction: tx }))) await mirror.removeGroups([Number(tag.group_id)], tx, 'deleted_in_console', report);
        await audit.record({ action: 'tag.deleted', targetType: 'tag', targetId: tagId, before: { name: tag.name, customerTags: report.customerTagsRemoved } }, tx);
        await deps.outbox?.emit('tag.deleted', { tagId }, tx);
      });
    },
  };
}

export type TagService = ReturnType<typeof createTagService>;
