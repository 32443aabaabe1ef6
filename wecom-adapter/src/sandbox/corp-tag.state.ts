import type { SeededRandom } from './seeded-random';
import type { CorpTag, CorpTagGroup } from './sandbox.types';

/** Corp tag groups and tags (企业客户标签). Deleted ones are kept with deleted = true. */
export function createCorpTagState(random: SeededRandom) {
  const groups = new Map<string, CorpTagGroup>();
  const tagGroup = new Map<string, CorpTagGroup>();

  const newTag = (name: string, order: number, at: number): CorpTag => ({ id: random.wecomId('et'), name, order, createTime: at, deleted: false });

  return {
    groups,
    group: (groupId: string) => groups.get(groupId),
    tag(tagId: string): { group: CorpTagGroup; tag: CorpTag } | undefined {
      const group = tagGroup.get(tagId);
      const tag = group?.tags.find((t) => t.id === tagId);
      return group && tag ? { group, tag } : undefined;
    },
    groupByName: (name: string) => [...groups.values()].find((g) => !g.deleted && g.groupName === name),
    createGroup(name: string, order: number, at: number): CorpTagGroup {
      const group: CorpTagGroup = { groupId: random.wecomId('et'), groupName: name, order, createTime: at, deleted: false, tags: [] };
      groups.set(group.groupId, group);
      return group;
    },
    addTag(group: CorpTagGroup, name: string, order: number, at: number): CorpTag {
      const tag = newTag(name, order, at);
      group.tags.push(tag);
      tagGroup.set(tag.id, group);
      return tag;
    },
    deleteTag(tagId: string) {
      const group = tagGroup.get(tagId);
      const tag = group?.tags.find((t) => t.id === tagId);
      if (!group || !tag) return;
      tag.deleted = true;
      if (group.tags.every((t) => t.deleted)) group.deleted = true;
    },
    deleteGroup(groupId: string) {
      const group = groups.get(groupId);
      if (!group) return;
      group.deleted = true;
      for (const t of group.tags) t.deleted = true;
    },
    liveTagIds: () => [...groups.values()].filter((g) => !g.deleted).flatMap((g) => g.tags.filter((t) => !t.deleted).map((t) => t.id)),
  };
}

export type CorpTagState = ReturnType<typeof createCorpTagState>;
