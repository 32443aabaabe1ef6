import type { Models } from '../../core/db/models';
import type { WecomEventRouter } from '../wecom/wecom-event-router';

/** How often an idle worker checks for a msgaudit_notify: one indexed row read. */
export const NOTIFY_CHECK_MS = 1000;

/**
 * msgaudit_notify says new messages wait in the archive. The callback is processed by the API or job
 * worker, the pull by the archive worker (another process): the signal is a timestamp on the cursor
 * rows, set in the callback's transaction, which the idle worker reads every NOTIFY_CHECK_MS.
 */
export function registerArchiveNotify(events: WecomEventRouter, models: Models): void {
  events.on('msgaudit_notify', async (_event, { tx }) => {
    await models.ArchiveCursor.update({ notified_at: new Date() }, { where: {}, transaction: tx });
  });
}

/** The idle worker's check: whether a notification arrived after `since`. */
export function notificationWatcher(models: Models, corpId: string) {
  let seen = 0;
  return {
    /** Marks everything notified so far as handled; call before pulling. */
    async settle(): Promise<void> {
      seen = await notifiedAt();
    },
    async pending(): Promise<boolean> {
      return (await notifiedAt()) > seen;
    },
  };

  async function notifiedAt(): Promise<number> {
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: corpId }, attributes: ['notified_at'], raw: true });
    return cursor?.notified_at ? new Date(cursor.notified_at).getTime() : 0;
  }
}
