import type { EventEmitter } from '../plugins/outbox';
import { WecomError, type WecomClient } from '@scrm/wecom-adapter';
import type { Services } from '../../app';
import { validationFailed } from '../../core/errors';
import type { CustomerRow } from '../customers/customer.model';
import type { CustomerFollowRow, TagRow } from '../customers/customer-store.models';
import type { TimelineEntry } from '../customers/customer-timeline';
import { asAppError } from './wecom-client-access';

type Deps = Pick<Services, 'db' | 'models' | 'timeline' | 'audit'> & { outbox?: EventEmitter };

/** Who marks: our user (whose own follow relation is preferred) and the name the audit shows. */
export interface Marker {
  userId: number | null;
  name: string;
}

export interface TagChange {
  add: TagRow[];
  remove: TagRow[];
}

/**
 * Marking corp tags on one customer, shared by the console, the sidebar and bulk jobs. WeCom keeps
 * tags per follow relation: an added tag goes on the marker's own relation when they follow the
 * customer, else the primary follow user's; a removed tag comes off every relation carrying it.
 * WeCom (mark_tag) is called first; ours follows what WeCom accepted.
 */
export function createCustomerTagging(deps: Deps) {
  const { db, models, timeline, audit } = deps;

  /** Our tags for the ids, refusing unknown ones (path names the offending entry). */
  async function resolveTags(input: { add?: number[]; remove?: number[] }): Promise<TagChange> {
    const ids = [...(input.add ?? []), ...(input.remove ?? [])];
    const rows = new Map((await models.Tag.findAll({ where: { id: ids }, raw: true })).map((t) => [Number(t.id), t]));
    const problems = (['add', 'remove'] as const).flatMap((side) =>
      (input[side] ?? []).flatMap((id, index) => (rows.get(id)?.wecom_tag_id ? [] : [{ path: `body.${side}.${index}`, message: `no tag ${id}` }])),
    );
    if (problems.length) throw validationFailed(problems);
    const pick = (list?: number[]) => (list ?? []).map((id) => rows.get(id) as TagRow);
    return { add: pick(input.add), remove: pick(input.remove) };
  }

  /** The relation added tags go on: the marker's own, else the primary (owner's, else earliest) one. */
  async function chooseFollow(customer: CustomerRow, follows: CustomerFollowRow[], marker: Marker): Promise<CustomerFollowRow | undefined> {
    const userIds = [marker.userId, customer.owner_user_id].filter((id): id is number => id !== null);
    const users = new Map((await models.User.findAll({ where: { id: userIds }, attributes: ['id', 'wecom_userid'], raw: true })).map((u) => [Number(u.id), u.wecom_userid]));
    for (const userId of userIds) {
      const own = follows.find((f) => f.wecom_userid === users.get(Number(userId)));
      if (own) return own;
    }
    return [...follows].sort((a, b) => (a.added_at ? new Date(a.added_at).getTime() : Infinity) - (b.added_at ? new Date(b.added_at).getTime() : Infinity) || Number(a.id) - Number(b.id))[0];
  }

  /** The customer's tags: each tag once, with the relations carrying it. */
  async function tagsOf(customerId: number) {
    const marks = await models.CustomerTag.findAll({ where: { customer_id: customerId }, raw: true });
    const tags = await models.Tag.findAll({ where: { id: [...new Set(marks.map((m) => Number(m.tag_id)))] }, raw: true });
    const groups = new Map((await models.TagGroup.findAll({ where: { id: [...new Set(tags.map((t) => Number(t.group_id)))] }, raw: true })).map((g) => [Number(g.id), g]));
    return tags
      .map((tag) => ({
        id: Number(tag.id),
        name: tag.name,
        groupId: Number(tag.group_id),
        groupName: groups.get(Number(tag.group_id))?.name ?? '',
        groupOrder: Number(groups.get(Number(tag.group_id))?.sort_order ?? 0),
        order: Number(tag.sort_order),
        wecomUserids: marks.filter((m) => Number(m.tag_id) === Number(tag.id)).map((m) => m.wecom_userid),
      }))
      .sort((a, b) => b.groupOrder - a.groupOrder || a.groupId - b.groupId || b.order - a.order || a.id - b.id)
      .map(({ groupOrder: _g, order: _o, ...rest }) => rest);
  }

  /**
   * Applies a change to one customer. `dedupe` makes timeline entries of a replayed bulk step one.
   * Throws (as a 4xx AppError for WeCom refusals) when WeCom refused a call; relations WeCom already
   * changed are still recorded here first, so ours never lags behind WeCom.
   */
  async function apply(client: WecomClient, customer: CustomerRow, change: TagChange, marker: Marker, options: { dedupe?: string; via: string }) {
    const follows = await models.CustomerFollow.findAll({ where: { customer_id: customer.id, status: 'active' }, raw: true });
    const marks = await models.CustomerTag.findAll({ where: { customer_id: customer.id }, raw: true });
    const chosen = await chooseFollow(customer, follows, marker);
    if (!chosen && change.add.length) throw validationFailed([{ path: 'customer', message: 'the customer has no active follow relation in WeCom to tag' }]);

    // One mark_tag per relation: additions on the chosen one, removals wherever the tag is.
    const calls = new Map<string, { add: TagRow[]; remove: TagRow[] }>();
    const plan = (userid: string) => calls.get(userid) ?? calls.set(userid, { add: [], remove: [] }).get(userid)!;
    const active = new Set(follows.map((f) => f.wecom_userid));
    for (const tag of change.add) {
      if (chosen && !marks.some((m) => Number(m.tag_id) === Number(tag.id) && m.wecom_userid === chosen.wecom_userid)) plan(chosen.wecom_userid).add.push(tag);
    }
    for (const tag of change.remove) {
      for (const mark of marks.filter((m) => Number(m.tag_id) === Number(tag.id))) {
        if (active.has(mark.wecom_userid)) plan(mark.wecom_userid).remove.push(tag);
      }
    }
    const done: Array<[string, { add: TagRow[]; remove: TagRow[] }]> = [];
    let failure: unknown = null;
    for (const [userid, step] of calls) {
      try {
        await client.tags.mark({
          userid,
          external_userid: customer.external_userid ?? '',
          ...(step.add.length && { add_tag: step.add.map((t) => t.wecom_tag_id ?? '') }),
          ...(step.remove.length && { remove_tag: step.remove.map((t) => t.wecom_tag_id ?? '') }),
        });
        done.push([userid, step]);
      } catch (error) {
        failure = error instanceof WecomError ? asAppError(error) : error;
        break;
      }
    }
    // Marks on relations that no longer exist in WeCom carry nothing there: removing drops them too.
    const orphaned = marks.filter((m) => !active.has(m.wecom_userid) && change.remove.some((t) => Number(t.id) === Number(m.tag_id)));

    const before = new Set(marks.map((m) => Number(m.tag_id)));
    await db.transaction(async (tx) => {
      for (const [userid, step] of done) {
        if (step.add.length) await models.CustomerTag.bulkCreate(step.add.map((t) => ({ customer_id: Number(customer.id), tag_id: Number(t.id), wecom_userid: userid, created_at: new Date() })), { transaction: tx, ignoreDuplicates: true });
        if (step.remove.length) await models.CustomerTag.destroy({ where: { customer_id: customer.id, wecom_userid: userid, tag_id: step.remove.map((t) => Number(t.id)) }, transaction: tx });
      }
      if (orphaned.length) await models.CustomerTag.destroy({ where: { id: orphaned.map((m) => Number(m.id)) }, transaction: tx });
      const after = new Set((await models.CustomerTag.findAll({ where: { customer_id: customer.id }, attributes: ['tag_id'], raw: true, transaction: tx })).map((m) => Number(m.tag_id)));
      const added = change.add.filter((t) => after.has(Number(t.id)) && !before.has(Number(t.id)));
      const removed = change.remove.filter((t) => before.has(Number(t.id)) && !after.has(Number(t.id)));
      if (!added.length && !removed.length) return;
      const groups = new Map((await models.TagGroup.findAll({ where: { id: [...added, ...removed].map((t) => Number(t.group_id)) }, raw: true, transaction: tx })).map((g) => [Number(g.id), g.name]));
      const entry = (tag: TagRow, kind: 'tag.added' | 'tag.removed'): TimelineEntry => {
        const groupName = groups.get(Number(tag.group_id)) ?? '';
        return {
          customerId: Number(customer.id),
          storeId: customer.store_id,
          kind,
          summary: `${kind === 'tag.added' ? '添加标签' : '移除标签'}：${groupName}/${tag.name}`,
          payload: { tagId: Number(tag.id), tagName: tag.name, groupName, via: options.via, by: marker.name },
          actorUserId: marker.userId,
          wecomUserid: kind === 'tag.added' ? (chosen?.wecom_userid ?? null) : null,
          ...(options.dedupe && { dedupeKey: `${options.dedupe}:${kind}:${tag.id}` }),
        };
      };
      await timeline.record([...added.map((t) => entry(t, 'tag.added')), ...removed.map((t) => entry(t, 'tag.removed'))], tx);
      await audit.record(
        {
          action: 'customer.tags_changed',
          targetType: 'customer',
          targetId: Number(customer.id),
          storeId: customer.store_id,
          actor: { id: marker.userId, name: marker.name },
          after: { added: added.map((t) => t.name), removed: removed.map((t) => t.name), via: options.via },
        },
        tx,
      );
      await deps.outbox?.emit('customer.tagged', { customerId: Number(customer.id), addedTagIds: added.map((t) => Number(t.id)), removedTagIds: removed.map((t) => Number(t.id)) }, tx);
    });
    if (failure) throw failure;
  }

  return { resolveTags, apply, tagsOf };
}

export type CustomerTagging = ReturnType<typeof createCustomerTagging>;
