/** The permission catalogue, shared by server checks, role editing and console menus. */
export const permissionCatalogue = [
  { code: 'org:read', group: 'org', title: { 'zh-CN': '查看区域与门店', 'en-US': 'View regions and stores' } },
  { code: 'org:write', group: 'org', title: { 'zh-CN': '管理区域与门店', 'en-US': 'Manage regions and stores' } },
  { code: 'user:read', group: 'user', title: { 'zh-CN': '查看用户', 'en-US': 'View users' } },
  { code: 'user:write', group: 'user', title: { 'zh-CN': '管理用户', 'en-US': 'Manage users' } },
  { code: 'role:read', group: 'user', title: { 'zh-CN': '查看角色', 'en-US': 'View roles' } },
  { code: 'role:write', group: 'user', title: { 'zh-CN': '管理角色', 'en-US': 'Manage roles' } },
  { code: 'customer:read', group: 'customer', title: { 'zh-CN': '查看客户', 'en-US': 'View customers' } },
  { code: 'customer:write', group: 'customer', title: { 'zh-CN': '编辑客户', 'en-US': 'Edit customers' } },
  { code: 'customer:pii:read', group: 'customer', title: { 'zh-CN': '查看客户完整手机号与地址', 'en-US': 'See full customer phone and address' } },
  { code: 'customer:export', group: 'customer', title: { 'zh-CN': '导出客户', 'en-US': 'Export customers' } },
  { code: 'customer:import', group: 'customer', title: { 'zh-CN': '导入客户', 'en-US': 'Import customers' } },
  { code: 'customer:merge', group: 'customer', title: { 'zh-CN': '合并重复客户', 'en-US': 'Merge duplicate customers' } },
  { code: 'customer:handover', group: 'customer', title: { 'zh-CN': '客户与客户群继承（离职/在职）', 'en-US': 'Hand over customers and groups' } },
  { code: 'customer:config', group: 'customer', title: { 'zh-CN': '管理标签、客户阶段与自定义字段', 'en-US': 'Manage tags, stages and custom fields' } },
  { code: 'directory:manage', group: 'system', title: { 'zh-CN': '通讯录同步与部门门店映射', 'en-US': 'Directory sync and department mapping' } },
  { code: 'workorder:read', group: 'workorder', title: { 'zh-CN': '查看工单', 'en-US': 'View work orders' } },
  { code: 'workorder:write', group: 'workorder', title: { 'zh-CN': '处理工单', 'en-US': 'Handle work orders' } },
  { code: 'workorder:assign', group: 'workorder', title: { 'zh-CN': '派单', 'en-US': 'Assign work orders' } },
  { code: 'workflow:manage', group: 'workorder', title: { 'zh-CN': '管理工单流程与工作日历', 'en-US': 'Manage flows and business calendars' } },
  { code: 'order:read', group: 'order', title: { 'zh-CN': '查看电商订单', 'en-US': 'View shop orders' } },
  { code: 'order:manage', group: 'order', title: { 'zh-CN': '管理订单规则', 'en-US': 'Manage order rules' } },
  { code: 'settlement:read', group: 'settlement', title: { 'zh-CN': '查看结算', 'en-US': 'View settlement' } },
  { code: 'settlement:write', group: 'settlement', title: { 'zh-CN': '管理结算规则、收款方与争议', 'en-US': 'Manage settlement rules, payees and disputes' } },
  { code: 'settlement:close', group: 'settlement', title: { 'zh-CN': '结算关账', 'en-US': 'Close settlement periods' } },
  { code: 'archive:read', group: 'archive', title: { 'zh-CN': '查看与搜索会话存档', 'en-US': 'View and search the chat archive' } },
  { code: 'archive:manage', group: 'archive', title: { 'zh-CN': '管理会话存档设置、密钥与合规规则', 'en-US': 'Manage chat archive settings, keys and compliance rules' } },
  { code: 'engagement:read', group: 'engagement', title: { 'zh-CN': '查看客户运营（渠道活码、群发、自动化、旅程）', 'en-US': 'View engagement (contact ways, mass messages, automation, journeys)' } },
  { code: 'engagement:manage', group: 'engagement', title: { 'zh-CN': '管理渠道活码、群发消息与自动化规则', 'en-US': 'Manage contact ways, mass messages and automation rules' } },
  { code: 'audit:read', group: 'system', title: { 'zh-CN': '查看审计日志', 'en-US': 'View the audit trail' } },
  { code: 'job:read', group: 'system', title: { 'zh-CN': '查看后台任务', 'en-US': 'View background jobs' } },
  { code: 'job:retry', group: 'system', title: { 'zh-CN': '重试后台任务', 'en-US': 'Retry background jobs' } },
  { code: 'system:settings', group: 'system', title: { 'zh-CN': '管理系统设置与企业微信对接', 'en-US': 'Manage settings and the WeCom connection' } },
  { code: 'plugin:manage', group: 'system', title: { 'zh-CN': '管理插件', 'en-US': 'Manage plugins' } },
] as const;

export type Permission = (typeof permissionCatalogue)[number]['code'];

export const allPermissions: Permission[] = permissionCatalogue.map((p) => p.code);

const known = new Set<string>(allPermissions);
export const isPermission = (code: string): code is Permission => known.has(code);
