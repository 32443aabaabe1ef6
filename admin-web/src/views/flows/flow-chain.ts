import type { FlowDefinition, FlowNode } from '@/api/flows';

/** A key not yet used in the flow: node_1, node_2, … */
export function freshKey(def: FlowDefinition): string {
  const used = new Set(def.nodes.map((n) => n.key));
  for (let i = 1; ; i += 1) if (!used.has(`node_${i}`)) return `node_${i}`;
}

export function newTaskNode(def: FlowDefinition, name: string): FlowNode {
  return { key: freshKey(def), name, type: 'task', assignee: { strategy: 'store_manager' }, escalations: [], edges: [] };
}

/**
 * Inserts `node` right below position `index`: the edges of the node above that led to the node
 * below now lead to the new node, which leads on to the node below.
 */
export function insertAfter(def: FlowDefinition, index: number, node: FlowNode): void {
  const above = def.nodes[index];
  const below = def.nodes[index + 1];
  if (above && below) {
    for (const edge of above.edges) if (edge.to === below.key) edge.to = node.key;
    node.edges = [{ to: below.key, priority: 0, isDefault: false }];
  } else if (above) {
    node.edges = [];
    if (!above.edges.length && above.type !== 'end') above.edges.push({ to: node.key, priority: 0, isDefault: false });
  }
  def.nodes.splice(index + 1, 0, node);
}

/** Removes the node at `index`; edges that led to it lead to where it led (its first exit), or go. */
export function removeAt(def: FlowDefinition, index: number): void {
  const [gone] = def.nodes.splice(index, 1);
  if (!gone) return;
  const next = gone.edges[0]?.to;
  for (const node of def.nodes) {
    node.edges = node.edges.flatMap((edge) => (edge.to !== gone.key ? [edge] : next && next !== node.key && !node.edges.some((e) => e.to === next) ? [{ ...edge, to: next }] : []));
  }
  if (def.start === gone.key) def.start = def.nodes[0]?.key ?? '';
}

/**
 * Swaps the node at `index` with the one below, keeping the chain linked: what led to the upper
 * node leads to the lower one, which leads to the upper one, which leads where the lower one led.
 */
export function moveDown(def: FlowDefinition, index: number): void {
  const upper = def.nodes[index];
  const lower = def.nodes[index + 1];
  if (!upper || !lower) return;
  const swap = (key: string) => (key === upper.key ? lower.key : key === lower.key ? upper.key : key);
  for (const node of def.nodes) if (node !== upper && node !== lower) for (const edge of node.edges) if (edge.to === upper.key) edge.to = lower.key;
  const upperEdges = upper.edges.map((e) => ({ ...e, to: swap(e.to) }));
  upper.edges = lower.edges.map((e) => ({ ...e }));
  lower.edges = upperEdges;
  if (def.start === upper.key) def.start = lower.key;
  def.nodes.splice(index, 2, lower, upper);
}
