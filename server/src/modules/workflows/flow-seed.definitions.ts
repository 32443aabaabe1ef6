import type { FlowDefinition } from './flow-definition';

const hours = (n: number) => n * 60;
/** Remind the assignee at 80 % of the limit, tell the store manager at 100 %. */
const usualEscalations = [
  { atPercent: 80, action: 'remind_assignee' as const },
  { atPercent: 100, action: 'notify_store_manager' as const },
];

/** Smart-home installation: 需求确认 → 配件调拨 → 工程师匹配 → 上门预约 → 验收拍照. */
const installation: FlowDefinition = {
  start: 'confirm',
  nodes: [
    {
      key: 'confirm',
      name: '需求确认',
      type: 'task',
      assignee: { strategy: 'role', roleCode: 'store_staff' },
      form: {
        fields: [
          { key: 'install_items', label: '安装项目', type: 'text', required: true },
          { key: 'needs_parts', label: '需要调拨配件', type: 'boolean', required: true },
        ],
        minPhotos: 0,
        signature: false,
        partsList: false,
      },
      timeLimit: { minutes: hours(48), calendar: 'default' },
      escalations: [...usualEscalations, { atPercent: 150, action: 'escalate', toRoleCode: 'region_manager' }],
      edges: [
        { to: 'match', priority: 10, isDefault: false, condition: { all: [{ fact: 'form', path: '$.needs_parts', operator: 'equal', value: false }] } },
        { to: 'parts', priority: 20, isDefault: true },
      ],
    },
    {
      key: 'parts',
      name: '配件调拨',
      type: 'task',
      assignee: { strategy: 'store_manager' },
      form: { fields: [], minPhotos: 0, signature: false, partsList: true },
      timeLimit: { minutes: hours(24), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'match', priority: 0, isDefault: false }],
    },
    {
      key: 'match',
      name: '工程师匹配',
      type: 'task',
      assignee: { strategy: 'nearest', roleCode: 'technician', skills: ['install'], maxKm: 50 },
      timeLimit: { minutes: hours(4), calendar: 'default' },
      escalations: [...usualEscalations, { atPercent: 100, action: 'reassign', toRoleCode: 'technician' }],
      edges: [{ to: 'visit', priority: 0, isDefault: false }],
    },
    {
      key: 'visit',
      name: '上门预约',
      type: 'task',
      assignee: { strategy: 'role', roleCode: 'technician' },
      form: { fields: [{ key: 'visit_at', label: '预约上门时间', type: 'date', required: true }], minPhotos: 0, signature: false, checkInWithinMeters: 500, partsList: false },
      timeLimit: { minutes: hours(24), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'acceptance', priority: 0, isDefault: false }],
    },
    {
      key: 'acceptance',
      name: '验收拍照',
      type: 'task',
      assignee: { strategy: 'role', roleCode: 'technician' },
      form: { fields: [{ key: 'satisfaction', label: '客户满意度', type: 'select', required: true, options: ['满意', '一般', '不满意'] }], minPhotos: 2, signature: true, partsList: false },
      timeLimit: { minutes: hours(8), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'done', priority: 0, isDefault: false }],
    },
    { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
  ],
};

/** Repair: diagnosis, a quote approval for expensive out-of-warranty repairs, the repair itself. */
const repair: FlowDefinition = {
  start: 'diagnose',
  nodes: [
    {
      key: 'diagnose',
      name: '故障诊断',
      type: 'task',
      assignee: { strategy: 'pool', roleCode: 'technician' },
      form: {
        fields: [
          { key: 'fault_type', label: '故障类型', type: 'select', required: true, options: ['电气', '机械', '软件', '其他'] },
          { key: 'under_warranty', label: '在保修期内', type: 'boolean', required: true },
        ],
        minPhotos: 1,
        signature: false,
        checkInWithinMeters: 500,
        partsList: false,
      },
      timeLimit: { minutes: hours(24), calendar: 'default' },
      escalations: usualEscalations,
      edges: [
        { to: 'quote', priority: 10, isDefault: false, condition: { all: [{ fact: 'form', path: '$.under_warranty', operator: 'equal', value: false }, { fact: 'order', path: '$.amountFen', operator: 'greaterThanInclusive', value: 100000 }] } },
        { to: 'repair', priority: 20, isDefault: true },
      ],
    },
    {
      key: 'quote',
      name: '报价审批',
      type: 'approval',
      assignee: { strategy: 'store_manager' },
      form: { fields: [{ key: 'approved', label: '同意报价', type: 'boolean', required: true }], minPhotos: 0, signature: false, partsList: false },
      timeLimit: { minutes: hours(8), calendar: 'default' },
      escalations: usualEscalations,
      edges: [
        { to: 'repair', priority: 10, isDefault: false, condition: { all: [{ fact: 'form', path: '$.approved', operator: 'equal', value: true }] } },
        { to: 'done', priority: 20, isDefault: true },
      ],
    },
    {
      key: 'repair',
      name: '上门维修',
      type: 'task',
      assignee: { strategy: 'role', roleCode: 'technician' },
      form: { fields: [], minPhotos: 2, signature: true, checkInWithinMeters: 500, partsList: true },
      timeLimit: { minutes: hours(24), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'done', priority: 0, isDefault: false }],
    },
    { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
  ],
};

/** Return inspection: registration, a quality check, its approval, then refund or send back. */
const returnInspection: FlowDefinition = {
  start: 'register',
  nodes: [
    {
      key: 'register',
      name: '退货登记',
      type: 'task',
      assignee: { strategy: 'role', roleCode: 'store_staff' },
      form: { fields: [{ key: 'reason', label: '退货原因', type: 'select', required: true, options: ['质量问题', '不想要了', '发错货', '其他'] }], minPhotos: 1, signature: false, partsList: false },
      timeLimit: { minutes: hours(24), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'inspect', priority: 0, isDefault: false }],
    },
    {
      key: 'inspect',
      name: '质检',
      type: 'task',
      assignee: { strategy: 'least_open', roleCode: 'technician' },
      form: { fields: [{ key: 'grade', label: '质检结果', type: 'select', required: true, options: ['良品', '轻微瑕疵', '损坏'] }], minPhotos: 3, signature: false, partsList: false },
      timeLimit: { minutes: hours(16), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'qc_approval', priority: 0, isDefault: false }],
    },
    {
      key: 'qc_approval',
      name: '质检审批',
      type: 'approval',
      assignee: { strategy: 'store_manager' },
      form: { fields: [{ key: 'approved', label: '同意退货', type: 'boolean', required: true }], minPhotos: 0, signature: false, partsList: false },
      timeLimit: { minutes: hours(8), calendar: 'default' },
      escalations: [...usualEscalations, { afterMinutes: hours(16), action: 'escalate', toRoleCode: 'region_manager' }],
      edges: [
        { to: 'refund', priority: 10, isDefault: false, condition: { all: [{ fact: 'form', path: '$.approved', operator: 'equal', value: true }] } },
        { to: 'send_back', priority: 20, isDefault: true },
      ],
    },
    {
      key: 'refund',
      name: '退款入库',
      type: 'task',
      assignee: { strategy: 'store_manager' },
      timeLimit: { minutes: hours(24), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'done', priority: 0, isDefault: false }],
    },
    {
      key: 'send_back',
      name: '退回客户',
      type: 'task',
      assignee: { strategy: 'role', roleCode: 'store_staff' },
      form: { fields: [], minPhotos: 1, signature: true, partsList: false },
      timeLimit: { minutes: hours(24), calendar: 'default' },
      escalations: usualEscalations,
      edges: [{ to: 'done', priority: 0, isDefault: false }],
    },
    { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
  ],
};

export const seedFlowDefinitions: Array<{ code: string; name: string; description: string; definition: FlowDefinition }> = [
  { code: 'installation', name: '智能家居安装', description: '需求确认 → 配件调拨 → 工程师匹配 → 上门预约 → 验收拍照', definition: installation },
  { code: 'repair', name: '上门维修', description: '故障诊断 → （过保高额）报价审批 → 上门维修', definition: repair },
  { code: 'return_inspection', name: '退货质检', description: '退货登记 → 质检 → 质检审批 → 退款入库或退回客户', definition: returnInspection },
];
