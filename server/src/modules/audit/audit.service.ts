import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import { insertRows } from '../../core/db/raw-rows';
import { createWriteBatcher } from '../../core/db/write-batcher';
import { currentContext } from '../../core/request-context';
import type { Actor } from '../access/actor';
import { withinScope } from '../access/data-scope';
import type { AuditLogRow, AuditModels } from './audit.models';
import { diffOf, GENESIS_HASH, hashAuditRow } from './audit-hash';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  storeId?: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Who did it, when not the request's actor (a login, a system job). */
  actor?: { id: number | null; name: string };
}

export interface AuditFilter {
  action?: string;
  actorId?: number;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problems: Array<{ seq: number; problem: string }>;
}

const auditScope = { store: 'store_id', owner: 'actor_id' } as const;

/** An audit row as written: the sealer adds its place in the hash chain later. */
type UnsealedRow = Omit<AuditLogRow, 'id' | 'seq' | 'prev_hash' | 'hash'>;

export function createAuditService(deps: { db: Database; models: AuditModels }) {
  const { db, models } = deps;

  /** The row of an entry, with who made it and from where: taken when it is recorded, in its request's context. */
  function rowOf(entry: AuditEntry): UnsealedRow {
    const context = currentContext();
    const actor = entry.actor ?? (context?.actor ? { id: context.actor.userId, name: context.actor.username } : { id: null, name: 'system' });
    return {
      at: new Date(),
      actor_id: actor.id,
      actor_name: actor.name,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId === undefined || entry.targetId === null ? null : String(entry.targetId),
      store_id: entry.storeId ?? null,
      diff: diffOf(entry.before, entry.after),
      request_id: context?.requestId ?? null,
      ip: context?.ip ?? null,
    };
  }

  // Rows are written unsealed, without touching the chain's head, so concurrent writers do not queue;
  // through the driver, not as model instances. Entries recorded on their own at the same moment
  // (reads of personal data, sign-ins) share one insert, and each caller waits for it to commit.
  const standalone = createWriteBatcher<UnsealedRow>(async (rows) => void (await db.exclusive(() => insertRows(models.AuditLog, rows))), { maxInFlight: 1 });

  /**
   * Links up to `limit` committed, unsealed rows into the chain, in the order they are found (by
   * id): each gets the next sequence number, the previous row's hash and its own. The head row's
   * lock makes sealers on several instances take turns. Returns how many rows it sealed.
   */
  async function sealBatch(limit: number): Promise<number> {
    return db.transaction(async (tx) => {
      const head = await models.AuditChain.findByPk(1, { transaction: tx, lock: tx.LOCK.UPDATE, raw: true });
      if (!head) throw new Error('audit chain head is missing: migrations have not run');
      const pending = await models.AuditLog.findAll({ where: { seq: null }, order: [['id', 'ASC']], limit, transaction: tx, raw: true });
      if (pending.length === 0) return 0;
      let seq = Number(head.last_seq);
      let previous = head.last_hash;
      const sealed = pending.map((row) => {
        seq += 1;
        const hash = hashAuditRow({ ...row, seq, prev_hash: previous });
        const link = { id: Number(row.id), seq, prevHash: previous, hash };
        previous = hash;
        return link;
      });
      const byId = `CASE id ${sealed.map(() => 'WHEN ? THEN ?').join(' ')} END`;
      const values = (column: 'seq' | 'prevHash' | 'hash') => sealed.flatMap((link) => [link.id, link[column]]);
      await db.sequelize.query(`UPDATE audit_logs SET seq = ${byId}, prev_hash = ${byId}, hash = ${byId} WHERE id IN (${sealed.map(() => '?').join(',')})`, {
        replacements: [...values('seq'), ...values('prevHash'), ...values('hash'), ...sealed.map((link) => link.id)],
        transaction: tx,
      });
      await models.AuditChain.update({ last_seq: seq, last_hash: previous, updated_at: new Date() }, { where: { id: 1 }, transaction: tx });
      return sealed.length;
    });
  }

  /** Seals every row committed so far. */
  async function sealAll(batchSize = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const sealed = await sealBatch(batchSize);
      total += sealed;
      if (sealed < batchSize) return total;
    }
  }

  return {
    /**
     * Records one entry, to be sealed into the hash chain shortly after. Pass the transaction of the
     * change being audited so the change and its audit row commit together; without one, the entry is
     * inserted on its own (with those recorded at the same moment) before the promise settles.
     */
    async record(entry: AuditEntry, tx?: Transaction): Promise<void> {
      if (tx) await insertRows(models.AuditLog, [rowOf(entry)], tx);
      else await standalone.write(rowOf(entry));
    },

    async list(actor: Actor, filter: AuditFilter, page: { offset: number; limit: number }) {
      const where: WhereOptions<AuditLogRow> = {};
      if (filter.action) Object.assign(where, { action: filter.action });
      if (filter.actorId !== undefined) Object.assign(where, { actor_id: filter.actorId });
      if (filter.targetType) Object.assign(where, { target_type: filter.targetType });
      if (filter.targetId) Object.assign(where, { target_id: filter.targetId });
      if (filter.from || filter.to) {
        Object.assign(where, { at: { ...(filter.from ? { [Op.gte]: filter.from } : {}), ...(filter.to ? { [Op.lte]: filter.to } : {}) } });
      }
      const { rows, count } = await findPage(models.AuditLog, {
        where: withinScope(actor, auditScope, where),
        order: [['id', 'DESC']],
        offset: page.offset,
        limit: page.limit,
        raw: true,
      });
      return { rows, total: count };
    },

    seal: sealAll,

    /** Seals what is pending, then walks the whole chain: a changed, inserted or deleted row breaks it and is reported. */
    async verify(batchSize = 1000): Promise<VerifyResult> {
      await sealAll();
      const problems: VerifyResult['problems'] = [];
      let expectedSeq = 1;
      let previousHash = GENESIS_HASH;
      let checked = 0;
      for (;;) {
        const rows = await models.AuditLog.findAll({
          where: { seq: { [Op.gte]: expectedSeq } },
          order: [['seq', 'ASC']],
          limit: batchSize,
          raw: true,
        });
        if (rows.length === 0) break;
        for (const row of rows) {
          const seq = Number(row.seq);
          if (seq !== expectedSeq) problems.push({ seq: expectedSeq, problem: `rows ${expectedSeq}..${seq - 1} are missing` });
          if (row.prev_hash !== previousHash) problems.push({ seq, problem: 'does not link to the previous row' });
          if (hashAuditRow({ ...row, seq, prev_hash: row.prev_hash ?? '' }) !== row.hash) problems.push({ seq, problem: 'content does not match its hash' });
          previousHash = row.hash ?? '';
          expectedSeq = seq + 1;
          checked += 1;
        }
      }
      const head = await models.AuditChain.findByPk(1, { raw: true });
      if (!head || Number(head.last_seq) !== expectedSeq - 1 || head.last_hash !== previousHash) {
        problems.push({ seq: expectedSeq - 1, problem: `chain head expects row ${head ? Number(head.last_seq) : '?'}: rows at the end were removed or replaced` });
      }
      const firstBad = problems.reduce<number | null>((min, p) => (min === null || p.seq < min ? p.seq : min), null);
      return { ok: problems.length === 0, checked, firstBadSeq: firstBad, problems };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
