import { http } from './request';

export type NodeType = 'task' | 'approval' | 'auto' | 'end';
export type AssigneeStrategy = 'user' | 'role' | 'store_manager' | 'pool' | 'round_robin' | 'least_open' | 'nearest';
export interface AssigneeRule {
  strategy: AssigneeStrategy;
  userId?: number;
  roleCode?: string;
  skills?: string[];
  maxKm?: number;
}
export type FormFieldType = 'text' | 'number' | 'date' | 'select' | 'multiselect' | 'boolean';
export interface FormField {
  key: string;
  label: string;
  type: FormFieldType;
  required: boolean;
  options?: string[];
}
export interface NodeForm {
  fields: FormField[];
  minPhotos: number;
  signature: boolean;
  checkInWithinMeters?: number;
  partsList: boolean;
}
export type EscalationAction = 'remind_assignee' | 'notify_store_manager' | 'reassign' | 'escalate';
export interface EscalationStep {
  atPercent?: number;
  afterMinutes?: number;
  action: EscalationAction;
  toRoleCode?: string;
}
export interface ConditionLeaf {
  fact: 'order' | 'form';
  path: string;
  operator: string;
  value: unknown;
}
export type FlowCondition = { all: FlowCondition[] } | { any: FlowCondition[] } | { not: FlowCondition } | ConditionLeaf;
export interface FlowEdge {
  to: string;
  priority: number;
  condition?: FlowCondition;
  isDefault: boolean;
}
export interface FlowNode {
  key: string;
  name: string;
  type: NodeType;
  assignee?: AssigneeRule;
  form?: NodeForm;
  timeLimit?: { minutes: number; calendar: string };
  escalations: EscalationStep[];
  automation?: { step: string; settings: Record<string, unknown> };
  edges: FlowEdge[];
}
export interface FlowDefinition {
  start: string;
  nodes: FlowNode[];
}

export interface FlowSummary {
  id: number;
  code: string;
  name: string;
  description: string | null;
  draftVersion: number;
  latestVersion: number | null;
  latestPublishedAt: string | null;
  unpublishedChanges: boolean;
  nodeCount: number;
  updatedAt: string;
}
export interface FlowDetail extends FlowSummary {
  draft: FlowDefinition;
}
export interface FlowVersion {
  id: number;
  flowId: number;
  version: number;
  publishedAt: string;
  publishedBy: string | null;
  nodeCount: number;
  orderCount: number;
}
export interface FlowProblem {
  path: string;
  nodeKey: string | null;
  message: string;
}
export interface FlowDiff {
  from: number;
  to: number;
  startChanged: { from: string; to: string } | null;
  nodesAdded: Array<{ key: string; name: string }>;
  nodesRemoved: Array<{ key: string; name: string }>;
  nodesChanged: Array<{ key: string; name: string; fields: string[] }>;
  edgesAdded: Array<{ from: string; to: string }>;
  edgesRemoved: Array<{ from: string; to: string }>;
  edgesChanged: Array<{ from: string; to: string; fields: string[] }>;
}
export interface FlowOptions {
  roles: Array<{ code: string; name: string }>;
  calendars: Array<{ code: string; name: string }>;
  automaticSteps: string[];
  orderFields: string[];
  operators: string[];
}

export const listFlows = () => http.get<FlowSummary[]>('/api/flows');
export const getFlowOptions = () => http.get<FlowOptions>('/api/flows/options');
export const createFlow = (body: { code: string; name: string; description?: string }) => http.post<FlowDetail>('/api/flows', body);
export const getFlow = (id: number) => http.get<FlowDetail>(`/api/flows/${id}`);
export const saveFlowDraft = (id: number, body: { definition: FlowDefinition; draftVersion: number; name?: string }) => http.put<FlowDetail>(`/api/flows/${id}/draft`, body);
/** Silent: the page shows validation problems on the nodes. */
export const publishFlow = (id: number, draftVersion: number) => http.post<FlowVersion>(`/api/flows/${id}/publish`, { draftVersion }, { silent: true });
export const listFlowVersions = (id: number) => http.get<FlowVersion[]>(`/api/flows/${id}/versions`);
export const diffFlowVersions = (id: number, from: number, to: number) => http.get<FlowDiff>(`/api/flows/${id}/diff`, { from, to });
export const deleteFlowVersion = (id: number, version: number) => http.delete<null>(`/api/flows/${id}/versions/${version}`);
