import { http } from './request';

/** A platform shop and its default store: where its orders go when the buyer's nearest store is unknown. */
export interface OrderShop {
  id: number;
  platform: string;
  shopId: string;
  name: string;
  defaultStoreId: number | null;
}
export type OrderShopInput = Omit<OrderShop, 'id'>;

/** Shops in your data scope. */
export const listOrderShops = () => http.get<OrderShop[]>('/api/order-shops');
/** Adds the shop, or changes the one with this platform and shop id. */
export const saveOrderShop = (body: OrderShopInput) => http.put<OrderShop>('/api/order-shops', body);

/** The offline demo (sandbox mode): simulated platforms that push orders on demand. */
export interface DemoOrderStatus {
  running: boolean;
  platforms: string[];
}
export const demoOrderStatus = () => http.get<DemoOrderStatus>('/api/demo/orders', undefined, { silent: true });
export const placeDemoOrder = (platform: string) => http.post<{ platform: string; platformOrderId: string; arrives: 'now' | 'next_pull' }>('/api/demo/orders', { platform });
