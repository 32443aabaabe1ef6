import type { MassMessageRow } from './mass-message.models';
import type { MassContent } from './mass-message.schemas';

const iso = (at: Date | null) => (at ? new Date(at).toISOString() : null);

/** A mass message for the console: its content without the files' data. */
export function presentMassMessage(row: MassMessageRow) {
  const content = JSON.parse(row.content) as MassContent;
  return {
    id: Number(row.id),
    name: row.name,
    status: row.status,
    audience: JSON.parse(row.audience) as unknown,
    text: content.text?.trim() ? content.text : null,
    attachments: (content.attachments ?? []).map((a) => ({ type: a.type, ...('title' in a && { title: a.title }), ...('url' in a && { url: a.url }), ...('fileName' in a && { fileName: a.fileName }) })),
    storeId: row.store_id === null ? null : Number(row.store_id),
    createdBy: row.created_by === null ? null : Number(row.created_by),
    scheduledAt: iso(row.scheduled_at),
    sentAt: iso(row.sent_at),
    finishedAt: iso(row.finished_at),
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
