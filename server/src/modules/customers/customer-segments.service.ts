import { Op, UniqueConstraintError } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, conflict, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import type { CustomerSegmentRow } from './customer-segments.model';
import type { SegmentInput, SegmentPatch } from './customer-segments.schemas';
import { customerFilter, type CustomerFilter } from './customer.schemas';
import { orgNamesOf } from '../org/org-names';

/**
 * Saved segments: a named customer filter per user, optionally shared with everyone. A segment is
 * only a filter; whoever applies it still sees only the customers in their own data scope.
 */
export function createCustomerSegmentService(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;
  const Segment = models.CustomerSegment;
  const visibleTo = (actor: Actor) => ({ [Op.or]: [{ owner_user_id: actor.userId }, { shared: true }] });

  const filterOf = (row: CustomerSegmentRow): CustomerFilter => {
    const parsed = customerFilter.safeParse(JSON.parse(row.filter));
    return parsed.success ? parsed.data : {};
  };

  async function present(actor: Actor, rows: CustomerSegmentRow[]) {
    const owners = await orgNamesOf(models).users(rows.map((r) => Number(r.owner_user_id)));
    return rows.map((row) => ({
      id: Number(row.id),
      name: row.name,
      filter: filterOf(row),
      shared: Boolean(row.shared),
      ownerUserId: Number(row.owner_user_id),
      ownerName: owners.get(Number(row.owner_user_id)) ?? null,
      mine: Number(row.owner_user_id) === actor.userId,
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }

  /** A segment the actor owns; someone else's shared one may be applied but not changed. */
  async function ownedBy(actor: Actor, id: number) {
    const row = await Segment.findOne({ where: { id, ...visibleTo(actor) }, raw: true });
    if (!row) throw notFound('segment', id);
    if (Number(row.owner_user_id) !== actor.userId) throw new AppError('FORBIDDEN', 'only the owner may change a segment');
    return row;
  }

  const uniqueName = async <T>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw conflict('you already have a segment with this name', [{ path: 'body.name', message: 'already used' }]);
      throw error;
    }
  };

  return {
    async list(actor: Actor) {
      const rows = await Segment.findAll({ where: visibleTo(actor), order: [['name', 'ASC'], ['id', 'ASC']], raw: true });
      return present(actor, rows);
    },

    /** The filter of a segment the actor may use. */
    async filterOf(actor: Actor, id: number): Promise<CustomerFilter> {
      const row = await Segment.findOne({ where: { id, ...visibleTo(actor) }, raw: true });
      if (!row) throw notFound('segment', id);
      return filterOf(row);
    },

    async create(actor: Actor, input: SegmentInput) {
      const row = await uniqueName(() =>
        db.transaction(async (tx) => {
          const created = (await Segment.create({ owner_user_id: actor.userId, name: input.name, filter: JSON.stringify(input.filter), shared: input.shared }, { transaction: tx })).get({ plain: true });
          await audit.record({ action: 'customer_segment.created', targetType: 'customer_segment', targetId: created.id, after: { name: input.name, filter: input.filter, shared: input.shared } }, tx);
          return created;
        }),
      );
      return (await present(actor, [row]))[0];
    },

    async update(actor: Actor, id: number, patch: SegmentPatch) {
      const before = await ownedBy(actor, id);
      const changes = {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.filter !== undefined && { filter: JSON.stringify(patch.filter) }),
        ...(patch.shared !== undefined && { shared: patch.shared }),
      };
      await uniqueName(() =>
        db.transaction(async (tx) => {
          await Segment.update(changes, { where: { id }, transaction: tx });
          await audit.record(
            { action: 'customer_segment.updated', targetType: 'customer_segment', targetId: id, before: { name: before.name, filter: filterOf(before), shared: Boolean(before.shared) }, after: { ...patch } },
            tx,
          );
        }),
      );
      const row = await Segment.findByPk(id, { raw: true });
      return (await present(actor, [row as CustomerSegmentRow]))[0];
    },

    async remove(actor: Actor, id: number) {
      const before = await ownedBy(actor, id);
      await db.transaction(async (tx) => {
        await Segment.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'customer_segment.deleted', targetType: 'customer_segment', targetId: id, before: { name: before.name, filter: filterOf(before), shared: Boolean(before.shared) } }, tx);
      });
    },
  };
}

export type CustomerSegmentService = ReturnType<typeof createCustomerSegmentService>;
