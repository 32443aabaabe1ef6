import { WecomError, type ExternalChatEvent } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import type { Services } from '../../app';
import { createGroupChatMirror } from './group-chat-mirror';

type Deps = Pick<Services, 'db' | 'models' | 'timeline' | 'wecom' | 'log'>;

/** groupchat/list's status_filter values: normal, owner left, handover in progress, handover done. */
const STATUSES = [0, 1, 2, 3] as const;
const PAGE = 100;
/** groupchat/get's answers for a chat that no longer exists. */
const CHAT_GONE = new Set([701008, 40050]);

interface GroupsCursor {
  statusIndex: number;
  cursor: string;
  processed: number;
  created: number;
  joined: number;
  left: number;
  dismissed: number;
}

const isGone = (error: unknown) => error instanceof WecomError && CHAT_GONE.has(error.errcode);

/**
 * Customer group chats from WeCom: the `groups` sync (groupchat/list by status with its cursor, then
 * groupchat/get per chat; checkpointed per page, so a crashed run resumes where it stopped) and
 * change_external_chat events, which re-read the chat: repeats and any order end in WeCom's state.
 */
export function registerGroupChatSync(services: Deps): void {
  const { db, models, wecom, log } = services;
  const mirror = createGroupChatMirror(services);

  wecom.syncRuns.register<GroupsCursor>('groups', async ({ runId, cursor: saved, checkpoint }) => {
    const api = (await wecom.runtime.requireAppClient('customer')).groupChats;
    const run = await models.SyncRun.findByPk(runId, { raw: true });
    const startedAt = run ? new Date(run.started_at) : new Date();
    const state: GroupsCursor = saved ?? { statusIndex: 0, cursor: '', processed: 0, created: 0, joined: 0, left: 0, dismissed: 0 };
    while (state.statusIndex < STATUSES.length) {
      const status = STATUSES[state.statusIndex];
      const page = await api.list({ status_filter: status, cursor: state.cursor || undefined, limit: PAGE });
      for (const ref of page.group_chat_list) {
        const answer = await api.get(ref.chat_id).catch((error: unknown) => (isGone(error) ? null : Promise.reject(error)));
        await db.transaction(async (tx) => {
          if (!answer) {
            state.left += await mirror.dismiss(ref.chat_id, tx);
            state.dismissed += 1;
            return;
          }
          const change = await mirror.upsert(answer.group_chat, tx, { status: ref.status ?? status });
          state.created += change.created ? 1 : 0;
          state.joined += change.joined;
          state.left += change.left;
        });
        state.processed += 1;
      }
      if (page.next_cursor) state.cursor = page.next_cursor;
      else Object.assign(state, { statusIndex: state.statusIndex + 1, cursor: '' });
      await checkpoint({ cursor: state, processed: state.processed });
    }
    // Chats this run never saw (not written since it started) are gone from WeCom.
    const unseen = await models.GroupChat.findAll({ where: { dismissed_at: null, updated_at: { [Op.lt]: startedAt } }, attributes: ['chat_id'], raw: true });
    for (const chat of unseen) {
      await db.transaction(async (tx) => {
        state.left += await mirror.dismiss(chat.chat_id, tx);
      });
    }
    return { chats: state.processed, created: state.created, membersJoined: state.joined, membersLeft: state.left, dismissed: state.dismissed + unseen.length };
  });

  wecom.events.on('external_chat', async (event: ExternalChatEvent, { tx }) => {
    const at = event.createTime ? new Date(event.createTime * 1000) : new Date();
    if (event.changeType === 'dismiss') {
      await mirror.dismiss(event.chatId, tx, at);
      return;
    }
    const found = await wecom.runtime.appClient('customer');
    if (!found) {
      // Cannot be read back now: left to the next full sync (which reports the missing setup).
      log.warn('WeCom customer contact app is not configured; a %s event is left to the next sync', 'groups');
      return;
    }
    const answer = await found.groupChats.get(event.chatId).catch((error: unknown) => (isGone(error) ? null : Promise.reject(error)));
    if (answer) await mirror.upsert(answer.group_chat, tx, { at });
    else await mirror.dismiss(event.chatId, tx, at);
  });
}
