import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { assertStoreInScope, withinScope, type ScopeColumns } from '../access/data-scope';
import type { AuditService } from '../audit/audit.service';
import type { FlowsPort } from '../work-orders/work-order.ports';
import type { OrderRuleRow, OrderShopRow } from './order.models';
import type { RuleConditions, RuleInput, ServiceItemMapping, ShopInput } from './order.schemas';

const presentRule = (r: OrderRuleRow) => ({
  id: Number(r.id),
  name: r.name,
  priority: Number(r.priority),
  enabled: Boolean(r.enabled),
  conditions: JSON.parse(r.conditions) as RuleConditions,
  flowCode: r.flow_code,
  storeStrategy: r.store_strategy,
  storeId: r.store_id === null ? null : Number(r.store_id),
  serviceItems: JSON.parse(r.service_items) as ServiceItemMapping[],
});
const presentShop = (s: OrderShopRow) => ({ id: Number(s.id), platform: s.platform, shopId: s.shop_id, name: s.name, defaultStoreId: s.default_store_id === null ? null : Number(s.default_store_id) });

/** A shop belongs to its default store for data scopes. */
const shopScope: ScopeColumns = { store: 'default_store_id' };

/** Order rules (which paid orders become which work orders, where), platform shops and store positions. */
export function createOrderRuleService(deps: { db: Database; models: Models; audit: AuditService; flows: FlowsPort }) {
  const { db, models, audit } = deps;

  async function checkReferences(input: { flowCode?: string; storeId?: number | null }, pathOf: (field: string) => string) {
    if (input.flowCode !== undefined && !(await deps.flows.latestVersion(input.flowCode).catch(() => null))) {
      throw new AppError('VALIDATION_FAILED', `flow ${input.flowCode} has no published version`, [{ path: pathOf('flowCode'), message: 'no published flow with this code' }]);
    }
    if (input.storeId && !(await models.Store.findByPk(input.storeId, { attributes: ['id'], raw: true }))) {
      throw new AppError('VALIDATION_FAILED', `store ${input.storeId} not found`, [{ path: pathOf('storeId'), message: 'no such store' }]);
    }
  }

  const columns = (input: RuleInput) => ({
    name: input.name,
    priority: input.priority,
    enabled: input.enabled,
    conditions: JSON.stringify(input.conditions),
    flow_code: input.flowCode,
    store_strategy: input.storeStrategy,
    store_id: input.storeStrategy === 'fixed' ? input.storeId : null,
    service_items: JSON.stringify(input.serviceItems),
  });

  return {
    async listRules() {
      return (await models.OrderRule.findAll({ order: [['priority', 'ASC'], ['id', 'ASC']], raw: true })).map(presentRule);
    },

    async createRule(input: RuleInput) {
      await checkReferences(input, (f) => `body.${f}`);
      return db.transaction(async (tx) => {
        const row = (await models.OrderRule.create(columns(input), { transaction: tx })).get({ plain: true }) as OrderRuleRow;
        await audit.record({ action: 'order_rule.created', targetType: 'order_rule', targetId: row.id, after: presentRule(row) }, tx);
        return presentRule(row);
      });
    },

    async updateRule(id: number, input: RuleInput) {
      await checkReferences(input, (f) => `body.${f}`);
      return db.transaction(async (tx) => {
        const before = await models.OrderRule.findByPk(id, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
        if (!before) throw notFound('order rule', id);
        await models.OrderRule.update(columns(input), { where: { id }, transaction: tx });
        const after = { ...before, ...columns(input) } as OrderRuleRow;
        await audit.record({ action: 'order_rule.updated', targetType: 'order_rule', targetId: id, before: presentRule(before), after: presentRule(after) }, tx);
        return presentRule(after);
      });
    },

    async removeRule(id: number) {
      await db.transaction(async (tx) => {
        const before = await models.OrderRule.findByPk(id, { raw: true, transaction: tx });
        if (!before) throw notFound('order rule', id);
        await models.OrderRule.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'order_rule.deleted', targetType: 'order_rule', targetId: id, before: presentRule(before) }, tx);
      });
    },

    /** Categories and SKUs of recent orders, offered by the rule editor's pickers. */
    async seenItems() {
      const recent = await models.Order.findAll({ attributes: ['items'], order: [['id', 'DESC']], limit: 500, raw: true });
      const items = recent.flatMap((r) => JSON.parse(r.items) as Array<{ sku: string; category?: string }>);
      const distinct = (values: Array<string | undefined>) => [...new Set(values.filter((v): v is string => Boolean(v)))].sort().slice(0, 200);
      return { categories: distinct(items.map((i) => i.category)), skus: distinct(items.map((i) => i.sku)) };
    },

    /** Shops whose default store is in the caller's data scope (all shops for an all-stores scope). */
    async listShops(actor: Actor) {
      return (await models.OrderShop.findAll({ where: withinScope(actor, shopScope), order: [['platform', 'ASC'], ['shop_id', 'ASC']], raw: true })).map(presentShop);
    },

    /** Creates or changes the shop (platform, shopId) and its default store; both stores (before and after) must be in the caller's scope. */
    async saveShop(actor: Actor, input: ShopInput) {
      await checkReferences({ storeId: input.defaultStoreId }, () => 'body.defaultStoreId');
      if (input.defaultStoreId !== null) assertStoreInScope(actor, input.defaultStoreId, 'body.defaultStoreId');
      else if (actor.storeIds !== null) throw new AppError('FORBIDDEN', 'only a user who sees every store may leave a shop without a default store', [{ path: 'body.defaultStoreId', message: 'choose one of your stores' }]);
      return db.transaction(async (tx) => {
        const before = await models.OrderShop.findOne({ where: { platform: input.platform, shop_id: input.shopId }, raw: true, transaction: tx });
        if (before && !(await models.OrderShop.count({ where: withinScope(actor, shopScope, { id: before.id }), transaction: tx }))) {
          throw new AppError('FORBIDDEN', `shop ${input.platform}/${input.shopId} belongs to a store outside your data scope`, [{ path: 'body.shopId', message: 'outside your data scope' }]);
        }
        const values = { platform: input.platform, shop_id: input.shopId, name: input.name, default_store_id: input.defaultStoreId };
        if (before) await models.OrderShop.update(values, { where: { id: before.id }, transaction: tx });
        const id = before ? Number(before.id) : Number((await models.OrderShop.create(values, { transaction: tx })).get('id'));
        const after = presentShop({ ...(before ?? ({} as OrderShopRow)), ...values, id });
        await audit.record({ action: before ? 'order_shop.updated' : 'order_shop.created', targetType: 'order_shop', targetId: id, storeId: input.defaultStoreId, before: before ? presentShop(before) : null, after }, tx);
        return after;
      });
    },

    async listStorePositions() {
      const stores = await models.Store.findAll({ attributes: ['id', 'code', 'name', 'lat', 'lng'], order: [['id', 'ASC']], raw: true });
      return stores.map((s) => ({ id: Number(s.id), code: s.code, name: s.name, lat: s.lat === null ? null : Number(s.lat), lng: s.lng === null ? null : Number(s.lng) }));
    },

    async setStorePosition(storeId: number, position: { lat: number | null; lng: number | null }) {
      return db.transaction(async (tx) => {
        const before = await models.Store.findByPk(storeId, { raw: true, transaction: tx });
        if (!before) throw notFound('store', storeId);
        await models.Store.update(position, { where: { id: storeId }, transaction: tx });
        await audit.record({ action: 'store.position_changed', targetType: 'store', targetId: storeId, storeId, before: { lat: before.lat, lng: before.lng }, after: position }, tx);
        return { id: storeId, code: before.code, name: before.name, ...position };
      });
    },
  };
}

export type OrderRuleService = ReturnType<typeof createOrderRuleService>;
