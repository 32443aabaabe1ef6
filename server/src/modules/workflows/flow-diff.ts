import type { FlowDefinition, FlowEdge, FlowNode } from './flow-definition';

/** JSON with object keys sorted, so two equal documents compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const changedFields = <T extends object>(a: T, b: T, ignore: string[] = []) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => !ignore.includes(k) && canonicalJson((a as Record<string, unknown>)[k]) !== canonicalJson((b as Record<string, unknown>)[k]))
    .sort();

export interface FlowDiff {
  startChanged: { from: string; to: string } | null;
  nodesAdded: Array<{ key: string; name: string }>;
  nodesRemoved: Array<{ key: string; name: string }>;
  nodesChanged: Array<{ key: string; name: string; fields: string[] }>;
  edgesAdded: Array<{ from: string; to: string }>;
  edgesRemoved: Array<{ from: string; to: string }>;
  edgesChanged: Array<{ from: string; to: string; fields: string[] }>;
}

/** What changed from `a` to `b`: nodes by key, edges by (from, to); editor positions are ignored. */
export function diffFlows(a: FlowDefinition, b: FlowDefinition): FlowDiff {
  const before = new Map(a.nodes.map((n) => [n.key, n]));
  const after = new Map(b.nodes.map((n) => [n.key, n]));
  const diff: FlowDiff = { startChanged: a.start === b.start ? null : { from: a.start, to: b.start }, nodesAdded: [], nodesRemoved: [], nodesChanged: [], edgesAdded: [], edgesRemoved: [], edgesChanged: [] };
  const edgesOf = (node: FlowNode | undefined) => new Map<string, FlowEdge>((node?.edges ?? []).map((e) => [e.to, e]));
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key);
    const is = after.get(key);
    if (!was && is) diff.nodesAdded.push({ key, name: is.name });
    else if (was && !is) diff.nodesRemoved.push({ key, name: was.name });
    else if (was && is) {
      const fields = changedFields(was, is, ['edges', 'ui']);
      if (fields.length) diff.nodesChanged.push({ key, name: is.name, fields });
    }
    const oldEdges = edgesOf(was);
    const newEdges = edgesOf(is);
    for (const to of new Set([...oldEdges.keys(), ...newEdges.keys()])) {
      const e1 = oldEdges.get(to);
      const e2 = newEdges.get(to);
      if (!e1 && e2) diff.edgesAdded.push({ from: key, to });
      else if (e1 && !e2) diff.edgesRemoved.push({ from: key, to });
      else if (e1 && e2) {
        const fields = changedFields(e1, e2);
        if (fields.length) diff.edgesChanged.push({ from: key, to, fields });
      }
    }
  }
  return diff;
}
