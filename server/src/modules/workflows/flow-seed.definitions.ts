import type { AssigneeRule, EscalationStep, FlowCondition, FlowDefinition, FlowEdge, FlowNode, FormField, NodeForm } from './flow-definition';

const hours = (n: number) => n * 60;
/** Remind the assignee at 80 % of the limit, tell the store manager at 100 %. */
const usualEscalations = [
  { atPercent: 80, action: 'remind_assignee' as const },
  { atPercent: 100, action: 'notify_store_manager' as const },
];

/** A node form; photos, signature and parts list are off unless asked for. */
function form(fields: FormField[], options: { minPhotos?: number; signature?: boolean; checkInWithinMeters?: number; partsList?: boolean } = {}): NodeForm {
  const { minPhotos = 0, signature = false, checkInWithinMeters, partsList = false } = options;
  return { fields, minPhotos, signature, ...(checkInWithinMeters === undefined ? {} : { checkInWithinMeters }), partsList };
}

/** A task (or approval) node on the default calendar, escalating the usual way unless told otherwise. */
function task(
  key: string,
  name: string,
  options: { type?: 'task' | 'approval'; assignee: AssigneeRule; form?: NodeForm; hours: number; escalations?: EscalationStep[]; edges: FlowEdge[] },
): FlowNode {
  return {
    key,
    name,
    type: options.type ?? 'task',
    assignee: options.assignee,
    ...(options.form === undefined ? {} : { form: options.form }),
    timeLimit: { minutes: hours(options.hours), calendar: 'default' },
    escalations: options.escalations ?? usualEscalations,
    edges: options.edges,
  };
}

/** The closing node every seeded flow ends in. */
const end = (key: string): FlowNode => ({ key, name: '完成', type: 'end', escalations: [], edges: [] });

/** The only way on from a node. */
const edgeTo = (to: string): FlowEdge => ({ to, priority: 0, isDefault: false });
/** The branch taken when `condition` holds. */
const branchTo = (to: string, condition: FlowCondition): FlowEdge => ({ to, priority: 10, isDefault: false, condition });
/** The branch taken otherwise. */
const otherwiseTo = (to: string): FlowEdge => ({ to, priority: 20, isDefault: true });

/** A leaf condition: `fact` at `$.<field>` compared with `value`. */
const fact = (name: 'order' | 'form', field: string, operator: string, value: unknown): FlowCondition => ({ fact: name, path: `$.${field}`, operator, value });

/** Smart-home installation: 需求确认 → 配件调拨 → 工程师匹配 → 上门预约 → 验收拍照. */
const installation: FlowDefinition = {
  start: 'confirm',
  nodes: [
    task('confirm', '需求确认', {
      assignee: { strategy: 'role', roleCode: 'store_staff' },
      form: form([
        { key: 'install_items', label: '安装项目', type: 'text', required: true },
        { key: 'needs_parts', label: '需要调拨配件', type: 'boolean', required: true },
      ]),
      hours: 48,
      escalations: [...usualEscalations, { atPercent: 150, action: 'escalate', toRoleCode: 'region_manager' }],
      edges: [branchTo('match', { all: [fact('form', 'needs_parts', 'equal', false)] }), otherwiseTo('parts')],
    }),
    task('parts', '配件调拨', { assignee: { strategy: 'store_manager' }, form: form([], { partsList: true }), hours: 24, edges: [edgeTo('match')] }),
    task('match', '工程师匹配', {
      assignee: { strategy: 'nearest', roleCode: 'technician', skills: ['install'], maxKm: 50 },
      hours: 4,
      escalations: [...usualEscalations, { atPercent: 100, action: 'reassign', toRoleCode: 'technician' }],
      edges: [edgeTo('visit')],
    }),
    task('visit', '上门预约', {
      assignee: { strategy: 'role', roleCode: 'technician' },
      form: form([{ key: 'visit_at', label: '预约上门时间', type: 'date', required: true }], { checkInWithinMeters: 500 }),
      hours: 24,
      edges: [edgeTo('acceptance')],
    }),
    task('acceptance', '验收拍照', {
      assignee: { strategy: 'role', roleCode: 'technician' },
      form: form(
        [
          { key: 'satisfaction', label: '客户满意度', type: 'select', required: true, options: ['满意', '一般', '不满意'] },
          // Read by settlement rules: high-altitude surcharge, rating bonus, recycling subsidy.
          { key: 'high_altitude', label: '高空作业', type: 'boolean', required: false },
          { key: 'rating', label: '客户评分（1–5）', type: 'number', required: false },
          { key: 'recycled_units', label: '旧机回收台数', type: 'number', required: false },
        ],
        { minPhotos: 2, signature: true },
      ),
      hours: 8,
      edges: [edgeTo('done')],
    }),
    end('done'),
  ],
};

/** Repair: diagnosis, a quote approval for expensive out-of-warranty repairs, the repair itself. */
const repair: FlowDefinition = {
  start: 'diagnose',
  nodes: [
    task('diagnose', '故障诊断', {
      assignee: { strategy: 'pool', roleCode: 'technician' },
      form: form(
        [
          { key: 'fault_type', label: '故障类型', type: 'select', required: true, options: ['电气', '机械', '软件', '其他'] },
          { key: 'under_warranty', label: '在保修期内', type: 'boolean', required: true },
        ],
        { minPhotos: 1, checkInWithinMeters: 500 },
      ),
      hours: 24,
      edges: [
        branchTo('quote', { all: [fact('form', 'under_warranty', 'equal', false), fact('order', 'amountFen', 'greaterThanInclusive', 100000)] }),
        otherwiseTo('repair'),
      ],
    }),
    task('quote', '报价审批', {
      type: 'approval',
      assignee: { strategy: 'store_manager' },
      form: form([{ key: 'approved', label: '同意报价', type: 'boolean', required: true }]),
      hours: 8,
      edges: [branchTo('repair', { all: [fact('form', 'approved', 'equal', true)] }), otherwiseTo('done')],
    }),
    task('repair', '上门维修', {
      assignee: { strategy: 'role', roleCode: 'technician' },
      form: form([], { minPhotos: 2, signature: true, checkInWithinMeters: 500, partsList: true }),
      hours: 24,
      edges: [edgeTo('done')],
    }),
    end('done'),
  ],
};

/** Return inspection: registration, a quality check, its approval, then refund or send back. */
const returnInspection: FlowDefinition = {
  start: 'register',
  nodes: [
    task('register', '退货登记', {
      assignee: { strategy: 'role', roleCode: 'store_staff' },
      form: form([{ key: 'reason', label: '退货原因', type: 'select', required: true, options: ['质量问题', '不想要了', '发错货', '其他'] }], { minPhotos: 1 }),
      hours: 24,
      edges: [edgeTo('inspect')],
    }),
    task('inspect', '质检', {
      assignee: { strategy: 'least_open', roleCode: 'technician' },
      form: form([{ key: 'grade', label: '质检结果', type: 'select', required: true, options: ['良品', '轻微瑕疵', '损坏'] }], { minPhotos: 3 }),
      hours: 16,
      edges: [edgeTo('qc_approval')],
    }),
    task('qc_approval', '质检审批', {
      type: 'approval',
      assignee: { strategy: 'store_manager' },
      form: form([{ key: 'approved', label: '同意退货', type: 'boolean', required: true }]),
      hours: 8,
      escalations: [...usualEscalations, { afterMinutes: hours(16), action: 'escalate', toRoleCode: 'region_manager' }],
      edges: [branchTo('refund', { all: [fact('form', 'approved', 'equal', true)] }), otherwiseTo('send_back')],
    }),
    task('refund', '退款入库', { assignee: { strategy: 'store_manager' }, hours: 24, edges: [edgeTo('done')] }),
    task('send_back', '退回客户', { assignee: { strategy: 'role', roleCode: 'store_staff' }, form: form([], { minPhotos: 1, signature: true }), hours: 24, edges: [edgeTo('done')] }),
    end('done'),
  ],
};

export const seedFlowDefinitions: Array<{ code: string; name: string; description: string; definition: FlowDefinition }> = [
  { code: 'installation', name: '智能家居安装', description: '需求确认 → 配件调拨 → 工程师匹配 → 上门预约 → 验收拍照', definition: installation },
  { code: 'repair', name: '上门维修', description: '故障诊断 → （过保高额）报价审批 → 上门维修', definition: repair },
  { code: 'return_inspection', name: '退货质检', description: '退货登记 → 质检 → 质检审批 → 退款入库或退回客户', definition: returnInspection },
];
