import { Op, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { AppError, notFound } from '../../core/errors';
import { pageOf, toOffset } from '../../core/http/pagination';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import type { SettlementScope } from './settlement-scope';
import type { JobFacts, PayeeKind } from './settlement-rules';
import type { PayeeRow } from './settlement.models';
import type { PayeeInput, PayeeListQuery, PayeePatch } from './settlement.schemas';

export const presentPayee = (row: PayeeRow) => ({
  id: Number(row.id),
  kind: row.kind,
  name: row.name,
  userId: row.user_id === null ? null : Number(row.user_id),
  storeId: row.store_id === null ? null : Number(row.store_id),
  regionId: row.region_id === null ? null : Number(row.region_id),
  allowNegativeCarry: Boolean(row.allow_negative_carry),
  status: row.status,
});

/**
 * Finds the payee of each kind for a job: technician ← the user who completed the last task, store ←
 * the order's store, dealer ← the active dealer of the store's region, company ← the built-in payee.
 * Technician and store payees are created on first need; dealers are set up by admins. Caches for
 * the life of one computation.
 */
export function createPayeeResolver(models: Models, tx?: Transaction) {
  const cache = new Map<string, Promise<number | null>>();

  async function find(kind: PayeeKind, facts: JobFacts): Promise<number | null> {
    switch (kind) {
      case 'technician': {
        const userId = facts.payees.technicianUserId;
        if (userId === null) return null;
        const found = await models.Payee.findOne({ where: { kind, user_id: userId }, order: [['id', 'ASC']], raw: true, transaction: tx });
        if (found) return Number(found.id);
        const user = await models.User.findByPk(userId, { attributes: ['display_name', 'store_id'], raw: true, transaction: tx });
        if (!user) return null;
        return Number((await models.Payee.create({ kind, name: user.display_name, user_id: userId, store_id: user.store_id }, { transaction: tx })).get('id'));
      }
      case 'store': {
        const storeId = facts.payees.storeId;
        const found = await models.Payee.findOne({ where: { kind, store_id: storeId }, order: [['id', 'ASC']], raw: true, transaction: tx });
        if (found) return Number(found.id);
        const store = await models.Store.findByPk(storeId, { attributes: ['name'], raw: true, transaction: tx });
        if (!store) return null;
        return Number((await models.Payee.create({ kind, name: store.name, store_id: storeId }, { transaction: tx })).get('id'));
      }
      case 'dealer': {
        if (facts.payees.regionId === null) return null;
        const found = await models.Payee.findOne({ where: { kind, region_id: facts.payees.regionId, status: 'active' }, order: [['id', 'ASC']], raw: true, transaction: tx });
        return found ? Number(found.id) : null;
      }
      case 'company': {
        const found = await models.Payee.findOne({ where: { kind }, order: [['id', 'ASC']], raw: true, transaction: tx });
        return found ? Number(found.id) : null;
      }
    }
  }

  const keyOf = (kind: PayeeKind, facts: JobFacts) =>
    kind === 'technician' ? `t${facts.payees.technicianUserId}` : kind === 'store' ? `s${facts.payees.storeId}` : kind === 'dealer' ? `d${facts.payees.regionId}` : 'c';
  const resolved = new Map<string, number | null>();

  return {
    resolve(kind: PayeeKind, facts: JobFacts): Promise<number | null> {
      const key = keyOf(kind, facts);
      let hit = cache.get(key);
      if (!hit) {
        hit = find(kind, facts).then((id) => {
          resolved.set(key, id);
          return id;
        });
        cache.set(key, hit);
      }
      return hit;
    },
    /** The payee when already resolved (the hot path of a period computation: no promise per line), else undefined. */
    known: (kind: PayeeKind, facts: JobFacts): number | null | undefined => resolved.get(keyOf(kind, facts)),
  };
}

export type PayeeResolver = ReturnType<typeof createPayeeResolver>;

export function createPayeeService(deps: { db: Database; models: Models; audit: AuditService; scope: SettlementScope }) {
  const { db, models, audit, scope } = deps;

  async function inScope(actor: Actor, id: number, tx?: Transaction): Promise<PayeeRow> {
    await scope.assertPayee(actor, id, tx);
    const row = await models.Payee.findByPk(id, { raw: true, transaction: tx });
    if (!row) throw notFound('payee', id);
    return row;
  }

  return {
    async list(actor: Actor, query: PayeeListQuery) {
      const where = scope.where(actor, { ...(query.kind && { kind: query.kind }), ...(query.keyword && { name: { [Op.like]: `%${query.keyword}%` } }) });
      const { rows, count } = await findPage(models.Payee, { where, order: [['id', 'ASC']], ...toOffset(query), raw: true });
      return pageOf(rows.map(presentPayee), count, query);
    },

    async create(actor: Actor, input: PayeeInput) {
      return db.transaction(async (tx) => {
        const problems = [];
        if (input.kind === 'technician' && !input.userId) problems.push({ path: 'body.userId', message: 'a technician payee needs userId' });
        if (input.kind === 'store' && !input.storeId) problems.push({ path: 'body.storeId', message: 'a store payee needs storeId' });
        if (input.kind === 'dealer' && !input.regionId) problems.push({ path: 'body.regionId', message: 'a dealer serves a region: give regionId' });
        if (input.userId && !(await models.User.findByPk(input.userId, { transaction: tx }))) problems.push({ path: 'body.userId', message: 'no such user' });
        if (input.storeId && !(await models.Store.findByPk(input.storeId, { transaction: tx }))) problems.push({ path: 'body.storeId', message: 'no such store' });
        if (input.regionId && !(await models.Region.findByPk(input.regionId, { transaction: tx }))) problems.push({ path: 'body.regionId', message: 'no such region' });
        if (problems.length) throw new AppError('VALIDATION_FAILED', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
        const created = await models.Payee.create(
          { kind: input.kind, name: input.name, user_id: input.userId ?? null, store_id: input.storeId ?? null, region_id: input.regionId ?? null, allow_negative_carry: input.allowNegativeCarry ?? false },
          { transaction: tx },
        );
        const row = created.get({ plain: true });
        await audit.record({ action: 'settlement.payee_created', targetType: 'payee', targetId: Number(row.id), storeId: row.store_id, after: presentPayee(row) }, tx);
        return presentPayee(row);
      });
    },

    async update(actor: Actor, id: number, patch: PayeePatch) {
      return db.transaction(async (tx) => {
        const before = await inScope(actor, id, tx);
        const changes = { ...(patch.name !== undefined && { name: patch.name }), ...(patch.allowNegativeCarry !== undefined && { allow_negative_carry: patch.allowNegativeCarry }), ...(patch.status !== undefined && { status: patch.status }) };
        await models.Payee.update(changes, { where: { id }, transaction: tx });
        const after = { ...before, ...changes } as PayeeRow;
        await audit.record({ action: 'settlement.payee_updated', targetType: 'payee', targetId: id, storeId: before.store_id, before: presentPayee(before), after: presentPayee(after) }, tx);
        return presentPayee(after);
      });
    },
  };
}
