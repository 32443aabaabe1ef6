import type { Component } from 'vue';

export type ViewLoader = () => Promise<Component | { default: Component }>;

/**
 * View keys the server may put in `Menu.component`, mapped to lazily loaded pages.
 * A key that is not here (for example a page a newer plugin declares) renders the
 * generic "page not available" view instead of breaking the console.
 */
const viewLoaders = new Map<string, ViewLoader>([
  ['dashboard', () => import('@/views/dashboard/index.vue')],
  ['regions', () => import('@/views/regions/index.vue')],
  ['stores', () => import('@/views/stores/index.vue')],
  ['users', () => import('@/views/users/index.vue')],
  ['roles', () => import('@/views/roles/index.vue')],
  ['customers', () => import('@/views/customers/index.vue')],
  ['customer-detail', () => import('@/views/customer-detail/index.vue')],
  ['customer-tags', () => import('@/views/customer-tags/index.vue')],
  ['group-chats', () => import('@/views/group-chats/index.vue')],
  ['lost-customers', () => import('@/views/lost-customers/index.vue')],
  ['customer-handover', () => import('@/views/customer-handover/index.vue')],
  ['customer-import', () => import('@/views/customer-import/index.vue')],
  ['customer-settings', () => import('@/views/customer-settings/index.vue')],
  ['wecom-directory', () => import('@/views/wecom-directory/index.vue')],
  ['wecom-sync', () => import('@/views/wecom-sync/index.vue')],
  ['work-orders', () => import('@/views/work-orders/index.vue')],
  ['work-order-detail', () => import('@/views/work-order-detail/index.vue')],
  ['flows', () => import('@/views/flows/index.vue')],
  ['business-calendars', () => import('@/views/business-calendars/index.vue')],
  ['orders', () => import('@/views/orders/index.vue')],
  ['engagement-contact-ways', () => import('@/views/engagement-contact-ways/index.vue')],
  ['engagement-mass-messages', () => import('@/views/engagement-mass-messages/index.vue')],
  ['engagement-rules', () => import('@/views/engagement-rules/index.vue')],
  ['engagement-journey', () => import('@/views/engagement-journey/index.vue')],
  ['engagement-tasks', () => import('@/views/engagement-tasks/index.vue')],
  ['order-rules', () => import('@/views/order-rules/index.vue')],
  ['order-shops', () => import('@/views/order-shops/index.vue')],
  ['order-inbox', () => import('@/views/order-inbox/index.vue')],
  ['settlement-periods', () => import('@/views/settlement-periods/index.vue')],
  ['settlement-statement', () => import('@/views/settlement-statement/index.vue')],
  ['settlement-rules', () => import('@/views/settlement-rules/index.vue')],
  ['settlement-disputes', () => import('@/views/settlement-disputes/index.vue')],
  ['settlement-reports', () => import('@/views/settlement-reports/index.vue')],
  ['settlement-payees', () => import('@/views/settlement-payees/index.vue')],
  ['audit', () => import('@/views/audit/index.vue')],
  ['jobs', () => import('@/views/jobs/index.vue')],
  ['plugins', () => import('@/views/plugins/index.vue')],
  ['plugin-page', () => import('@/views/plugin-page/index.vue')],
  ['chat-archive', () => import('@/views/chat-archive/index.vue')],
  ['chat-archive-compliance', () => import('@/views/chat-archive-compliance/index.vue')],
  ['chat-archive-settings', () => import('@/views/chat-archive-settings/index.vue')],
  ['wecom-settings', () => import('@/views/wecom-settings/index.vue')],
  ['wecom-callbacks', () => import('@/views/wecom-callbacks/index.vue')],
]);

/** Let code loaded at run time (a plugin bundle) contribute a page for a view key. */
export function registerView(key: string, loader: ViewLoader): void {
  viewLoaders.set(key, loader);
}

export function resolveView(key: string | undefined): ViewLoader | undefined {
  if (!key) return undefined;
  // accept 'customers', 'customers/index', '/views/customers/index.vue' style keys
  const normalized = key
    .replace(/^\/?(views\/)?/, '')
    .replace(/(\/index)?(\.vue)?$/, '')
    .trim();
  return viewLoaders.get(normalized) ?? viewLoaders.get(key);
}

export const notAvailableView: ViewLoader = () => import('@/views/fallback/NotAvailable.vue');
