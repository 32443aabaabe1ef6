import { UniqueConstraintError } from 'sequelize';
import { WecomError } from '@scrm/wecom-adapter';
import type { Models } from '../../../core/db/models';
import type { Logger } from '../../../core/logger';
import type { WecomRuntime } from '../../wecom/wecom-runtime';
import type { ContactWayLookup } from './contact-way-lookup';
import type { MediaCache } from '../media-cache';
import type { WelcomeStatus } from '../engagement.models';

/** WeCom accepts a welcome_code once, within 20 s of the event (DOC 92599). */
export const WELCOME_WINDOW_MS = 20_000;
/** send_welcome_msg: the customer already got one / chatted, or another app is sending (PROTOCOL §4.2). */
const WINDOW_CLOSED = new Set([41051, 41096]);

export interface WelcomeRequest {
  welcomeCode: string;
  state: string;
  userId: string;
  externalUserId: string;
  /** When WeCom says the add happened (CreateTime), and when we stored the callback. */
  eventAt: Date;
  receivedAt: Date;
}

/**
 * Sends a channel's welcome message for one add event. A row per welcome code is claimed first (a
 * unique key), so whichever path gets there first — the fast lane right after the callback is stored,
 * or the job that backs it up after a crash — sends, and nobody sends twice. A closed window is
 * recorded as missed and never retried.
 */
export function createWelcomeSender(deps: { models: Models; runtime: WecomRuntime; ways: ContactWayLookup; media: MediaCache; log: Logger; now?: () => number }) {
  const { models, log } = deps;
  const now = deps.now ?? Date.now;

  async function finish(id: number, status: WelcomeStatus, problem?: { errcode?: number; error: string }) {
    await models.WelcomeSend.update({ status, finished_at: new Date(now()), errcode: problem?.errcode ?? null, error: problem?.error.slice(0, 512) ?? null }, { where: { id } });
    if (status !== 'sent') log.warn({ welcomeSendId: id, status, ...problem }, 'welcome message not sent');
    return status;
  }

  async function claim(request: WelcomeRequest, contactWayId: number) {
    try {
      const row = await models.WelcomeSend.create({
        welcome_code: request.welcomeCode,
        contact_way_id: contactWayId,
        external_userid: request.externalUserId,
        wecom_userid: request.userId,
        status: 'sending',
        event_at: request.eventAt,
        received_at: request.receivedAt,
        created_at: new Date(now()),
      });
      return Number(row.get('id'));
    } catch (error) {
      if (error instanceof UniqueConstraintError) return null;
      throw error;
    }
  }

  return {
    /** 'skipped' when the state is no channel of ours or the channel has no welcome message, or another path claimed the code. */
    async send(request: WelcomeRequest): Promise<WelcomeStatus | 'skipped'> {
      const way = await deps.ways.byState(request.state);
      if (!way?.welcome) return 'skipped';
      const id = await claim(request, way.id);
      if (id === null) return 'skipped';
      if (now() - Math.min(request.eventAt.getTime(), request.receivedAt.getTime()) > WELCOME_WINDOW_MS) return finish(id, 'missed', { error: 'the 20-second window had passed before sending' });
      try {
        const client = await deps.runtime.requireAppClient('customer');
        const message = await deps.media.prepare(client, way.welcome);
        await client.messages.sendWelcomeMsg({ welcome_code: request.welcomeCode, ...message });
        return finish(id, 'sent');
      } catch (error) {
        if (error instanceof WecomError && WINDOW_CLOSED.has(error.errcode)) return finish(id, 'missed', { errcode: error.errcode, error: error.errmsg });
        return finish(id, 'failed', { errcode: error instanceof WecomError ? error.errcode : undefined, error: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}

export type WelcomeSender = ReturnType<typeof createWelcomeSender>;
