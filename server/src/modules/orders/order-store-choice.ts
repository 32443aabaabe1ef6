import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import { distanceMeters } from '../work-orders/geo';
import type { OrderRow, OrderRuleRow } from './order.models';

export type StoreChoice = { storeId: number; how: string } | { storeId: null; why: string };

/** The store that serves an order under a rule: fixed, the shop's default, or the store nearest the buyer. */
export function createStoreChoice(models: Models) {
  async function shopDefault(order: OrderRow): Promise<number | null> {
    const shop = await models.OrderShop.findOne({ where: { platform: order.platform, shop_id: order.shop_id }, raw: true });
    return shop?.default_store_id ? Number(shop.default_store_id) : null;
  }

  async function nearest(order: OrderRow): Promise<{ id: number; km: number } | null> {
    if (order.lat === null || order.lng === null) return null;
    const stores = await models.Store.findAll({ where: { lat: { [Op.ne]: null }, lng: { [Op.ne]: null } }, attributes: ['id', 'lat', 'lng'], raw: true });
    const buyer = { lat: Number(order.lat), lng: Number(order.lng) };
    const ranked = stores.map((s) => ({ id: Number(s.id), km: distanceMeters(buyer, { lat: Number(s.lat), lng: Number(s.lng) }) / 1000 })).sort((a, b) => a.km - b.km);
    return ranked[0] ?? null;
  }

  return async function choose(order: OrderRow, rule: OrderRuleRow): Promise<StoreChoice> {
    if (rule.store_strategy === 'fixed' && rule.store_id !== null) return { storeId: Number(rule.store_id), how: 'fixed' };
    if (rule.store_strategy === 'nearest') {
      const found = await nearest(order);
      if (found) return { storeId: found.id, how: `nearest (${found.km.toFixed(1)} km)` };
    }
    const fallback = await shopDefault(order);
    if (fallback !== null) return { storeId: fallback, how: 'shop default' };
    return { storeId: null, why: rule.store_strategy === 'nearest' ? 'no buyer position or store positions, and the shop has no default store' : 'the shop has no default store' };
  };
}
