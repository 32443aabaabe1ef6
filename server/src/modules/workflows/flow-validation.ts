import { orderConditionFields, type FlowCondition, type FlowDefinition, type FlowNode } from './flow-definition';
import { conditionOperators } from './flow-runtime';

/** One reason a flow cannot be published, pointing at the node (and the field within it). */
export interface FlowProblem {
  path: string;
  nodeKey: string | null;
  message: string;
}

/** What the checks need to know about the installation. */
export interface FlowReferences {
  roleCodes: ReadonlySet<string>;
  calendarCodes: ReadonlySet<string>;
  hasAutomaticStep(name: string): boolean;
  /** Why a step's settings do not suit it, or null. */
  automaticStepSettingsProblem?(name: string, settings: unknown): string | null;
}

const operators = new Set<string>(conditionOperators);
const orderFields = new Set<string>(orderConditionFields);
const listOperators = new Set(['in', 'notIn']);

function conditionProblems(condition: FlowCondition, node: FlowNode, at: string, out: FlowProblem[]): void {
  const push = (path: string, message: string) => out.push({ path, nodeKey: node.key, message });
  if ('all' in condition) return condition.all.forEach((c, i) => conditionProblems(c, node, `${at}.all[${i}]`, out));
  if ('any' in condition) return condition.any.forEach((c, i) => conditionProblems(c, node, `${at}.any[${i}]`, out));
  if ('not' in condition) return conditionProblems(condition.not, node, `${at}.not`, out);
  const field = condition.path.slice(2);
  if (condition.fact === 'order' && !orderFields.has(field)) push(`${at}.path`, `order field "${field}" is not one a condition may use (${orderConditionFields.join(', ')})`);
  if (condition.fact === 'form' && !(node.form?.fields ?? []).some((f) => f.key === field)) push(`${at}.path`, `form field "${field}" is not a field of this node's form`);
  if (!operators.has(condition.operator)) push(`${at}.operator`, `unknown operator "${condition.operator}" (${conditionOperators.join(', ')})`);
  else if (listOperators.has(condition.operator) && !Array.isArray(condition.value)) push(`${at}.value`, `operator ${condition.operator} needs a list of values`);
}

function edgeProblems(node: FlowNode, at: string, keys: ReadonlySet<string>, out: FlowProblem[]): void {
  const push = (path: string, message: string) => out.push({ path, nodeKey: node.key, message });
  node.edges.forEach((edge, j) => {
    if (!keys.has(edge.to)) push(`${at}.edges[${j}].to`, `edge points to node "${edge.to}", which does not exist`);
    if (edge.to === node.key) push(`${at}.edges[${j}].to`, 'edge points back to its own node');
    if (edge.condition) conditionProblems(edge.condition, node, `${at}.edges[${j}].condition`, out);
  });
  if (node.type === 'end') {
    if (node.edges.length) push(`${at}.edges`, 'an end node has no outgoing edges');
    return;
  }
  if (node.edges.length === 0) {
    push(`${at}.edges`, 'dead end: the node has no outgoing edge (add one, or make it an end node)');
    return;
  }
  const targets = node.edges.map((e) => e.to);
  if (new Set(targets).size !== targets.length) push(`${at}.edges`, 'two edges lead to the same node');
  if (node.edges.length === 1) {
    const [only] = node.edges;
    if (only?.condition && !only.isDefault) push(`${at}.edges[0].condition`, 'the only edge has a condition: when it does not hold the order would be stuck (mark it the default)');
    return;
  }
  const defaults = node.edges.filter((e) => e.isDefault).length;
  if (defaults !== 1) push(`${at}.edges`, `a branching node needs exactly one default edge (has ${defaults})`);
  const priorities = node.edges.map((e) => e.priority);
  if (new Set(priorities).size !== priorities.length) push(`${at}.edges`, 'edges of a branching node need distinct priorities');
  node.edges.forEach((edge, j) => {
    if (edge.isDefault && edge.condition) push(`${at}.edges[${j}].condition`, 'the default edge is taken when no condition holds: it has no condition of its own');
    if (!edge.isDefault && !edge.condition) push(`${at}.edges[${j}].condition`, 'an edge of a branching node needs a condition (or to be the default)');
  });
}

function nodeSettingProblems(node: FlowNode, at: string, refs: FlowReferences, out: FlowProblem[]): void {
  const push = (path: string, message: string) => out.push({ path, nodeKey: node.key, message });
  const roleOk = (code: string | undefined, path: string) => {
    if (code !== undefined && !refs.roleCodes.has(code)) push(path, `role "${code}" does not exist`);
  };
  if ((node.type === 'task' || node.type === 'approval') && !node.assignee) push(`${at}.assignee`, 'a task or approval node needs an assignee rule');
  if (node.assignee && 'roleCode' in node.assignee) roleOk(node.assignee.roleCode, `${at}.assignee.roleCode`);
  if (node.timeLimit && !refs.calendarCodes.has(node.timeLimit.calendar)) push(`${at}.timeLimit.calendar`, `business calendar "${node.timeLimit.calendar}" does not exist`);
  node.escalations.forEach((step, k) => {
    if (step.atPercent !== undefined && !node.timeLimit) push(`${at}.escalations[${k}].atPercent`, 'a share of the time limit needs a time limit on the node');
    if ((step.action === 'reassign' || step.action === 'escalate') && !step.toRoleCode) push(`${at}.escalations[${k}].toRoleCode`, `${step.action} needs the role that takes over`);
    roleOk(step.toRoleCode, `${at}.escalations[${k}].toRoleCode`);
  });
  if (node.type === 'auto') {
    if (!node.automation) push(`${at}.automation`, 'an automatic node names the step it runs');
    else if (!refs.hasAutomaticStep(node.automation.step)) push(`${at}.automation.step`, `automatic step "${node.automation.step}" is not registered`);
    else {
      const problem = refs.automaticStepSettingsProblem?.(node.automation.step, node.automation.settings);
      if (problem) push(`${at}.automation.settings`, problem);
    }
  }
  const fieldKeys = (node.form?.fields ?? []).map((f) => f.key);
  fieldKeys.forEach((key, k) => {
    if (fieldKeys.indexOf(key) !== k) push(`${at}.form.fields[${k}].key`, `form field "${key}" appears twice`);
  });
  (node.form?.fields ?? []).forEach((f, k) => {
    if ((f.type === 'select' || f.type === 'multiselect') && !f.options?.length) push(`${at}.form.fields[${k}].options`, 'a choice field needs options');
  });
}

/** Nodes reachable from `start` along edges (unknown targets ignored). */
function reachableFrom(definition: FlowDefinition): Set<string> {
  const byKey = new Map(definition.nodes.map((n) => [n.key, n]));
  const seen = new Set<string>();
  const queue = byKey.has(definition.start) ? [definition.start] : [];
  while (queue.length) {
    const key = queue.shift() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const edge of byKey.get(key)?.edges ?? []) if (byKey.has(edge.to) && !seen.has(edge.to)) queue.push(edge.to);
  }
  return seen;
}

/** Nodes from which some end node can be reached (a loop with no way out is a dead end too). */
function reachingAnEnd(definition: FlowDefinition): Set<string> {
  const done = new Set(definition.nodes.filter((n) => n.type === 'end').map((n) => n.key));
  for (let grew = true; grew; ) {
    grew = false;
    for (const node of definition.nodes) {
      if (!done.has(node.key) && node.edges.some((e) => done.has(e.to))) {
        done.add(node.key);
        grew = true;
      }
    }
  }
  return done;
}

/**
 * Every reason `definition` cannot be published: the start exists, keys are unique, edges lead to
 * existing nodes, every node is reachable, no dead ends, branching nodes have one default edge and
 * distinct priorities, conditions use known fields and operators, and roles, calendars and automatic
 * steps exist. Empty when it can be published.
 */
export function validateFlow(definition: FlowDefinition, refs: FlowReferences): FlowProblem[] {
  const out: FlowProblem[] = [];
  const keys = new Set(definition.nodes.map((n) => n.key));
  if (!keys.has(definition.start)) out.push({ path: 'start', nodeKey: definition.start, message: `start node "${definition.start}" does not exist` });
  const seenKeys = new Set<string>();
  definition.nodes.forEach((node, i) => {
    if (seenKeys.has(node.key)) out.push({ path: `nodes[${i}].key`, nodeKey: node.key, message: `node key "${node.key}" is used by another node` });
    seenKeys.add(node.key);
  });
  if (!definition.nodes.some((n) => n.type === 'end')) out.push({ path: 'nodes', nodeKey: null, message: 'the flow needs an end node' });
  const reachable = reachableFrom(definition);
  const finishing = reachingAnEnd(definition);
  definition.nodes.forEach((node, i) => {
    const at = `nodes[${i}]`;
    if (keys.has(definition.start) && !reachable.has(node.key)) out.push({ path: at, nodeKey: node.key, message: 'not reachable from the start node' });
    if (node.edges.length && !finishing.has(node.key)) out.push({ path: `${at}.edges`, nodeKey: node.key, message: 'dead end: no path from this node leads to an end node' });
    edgeProblems(node, at, keys, out);
    nodeSettingProblems(node, at, refs, out);
  });
  return out;
}
