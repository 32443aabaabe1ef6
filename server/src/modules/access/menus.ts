import { can, type Actor } from './actor';
import type { Permission } from './permissions';

export interface LocalizedText {
  'zh-CN': string;
  'en-US': string;
}

export interface MenuDefinition {
  key: string;
  title: LocalizedText;
  path?: string;
  icon?: string;
  /** View key the console maps to a page. */
  component?: string;
  permission?: Permission;
  order: number;
  /** Routed but not shown in the navigation (detail pages reached from a list). */
  hidden?: boolean;
  children?: MenuDefinition[];
}

export interface MenuItem {
  key: string;
  title: LocalizedText;
  path?: string;
  icon?: string;
  component?: string;
  hidden?: boolean;
  children?: MenuItem[];
}

/** Menus that change while the server runs (the pages of enabled plugins), read on every request. */
export type MenuSource = () => Promise<MenuDefinition[]>;

/** Console menus live on the server so that permissions decide them and plugins can add pages. */
export function createMenuRegistry(initial: MenuDefinition[] = []) {
  const menus: MenuDefinition[] = [...initial];
  const sources: MenuSource[] = [];

  const visible = (items: MenuDefinition[], actor: Actor): MenuItem[] =>
    [...items]
      .sort((a, b) => a.order - b.order)
      .filter((item) => !item.permission || can(actor, item.permission))
      .map(({ permission: _permission, order: _order, children, ...item }): MenuItem => (children ? { ...item, children: visible(children, actor) } : item))
      .filter((item: MenuItem) => !item.children || item.children.length > 0);

  return {
    add(menu: MenuDefinition): void {
      if (menus.some((m) => m.key === menu.key)) throw new Error(`menu ${menu.key} is already registered`);
      menus.push(menu);
    },
    addSource(source: MenuSource): void {
      sources.push(source);
    },
    async visibleTo(actor: Actor): Promise<MenuItem[]> {
      const added = (await Promise.all(sources.map((source) => source()))).flat();
      return visible([...menus, ...added], actor);
    },
  };
}

export type MenuRegistry = ReturnType<typeof createMenuRegistry>;

export const coreMenus: MenuDefinition[] = [
  { key: 'dashboard', order: 0, title: { 'zh-CN': '工作台', 'en-US': 'Dashboard' }, path: '/dashboard', icon: 'Odometer', component: 'dashboard' },
  {
    key: 'customer-center',
    order: 10,
    title: { 'zh-CN': '客户中心', 'en-US': 'Customers' },
    icon: 'User',
    children: [
      { key: 'customers', order: 1, title: { 'zh-CN': '客户列表', 'en-US': 'Customer list' }, path: '/customers', component: 'customers', permission: 'customer:read' },
      { key: 'customer-detail', order: 1.5, title: { 'zh-CN': '客户详情', 'en-US': 'Customer details' }, path: '/customers/:id', component: 'customer-detail', permission: 'customer:read', hidden: true },
      { key: 'customer-tags', order: 2, title: { 'zh-CN': '客户标签', 'en-US': 'Tags' }, path: '/customer/tags', component: 'customer-tags', permission: 'customer:read' },
      { key: 'group-chats', order: 3, title: { 'zh-CN': '客户群', 'en-US': 'Group chats' }, path: '/customer/groups', component: 'group-chats', permission: 'customer:read' },
      { key: 'lost-customers', order: 4, title: { 'zh-CN': '流失客户', 'en-US': 'Lost customers' }, path: '/customer/lost', component: 'lost-customers', permission: 'customer:read' },
      { key: 'customer-handover', order: 5, title: { 'zh-CN': '客户继承', 'en-US': 'Handover' }, path: '/customer/handover', component: 'customer-handover', permission: 'customer:handover' },
      { key: 'customer-import', order: 6, title: { 'zh-CN': '导入导出', 'en-US': 'Import and export' }, path: '/customer/import', component: 'customer-import', permission: 'customer:import' },
      { key: 'chat-archive', order: 8, title: { 'zh-CN': '会话存档', 'en-US': 'Chat archive' }, path: '/customer/chat-archive', component: 'chat-archive', permission: 'archive:read' },
      { key: 'chat-archive-compliance', order: 8.5, title: { 'zh-CN': '合规告警', 'en-US': 'Compliance alerts' }, path: '/customer/chat-archive-compliance', component: 'chat-archive-compliance', permission: 'archive:read' },
      { key: 'customer-settings', order: 7, title: { 'zh-CN': '阶段与自定义字段', 'en-US': 'Stages and fields' }, path: '/customer/settings', component: 'customer-settings', permission: 'customer:config' },
    ],
  },
  {
    key: 'work-order-center',
    order: 20,
    title: { 'zh-CN': '工单中心', 'en-US': 'Work orders' },
    icon: 'Tickets',
    children: [
      { key: 'work-orders', order: 1, title: { 'zh-CN': '工单列表', 'en-US': 'Work order list' }, path: '/work-orders', component: 'work-orders', permission: 'workorder:read' },
      { key: 'work-order-detail', order: 1.5, title: { 'zh-CN': '工单详情', 'en-US': 'Work order details' }, path: '/work-orders/:id', component: 'work-order-detail', permission: 'workorder:read', hidden: true },
      { key: 'flows', order: 2, title: { 'zh-CN': '流程配置', 'en-US': 'Flows' }, path: '/work-orders/flows', component: 'flows', permission: 'workflow:manage' },
      { key: 'business-calendars', order: 3, title: { 'zh-CN': '工作日历', 'en-US': 'Business calendars' }, path: '/work-orders/calendars', component: 'business-calendars', permission: 'workflow:manage' },
    ],
  },
  {
    key: 'order-center',
    order: 25,
    title: { 'zh-CN': '订单中心', 'en-US': 'Shop orders' },
    icon: 'ShoppingCart',
    children: [
      { key: 'orders', order: 1, title: { 'zh-CN': '电商订单', 'en-US': 'Orders' }, path: '/orders', component: 'orders', permission: 'order:read' },
      { key: 'order-rules', order: 2, title: { 'zh-CN': '订单规则', 'en-US': 'Order rules' }, path: '/orders/rules', component: 'order-rules', permission: 'order:manage' },
      { key: 'order-shops', order: 3, title: { 'zh-CN': '店铺与默认门店', 'en-US': 'Shops' }, path: '/orders/shops', component: 'order-shops', permission: 'order:manage' },
      { key: 'order-inbox', order: 4, title: { 'zh-CN': '订单消息', 'en-US': 'Order messages' }, path: '/orders/inbox', component: 'order-inbox', permission: 'order:manage' },
    ],
  },
  {
    key: 'engagement-center',
    order: 15,
    title: { 'zh-CN': '客户运营', 'en-US': 'Engagement' },
    icon: 'Promotion',
    children: [
      { key: 'engagement-contact-ways', order: 1, title: { 'zh-CN': '渠道活码', 'en-US': 'Channel QR codes' }, path: '/engagement/contact-ways', component: 'engagement-contact-ways', permission: 'engagement:read' },
      { key: 'engagement-mass-messages', order: 2, title: { 'zh-CN': '群发消息', 'en-US': 'Mass messages' }, path: '/engagement/mass-messages', component: 'engagement-mass-messages', permission: 'engagement:read' },
      { key: 'engagement-rules', order: 3, title: { 'zh-CN': '自动化规则', 'en-US': 'Automation rules' }, path: '/engagement/rules', component: 'engagement-rules', permission: 'engagement:read' },
      { key: 'engagement-journey', order: 5, title: { 'zh-CN': '客户旅程', 'en-US': 'Customer journey' }, path: '/engagement/journey', component: 'engagement-journey', permission: 'engagement:read' },
      { key: 'engagement-tasks', order: 4, title: { 'zh-CN': '跟进任务', 'en-US': 'Follow-up tasks' }, path: '/engagement/tasks', component: 'engagement-tasks', permission: 'customer:read' },
    ],
  },
  {
    key: 'settlement-center',
    order: 30,
    title: { 'zh-CN': '结算中心', 'en-US': 'Settlement' },
    icon: 'Money',
    children: [
      { key: 'settlement-periods', order: 1, title: { 'zh-CN': '结算周期与对账单', 'en-US': 'Periods and statements' }, path: '/settlement/periods', component: 'settlement-periods', permission: 'settlement:read' },
      { key: 'settlement-statement', order: 1.5, title: { 'zh-CN': '对账单详情', 'en-US': 'Statement details' }, path: '/settlement/statements/:id', component: 'settlement-statement', permission: 'settlement:read', hidden: true },
      { key: 'settlement-rules', order: 2, title: { 'zh-CN': '结算规则', 'en-US': 'Rule sets' }, path: '/settlement/rules', component: 'settlement-rules', permission: 'settlement:write' },
      { key: 'settlement-disputes', order: 3, title: { 'zh-CN': '争议处理', 'en-US': 'Disputes' }, path: '/settlement/disputes', component: 'settlement-disputes', permission: 'settlement:read' },
      { key: 'settlement-reports', order: 4, title: { 'zh-CN': '结算报表', 'en-US': 'Reports' }, path: '/settlement/reports', component: 'settlement-reports', permission: 'settlement:read' },
      { key: 'settlement-payees', order: 5, title: { 'zh-CN': '收款方', 'en-US': 'Payees' }, path: '/settlement/payees', component: 'settlement-payees', permission: 'settlement:write' },
    ],
  },
  {
    key: 'organisation',
    order: 80,
    title: { 'zh-CN': '组织与权限', 'en-US': 'Organisation' },
    icon: 'OfficeBuilding',
    children: [
      { key: 'regions', order: 1, title: { 'zh-CN': '区域', 'en-US': 'Regions' }, path: '/org/regions', component: 'regions', permission: 'org:read' },
      { key: 'stores', order: 2, title: { 'zh-CN': '门店', 'en-US': 'Stores' }, path: '/org/stores', component: 'stores', permission: 'org:read' },
      { key: 'users', order: 3, title: { 'zh-CN': '用户', 'en-US': 'Users' }, path: '/org/users', component: 'users', permission: 'user:read' },
      { key: 'roles', order: 4, title: { 'zh-CN': '角色与权限', 'en-US': 'Roles' }, path: '/org/roles', component: 'roles', permission: 'role:read' },
    ],
  },
  {
    key: 'system',
    order: 90,
    title: { 'zh-CN': '系统', 'en-US': 'System' },
    icon: 'Setting',
    children: [
      { key: 'audit', order: 1, title: { 'zh-CN': '审计日志', 'en-US': 'Audit trail' }, path: '/system/audit', component: 'audit', permission: 'audit:read' },
      { key: 'jobs', order: 2, title: { 'zh-CN': '后台任务', 'en-US': 'Background jobs' }, path: '/system/jobs', component: 'jobs', permission: 'job:read' },
      { key: 'wecom-settings', order: 3, title: { 'zh-CN': '企业微信设置', 'en-US': 'WeCom settings' }, path: '/system/wecom', component: 'wecom-settings', permission: 'system:settings' },
      { key: 'wecom-directory', order: 5, title: { 'zh-CN': '通讯录与部门映射', 'en-US': 'Directory and mapping' }, path: '/system/wecom-directory', component: 'wecom-directory', permission: 'directory:manage' },
      { key: 'wecom-sync', order: 6, title: { 'zh-CN': '同步状态', 'en-US': 'Sync status' }, path: '/system/wecom-sync', component: 'wecom-sync', permission: 'directory:manage' },
      { key: 'wecom-callbacks', order: 4, title: { 'zh-CN': '企业微信回调', 'en-US': 'WeCom callbacks' }, path: '/system/wecom-callbacks', component: 'wecom-callbacks', permission: 'system:settings' },
      { key: 'chat-archive-settings', order: 6.5, title: { 'zh-CN': '会话存档设置', 'en-US': 'Chat archive settings' }, path: '/system/chat-archive', component: 'chat-archive-settings', permission: 'archive:manage' },
      { key: 'plugins', order: 7, title: { 'zh-CN': '插件管理', 'en-US': 'Plugins' }, path: '/system/plugins', component: 'plugins', permission: 'plugin:manage' },
    ],
  },
];
