import { conflict, notFound, validationFailed } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { CustomerFieldDefRow } from './customer-store.models';
import type { FieldCreate, FieldDef, FieldPatch } from './customer-config.schemas';
import { parseCustomFields, scopedCustomers, type Customer360Deps } from './customer-360.deps';
import { applyFieldValues } from './customer-field-values';
import { assertOrder } from './customer-order';

function optionsOf(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

export const presentFieldDefs = (rows: CustomerFieldDefRow[]): FieldDef[] =>
  rows.map((row) => ({
    id: Number(row.id),
    key: row.field_key,
    label: row.label,
    type: row.field_type,
    options: optionsOf(row.options),
    required: Boolean(row.required),
    sortOrder: Number(row.sort_order ?? 0),
  }));

/** Admin-defined customer fields, and customers' values for them. */
export function createCustomerFieldsService(deps: Customer360Deps) {
  const { db, models, audit, timeline } = deps;
  const customers = scopedCustomers(models);
  const auditView = (def: FieldDef) => ({ key: def.key, label: def.label, type: def.type, options: def.options, required: def.required, sortOrder: def.sortOrder });

  const allDefs = async () => presentFieldDefs(await models.CustomerFieldDef.findAll({ order: [['sort_order', 'ASC'], ['id', 'ASC']], raw: true }));

  async function defById(id: number) {
    const row = await models.CustomerFieldDef.findByPk(id, { raw: true });
    if (!row) throw notFound('custom field', id);
    return presentFieldDefs([row])[0] as FieldDef;
  }

  return {
    list: allDefs,

    async create(input: FieldCreate) {
      if (await models.CustomerFieldDef.findOne({ where: { field_key: input.key }, raw: true })) {
        throw conflict(`a custom field with key ${input.key} already exists`, [{ path: 'body.key', message: 'already in use' }]);
      }
      const last = (await models.CustomerFieldDef.max('sort_order')) as number | null;
      return db.transaction(async (tx) => {
        const row = await models.CustomerFieldDef.create(
          { field_key: input.key, label: input.label, field_type: input.type, options: input.options?.length ? JSON.stringify(input.options) : null, required: input.required, sort_order: Number(last ?? -1) + 1 },
          { transaction: tx },
        );
        const created = presentFieldDefs([row.get({ plain: true })])[0] as FieldDef;
        await audit.record({ action: 'customer_field.created', targetType: 'customer_field', targetId: created.id, after: auditView(created) }, tx);
        return created;
      });
    },

    async update(id: number, input: FieldPatch) {
      const before = await defById(id);
      if (input.options !== undefined && before.type !== 'select' && before.type !== 'multiselect') {
        throw validationFailed([{ path: 'body.options', message: `a ${before.type} field has no options` }]);
      }
      if (input.options !== undefined && !input.options.length) throw validationFailed([{ path: 'body.options', message: `a ${before.type} field needs at least one option` }]);
      return db.transaction(async (tx) => {
        await models.CustomerFieldDef.update(
          { ...(input.label !== undefined && { label: input.label }), ...(input.options !== undefined && { options: JSON.stringify(input.options) }), ...(input.required !== undefined && { required: input.required }) },
          { where: { id }, transaction: tx },
        );
        const after = { ...before, ...input };
        await audit.record({ action: 'customer_field.updated', targetType: 'customer_field', targetId: id, before: auditView(before), after: auditView(after) }, tx);
        return after;
      });
    },

    /** Removes the definition; values already stored stay in the customers' data but are no longer shown. */
    async remove(id: number) {
      const before = await defById(id);
      await db.transaction(async (tx) => {
        await models.CustomerFieldDef.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'customer_field.deleted', targetType: 'customer_field', targetId: id, before: auditView(before) }, tx);
      });
    },

    async reorder(ids: number[]) {
      const defs = await allDefs();
      assertOrder(defs.map((d) => d.id), ids);
      await db.transaction(async (tx) => {
        for (const [index, id] of ids.entries()) await models.CustomerFieldDef.update({ sort_order: index }, { where: { id }, transaction: tx });
        await audit.record({ action: 'customer_field.reordered', targetType: 'customer_field', before: { order: defs.map((d) => d.key) }, after: { order: ids.map((id) => defs.find((d) => d.id === id)?.key) } }, tx);
      });
      return allDefs();
    },

    /** Sets some of a customer's custom field values (null or empty clears one), validated against the definitions. */
    async setValues(actor: Actor, customerId: number, change: Record<string, unknown>) {
      const defs = await allDefs();
      return db.transaction(async (tx) => {
        const row = await customers.byId(actor, customerId, tx);
        const current = parseCustomFields(row.custom_fields);
        const { values, changed } = applyFieldValues(defs, current, change);
        if (changed.length) {
          await models.Customer.update({ custom_fields: JSON.stringify(values) }, { where: { id: customerId }, transaction: tx });
          const labels = changed.map((key) => defs.find((d) => d.key === key)?.label ?? key);
          const diff = Object.fromEntries(changed.map((key) => [key, { from: current[key] ?? null, to: values[key] ?? null }]));
          await timeline.record(
            { customerId, storeId: row.store_id, kind: 'customer.fields_changed', summary: `修改了自定义字段：${labels.join('、')}`, payload: { fields: diff }, actorUserId: actor.userId },
            tx,
          );
          const pick = (source: Record<string, unknown>) => Object.fromEntries(changed.map((key) => [key, source[key] ?? null]));
          await audit.record({ action: 'customer.fields_changed', targetType: 'customer', targetId: customerId, storeId: row.store_id, before: pick(current), after: pick(values) }, tx);
        }
        return defs.map((def) => ({ key: def.key, label: def.label, type: def.type, options: def.options, required: def.required, value: (values[def.key] ?? null) as never }));
      });
    },
  };
}

export type CustomerFieldsService = ReturnType<typeof createCustomerFieldsService>;
