import type { Models } from '../../core/db/models';
import type { FlowDefinition } from '../workflows/flow-definition';

type Label = { 'zh-CN': string; 'en-US': string };
type FactType = 'number' | 'string' | 'boolean' | 'string[]' | 'object';
interface FactDoc {
  name: string;
  label: Label;
  type: FactType;
  paths?: Array<{ path: string; label: Label; type: FactType }>;
}

const l = (zh: string, en: string): Label => ({ 'zh-CN': zh, 'en-US': en });
const path = (p: string, zh: string, en: string, type: FactType) => ({ path: p, label: l(zh, en), type });

/** The facts a rule condition may read (`JobFacts`), documented for the rule builder's pickers. */
const documented: FactDoc[] = [
  {
    name: 'order',
    label: l('工单', 'Order'),
    type: 'object',
    paths: [path('$.amountFen', '订单金额（分）', 'Order amount (fen)', 'number'), path('$.priority', '优先级', 'Priority', 'string'), path('$.flowCode', '流程编码', 'Flow code', 'string'), path('$.productCategories', '产品品类', 'Product categories', 'string[]')],
  },
  { name: 'workOrder', label: l('完工信息', 'Completion'), type: 'object', paths: [path('$.completedOn', '完成日期', 'Completed on', 'string'), path('$.breaches', '超时升级次数', 'Escalations', 'number'), path('$.nodeCount', '完成节点数', 'Nodes completed', 'number')] },
  { name: 'form', label: l('节点表单', 'Node forms'), type: 'object', paths: [] },
  { name: 'customer', label: l('客户', 'Customer'), type: 'object', paths: [path('$.tags', '客户标签', 'Customer tags', 'string[]'), path('$.stage', '客户阶段', 'Customer stage', 'string')] },
  { name: 'store', label: l('门店', 'Store'), type: 'object', paths: [path('$.code', '门店编码', 'Store code', 'string')] },
  { name: 'region', label: l('区域', 'Region'), type: 'object', paths: [path('$.code', '区域编码', 'Region code', 'string'), path('$.tier', '区域等级', 'Region tier', 'string')] },
  { name: 'source', label: l('订单来源', 'Source channel'), type: 'string' },
  { name: 'rating', label: l('客户评分', 'Customer rating'), type: 'number' },
  { name: 'serviceItems', label: l('服务项目', 'Service items'), type: 'object' },
  { name: 'complaints', label: l('投诉次数', 'Complaints'), type: 'number' },
  { name: 'lateMinutes', label: l('迟到分钟', 'Minutes late'), type: 'number' },
  { name: 'recycledUnits', label: l('旧机回收台数', 'Appliances recycled'), type: 'number' },
  { name: 'hours', label: l('工时', 'Labour hours'), type: 'string' },
];

const fieldType = (type: string): FactType => (type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : type === 'multiselect' ? 'string[]' : 'string');

/** The documented facts, with `form` paths from every published flow's node form fields (`$.<node>.<field>`). */
export async function factCatalogue(models: Models): Promise<FactDoc[]> {
  const versions = await models.FlowVersion.findAll({ attributes: ['flow_id', 'version', 'definition'], order: [['version', 'ASC']], raw: true });
  const formPaths = new Map<string, { path: string; label: Label; type: FactType }>();
  for (const version of versions) {
    const definition = JSON.parse(version.definition) as FlowDefinition;
    for (const node of definition.nodes) {
      for (const field of node.form?.fields ?? []) {
        formPaths.set(`$.${node.key}.${field.key}`, path(`$.${node.key}.${field.key}`, `${node.name} · ${field.label}`, `${node.name} · ${field.label}`, fieldType(field.type)));
      }
    }
  }
  return documented.map((fact) => (fact.name === 'form' ? { ...fact, paths: [...formPaths.values()].sort((a, b) => a.path.localeCompare(b.path)) } : fact));
}
