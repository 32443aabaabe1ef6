import { findPage } from '../../core/db/find-page';
import type { Actor } from '../access/actor';
import { orgNamesOf } from '../org/org-names';
import { scopedCustomers, toId, type Customer360Deps } from './customer-360.deps';
import type { CustomerNoteRow } from './customer-store.models';

/** Follow-up notes staff write on a customer. */
export function createCustomerNotesService(deps: Customer360Deps) {
  const { db, models, audit, timeline } = deps;
  const customers = scopedCustomers(models);

  async function present(rows: CustomerNoteRow[]) {
    const names = await orgNamesOf(models).users(rows.map((n) => toId(n.author_user_id)));
    return rows.map((n) => ({
      id: Number(n.id),
      body: n.body,
      authorUserId: toId(n.author_user_id),
      authorName: names.get(Number(n.author_user_id)) ?? null,
      createdAt: new Date(n.created_at).toISOString(),
    }));
  }

  return {
    /** The customer's notes, newest first. */
    async list(actor: Actor, customerId: number, range: { offset: number; limit: number }) {
      await customers.byId(actor, customerId);
      const { rows, count } = await findPage(models.CustomerNote, { where: { customer_id: customerId }, order: [['created_at', 'DESC'], ['id', 'DESC']], ...range, raw: true });
      return { items: await present(rows), total: count };
    },

    async add(actor: Actor, customerId: number, body: string) {
      const note = await db.transaction(async (tx) => {
        const customer = await customers.byId(actor, customerId, tx);
        const row = (await models.CustomerNote.create({ customer_id: customerId, author_user_id: actor.userId, body }, { transaction: tx })).get({ plain: true });
        await timeline.record(
          { customerId, storeId: customer.store_id, kind: 'note.added', summary: body.slice(0, 200), payload: { noteId: Number(row.id) }, actorUserId: actor.userId, dedupeKey: `note:${row.id}` },
          tx,
        );
        await audit.record({ action: 'customer.note_added', targetType: 'customer', targetId: customerId, storeId: customer.store_id, after: { noteId: Number(row.id), length: body.length } }, tx);
        return row;
      });
      return (await present([note]))[0];
    },
  };
}

export type CustomerNotesService = ReturnType<typeof createCustomerNotesService>;
