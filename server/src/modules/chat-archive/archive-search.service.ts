import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import { withinScope } from '../access/data-scope';
import { queryTokens } from './archive-tokens';
import { archiveMessageScope, type ArchiveMessageRow } from './chat-archive.models';

export interface ArchiveSearchFilter {
  q?: string;
  employee?: string;
  customerId?: number;
  roomId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  /** Newest first: the next page starts below this message id. */
  beforeId?: number;
  limit: number;
}

export interface ArchiveHit {
  id: number;
  msgid: string;
  msgtype: string | null;
  from: string | null;
  to: string[];
  roomId: string | null;
  customerId: number | null;
  employee: string | null;
  storeId: number | null;
  time: Date | null;
  text: string | null;
  revoked: boolean;
}

const CANDIDATE_CHUNK = 2000;
const COUNT_CAP = 50_000;
/** How many index candidates one search may look at before it answers with what it found. */
const SCAN_CAP = 200_000;

export const presentHit = (row: ArchiveMessageRow): ArchiveHit => ({
  id: Number(row.id),
  msgid: row.msgid,
  msgtype: row.msgtype,
  from: row.from_id,
  to: row.to_ids ? (JSON.parse(row.to_ids) as string[]) : [],
  roomId: row.room_id,
  customerId: row.customer_id === null ? null : Number(row.customer_id),
  employee: row.employee_userid,
  storeId: row.store_id === null ? null : Number(row.store_id),
  time: row.msg_time,
  text: row.text,
  revoked: row.revoked_at !== null,
});

const normalise = (text: string) => text.normalize('NFKC').toLowerCase();

/**
 * Keyword search over the archive on any database: the query's tokens are looked up in our own
 * inverted index (rarest token first, postings intersected by joins on the primary key), then the
 * candidates are checked against the text (each term a substring) and the filters, inside the
 * caller's data scope.
 */
export function createArchiveSearch(deps: { db: Database; models: Models }) {
  const { db, models } = deps;
  const sequelize = db.sequelize;

  async function rarestFirst(tokens: string[]): Promise<string[]> {
    const counts = await Promise.all(
      tokens.map(async (token) => {
        const [row] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM (SELECT 1 FROM archive_tokens WHERE token = ? LIMIT ?) capped', { replacements: [token, COUNT_CAP], type: QueryTypes.SELECT });
        return { token, n: Number(row?.n ?? 0) };
      }),
    );
    return counts.sort((a, b) => a.n - b.n).map((c) => (c.n === 0 ? '' : c.token));
  }

  /** Message ids carrying every token, newest first, below `beforeId`. */
  async function candidates(tokens: string[], beforeId: number): Promise<number[]> {
    const joins = tokens.slice(1).map((_, i) => `JOIN archive_tokens t${i + 1} ON t${i + 1}.token = ? AND t${i + 1}.message_id = t0.message_id`);
    const sql = `SELECT t0.message_id AS id FROM archive_tokens t0 ${joins.join(' ')} WHERE t0.token = ? AND t0.message_id < ? ORDER BY t0.message_id DESC LIMIT ?`;
    const rows = await sequelize.query<{ id: number }>(sql, { replacements: [...tokens.slice(1), tokens[0], beforeId, CANDIDATE_CHUNK], type: QueryTypes.SELECT });
    return rows.map((row) => Number(row.id));
  }

  function filterWhere(actor: Actor, filter: ArchiveSearchFilter): WhereOptions {
    const where: Record<string | symbol, unknown> = { status: 'stored' };
    if (filter.employee) where.employee_userid = filter.employee;
    if (filter.customerId !== undefined) where.customer_id = filter.customerId;
    if (filter.roomId) where.room_id = filter.roomId;
    if (filter.type) where.msgtype = filter.type;
    if (filter.from || filter.to) where.msg_time = { ...(filter.from && { [Op.gte]: filter.from }), ...(filter.to && { [Op.lt]: filter.to }) };
    return withinScope(actor, archiveMessageScope, where as WhereOptions);
  }

  return {
    async search(actor: Actor, filter: ArchiveSearchFilter): Promise<{ items: ArchiveHit[]; nextBeforeId: number | null }> {
      const terms = normalise(filter.q ?? '').split(/\s+/).filter(Boolean);
      const tokens = queryTokens(filter.q ?? '');
      const where = filterWhere(actor, filter);
      const attributes = { exclude: ['payload', 'encrypt_random_key', 'encrypt_chat_msg'] };
      if (!tokens.length) {
        const rows = await models.ArchiveMessage.findAll({ where: { [Op.and]: [where, filter.beforeId ? { id: { [Op.lt]: filter.beforeId } } : {}] }, attributes, order: [['id', 'DESC']], limit: filter.limit + 1, raw: true });
        const page = rows.slice(0, filter.limit);
        return { items: page.map(presentHit), nextBeforeId: rows.length > filter.limit ? Number(page[page.length - 1]!.id) : null };
      }
      const ordered = await rarestFirst(tokens);
      if (ordered.includes('')) return { items: [], nextBeforeId: null };
      const found: ArchiveHit[] = [];
      let below = filter.beforeId ?? Number.MAX_SAFE_INTEGER;
      let scanned = 0;
      for (;;) {
        const ids = await candidates(ordered, below);
        if (!ids.length) return { items: found, nextBeforeId: null };
        scanned += ids.length;
        const rows = await models.ArchiveMessage.findAll({ where: { [Op.and]: [where, { id: ids }] }, attributes, order: [['id', 'DESC']], raw: true });
        for (const row of rows) {
          const text = normalise(row.text ?? '');
          if (!terms.every((term) => text.includes(term))) continue;
          found.push(presentHit(row));
          if (found.length === filter.limit) return { items: found, nextBeforeId: Number(row.id) };
        }
        below = ids[ids.length - 1]!;
        if (ids.length < CANDIDATE_CHUNK) return { items: found, nextBeforeId: null };
        // Answer with what was found; the next page resumes below the last id looked at.
        if (scanned >= SCAN_CAP) return { items: found, nextBeforeId: below };
      }
    },
  };
}
