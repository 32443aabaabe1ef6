import { z } from 'zod';
import { fail } from './api-error';
import { type ApiFactory, ok, parse, scopes } from './api-registry';
import type { CorpTag, CorpTagGroup } from './sandbox.types';

const listBody = z.object({ tag_id: z.array(z.string()).optional(), group_id: z.array(z.string()).optional() });
const addBody = z.object({
  group_id: z.string().optional(),
  group_name: z.string().min(1).max(30).optional(),
  order: z.number().int().optional(),
  tag: z.array(z.object({ name: z.string().min(1).max(30), order: z.number().int().optional() })).min(1),
  agentid: z.number().int().optional(),
});
const editBody = z.object({ id: z.string(), name: z.string().min(1).max(30).optional(), order: z.number().int().optional(), agentid: z.number().int().optional() });
const delBody = z.object({ tag_id: z.array(z.string()).optional(), group_id: z.array(z.string()).optional(), agentid: z.number().int().optional() });
const markBody = z.object({ userid: z.string(), external_userid: z.string(), add_tag: z.array(z.string()).optional(), remove_tag: z.array(z.string()).optional() });

const tagJson = (t: CorpTag, withDeleted: boolean) => ({ id: t.id, name: t.name, create_time: t.createTime, order: t.order, ...(withDeleted ? { deleted: t.deleted } : {}) });
const groupJson = (g: CorpTagGroup, tags: CorpTag[], withDeleted: boolean) => ({
  group_id: g.groupId,
  group_name: g.groupName,
  create_time: g.createTime,
  order: g.order,
  ...(withDeleted ? { deleted: g.deleted } : {}),
  tag: tags.map((t) => tagJson(t, withDeleted)),
});

/** Corp tags: list (deleted ones only when asked for by id), add, edit, delete, and mark_tag. */
export const corpTagApis: ApiFactory = ({ state }) => {
  const { tags } = state;
  return [
    {
      path: 'externalcontact/get_corp_tag_list',
      method: 'POST',
      apps: scopes.customer,
      handle({ body }) {
        const b = parse(listBody, body);
        const groups = [...tags.groups.values()].sort((x, y) => y.order - x.order);
        if (b.group_id?.length) {
          const wanted = new Set(b.group_id);
          return ok({ tag_group: groups.filter((g) => wanted.has(g.groupId)).map((g) => groupJson(g, g.tags, true)) });
        }
        if (b.tag_id?.length) {
          const wanted = new Set(b.tag_id);
          const hits = groups.map((g) => ({ g, t: g.tags.filter((t) => wanted.has(t.id)) })).filter((x) => x.t.length > 0);
          return ok({ tag_group: hits.map(({ g, t }) => groupJson(g, t, true)) });
        }
        return ok({ tag_group: groups.filter((g) => !g.deleted).map((g) => groupJson(g, g.tags.filter((t) => !t.deleted), false)) });
      },
    },
    {
      path: 'externalcontact/add_corp_tag',
      method: 'POST',
      apps: scopes.customer,
      handle({ body }) {
        const b = parse(addBody, body);
        const now = state.now();
        let group = b.group_id ? tags.group(b.group_id) : b.group_name ? tags.groupByName(b.group_name) : undefined;
        if (b.group_id && (!group || group.deleted)) fail('INVALID_TAG_ID', `group ${b.group_id}`);
        if (!group) group = tags.createGroup(b.group_name ?? fail('INVALID_PARAMETER', 'group_id or group_name is required'), b.order ?? 0, now);
        const target = group;
        for (const t of b.tag) if (target.tags.some((x) => !x.deleted && x.name === t.name)) fail('TAG_NAME_EXISTS', t.name);
        const added = b.tag.map((t) => tags.addTag(target, t.name, t.order ?? 0, now));
        return ok({ tag_group: groupJson(target, added, false) });
      },
    },
    {
      path: 'externalcontact/edit_corp_tag',
      method: 'POST',
      apps: scopes.customer,
      handle({ body }) {
        const b = parse(editBody, body);
        const group = tags.group(b.id);
        const found = group ? undefined : tags.tag(b.id);
        const target = group ?? found?.tag;
        if (!target || target.deleted) return fail('INVALID_TAG_ID', b.id);
        if (b.name !== undefined) {
          const clash = group
            ? tags.groupByName(b.name)
            : found?.group.tags.find((t) => !t.deleted && t.name === b.name && t.id !== b.id);
          if (clash && clash !== group) fail('TAG_NAME_EXISTS', b.name);
          if (group) group.groupName = b.name;
          else if (found) found.tag.name = b.name;
        }
        if (b.order !== undefined) target.order = b.order;
        return ok({});
      },
    },
    {
      path: 'externalcontact/del_corp_tag',
      method: 'POST',
      apps: scopes.customer,
      handle({ body }) {
        const b = parse(delBody, body);
        if (!b.tag_id?.length && !b.group_id?.length) fail('INVALID_PARAMETER', 'tag_id or group_id is required');
        for (const id of b.tag_id ?? []) if (!tags.tag(id)) fail('INVALID_TAG_ID', id);
        for (const id of b.group_id ?? []) if (!tags.group(id)) fail('INVALID_TAG_ID', id);
        for (const id of b.tag_id ?? []) tags.deleteTag(id);
        for (const id of b.group_id ?? []) tags.deleteGroup(id);
        return ok({});
      },
    },
    {
      path: 'externalcontact/mark_tag',
      method: 'POST',
      apps: scopes.customer,
      handle({ body }) {
        const b = parse(markBody, body);
        if (!b.add_tag?.length && !b.remove_tag?.length) fail('INVALID_PARAMETER', 'add_tag or remove_tag is required');
        const relation = state.customers.relation(b.external_userid, b.userid) ?? fail('NO_RELATION', `${b.userid} → ${b.external_userid}`);
        for (const id of [...(b.add_tag ?? []), ...(b.remove_tag ?? [])]) {
          const found = tags.tag(id);
          if (!found || found.tag.deleted) fail('INVALID_TAG_ID', id);
        }
        const removed = new Set(b.remove_tag ?? []);
        const next = relation.tagIds.filter((id) => !removed.has(id));
        for (const id of b.add_tag ?? []) if (!next.includes(id)) next.push(id);
        relation.tagIds = next;
        return ok({});
      },
    },
  ];
};
