import type { EventEmitter } from '../plugins/outbox';
import { WecomError, type ExternalTagEvent } from '@scrm/wecom-adapter';
import type { Transaction } from 'sequelize';
import type { Services } from '../../app';
import { createTagMirror, mirrorChanged, type MirrorReport, type MirrorScope } from './tag-mirror';

type Deps = Pick<Services, 'db' | 'models' | 'timeline' | 'audit' | 'wecom' | 'log'> & { outbox?: EventEmitter };

const SYSTEM = { id: null, name: 'wecom-sync' };
const INVALID_TAG_ID = 40068;

/**
 * Corp tags from WeCom: the full `tags` sync (get_corp_tag_list, mirrored by WeCom id, what WeCom no
 * longer has removed and reported) and change_external_tag events, which re-read the ids concerned
 * so that repeats and any order of arrival leave the same result.
 */
export function registerTagSync(services: Deps): void {
  const { db, models, timeline, audit, wecom, log } = services;
  const mirror = createTagMirror({ models, timeline, outbox: services.outbox });

  async function recordChange(action: string, report: MirrorReport, extra: Record<string, unknown>, tx: Transaction) {
    if (!mirrorChanged(report)) return;
    await audit.record({ action, targetType: 'tag', actor: SYSTEM, after: { ...extra, ...report } }, tx);
  }

  wecom.syncRuns.register<{ done: boolean }>('tags', async ({ checkpoint }) => {
    const answer = await (await wecom.runtime.requireAppClient('customer')).tags.list();
    const report = await db.transaction(async (tx) => {
      const applied = await mirror.apply(answer.tag_group, { kind: 'all' }, tx);
      await recordChange('tag.synced', applied, {}, tx);
      return applied;
    });
    const total = answer.tag_group.reduce((sum, g) => sum + 1 + g.tag.length, 0);
    await checkpoint({ cursor: { done: true }, processed: total, total });
    return { groups: answer.tag_group.length, tags: total - answer.tag_group.length, ...report };
  });

  wecom.events.on('external_tag', async (event: ExternalTagEvent, { tx, callbackId }) => {
    const found = await wecom.runtime.appClient('customer');
    if (!found) {
      // Cannot be read back now: left to the next full sync (which reports the missing setup).
      log.warn('WeCom customer contact app is not configured; a %s event is left to the next sync', 'tags');
      return;
    }
    const api = found.tags;
    let scope: MirrorScope;
    if (event.changeType === 'shuffle') scope = event.id ? { kind: 'groups', groupIds: [event.id] } : { kind: 'all' };
    else scope = event.tagType === 'tag_group' ? { kind: 'groups', groupIds: [event.id] } : { kind: 'tags', tagIds: [event.id] };
    const read = () => (scope.kind === 'all' ? api.list() : scope.kind === 'groups' ? api.list({ group_id: scope.groupIds }) : api.list({ tag_id: scope.tagIds }));
    // An id WeCom no longer knows at all is as gone as one it reports deleted.
    const answer = await read().catch((error: unknown) => {
      if (error instanceof WecomError && error.errcode === INVALID_TAG_ID) return { tag_group: [] };
      throw error;
    });
    const report = await mirror.apply(answer.tag_group, scope, tx);
    await recordChange('tag.changed_in_wecom', report, { callbackId, changeType: event.changeType, wecomId: event.id ?? null }, tx);
  });
}
