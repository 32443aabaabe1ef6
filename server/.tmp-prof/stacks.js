const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map(); const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) || 0) + (dt[i] || 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const target = process.argv[3]; const depth = Number(process.argv[4] || 6);
const agg = new Map();
for (const [id, t] of self) { const n = byId.get(id); if (n.callFrame.functionName !== target) continue; const chain = []; let cur = parent.get(id); while (cur !== undefined && chain.length < depth) { const m = byId.get(cur); chain.push(m.callFrame.functionName + ':' + m.callFrame.url.replace(/.*\//, '') + ':' + m.callFrame.lineNumber); cur = parent.get(cur); } const k = chain.join(' < '); agg.set(k, (agg.get(k) || 0) + t); }
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log((v / total * 100).toFixed(2), k);
