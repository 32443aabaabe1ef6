import type { Transaction } from 'sequelize';
import type { Models } from '../../../core/db/models';
import type { ScheduleSlot, WelcomeMessage } from './contact-way.schemas';
import type { ContactWayRow } from '../engagement.models';

export interface ContactWay {
  id: number;
  name: string;
  state: string;
  configId: string | null;
  qrCode: string | null;
  skipVerify: boolean;
  users: string[];
  backupUsers: string[];
  schedule: ScheduleSlot[];
  currentUsers: string[];
  tagIds: number[];
  storeId: number | null;
  welcome: WelcomeMessage | null;
  createdAt: Date;
}

export const contactWayOf = (row: ContactWayRow): ContactWay => ({
  id: Number(row.id),
  name: row.name,
  state: row.state,
  configId: row.config_id,
  qrCode: row.qr_code,
  skipVerify: Boolean(row.skip_verify),
  users: JSON.parse(row.users) as string[],
  backupUsers: JSON.parse(row.backup_users) as string[],
  schedule: JSON.parse(row.schedule) as ScheduleSlot[],
  currentUsers: JSON.parse(row.current_users) as string[],
  tagIds: JSON.parse(row.tag_ids) as number[],
  storeId: row.store_id === null ? null : Number(row.store_id),
  welcome: row.welcome ? (JSON.parse(row.welcome) as WelcomeMessage) : null,
  createdAt: new Date(row.created_at),
});

/** Seconds are plenty: an edit reaches every instance's fast lane within this. */
const CACHE_MS = 5_000;

/**
 * Contact ways by state, read on every add event. Cached briefly so the welcome fast lane does not
 * wait for a connection behind other work; edits on this instance drop the cache at once.
 */
export function createContactWayLookup(models: Models) {
  const cache = new Map<string, { at: number; way: ContactWay | null }>();
  return {
    /** Inside a transaction, reads through it (SQLite has one connection) and skips the cache. */
    async byState(state: string, tx?: Transaction): Promise<ContactWay | null> {
      const hit = cache.get(state);
      if (!tx && hit && Date.now() - hit.at < CACHE_MS) return hit.way;
      const row = await models.ContactWay.findOne({ where: { state, deleted_at: null }, raw: true, transaction: tx });
      const way = row ? contactWayOf(row) : null;
      cache.set(state, { at: Date.now(), way });
      return way;
    },
    forget: () => cache.clear(),
  };
}

export type ContactWayLookup = ReturnType<typeof createContactWayLookup>;
