// attribute every sample to the nearest app frame (server/src or wecom-adapter), inclusive; prints top owners
const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map(); const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) || 0) + (dt[i] || 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const agg = new Map();
const filter = process.argv[3];
for (const [id, t] of self) {
  if (filter && byId.get(id).callFrame.functionName !== filter) continue;
  let cur = id; let owner = '(none)';
  while (cur !== undefined) { const n = byId.get(cur); const u = n.callFrame.url; if (u.includes('/work/main/server/src') || u.includes('/work/main/wecom-adapter/src')) { owner = n.callFrame.functionName + '@' + u.replace(/.*\/work\/main\//, '') + ':' + n.callFrame.lineNumber; break; } cur = parent.get(cur); }
  agg.set(owner, (agg.get(owner) || 0) + t);
}
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] || 30))) console.log((v / total * 100).toFixed(2).padStart(6), k);
