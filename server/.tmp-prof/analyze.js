const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map(); const dt = p.timeDeltas; 
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) || 0) + (dt[i] || 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const cat = (n) => { const u = n.callFrame.url; const m = u.match(/node_modules\/((@[^/]+\/)?[^/]+)/); if (m) return m[1]; if (u.includes('/work/main/')) return u.replace(/.*\/work\/main\//, ''); return u ? 'node:' + u.replace(/^node:/, '') : n.callFrame.functionName || '(native)'; };
const agg = new Map(); for (const [id, t] of self) { const k = cat(byId.get(id)); agg.set(k, (agg.get(k) || 0) + t); }
console.log('total ms', total / 1000);
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / total * 100).toFixed(1).padStart(5), k);
// inclusive by chosen function names
const incl = new Map();
const want = process.argv.slice(3);
for (const [id, t] of self) { let cur = id; const seen = new Set(); while (cur !== undefined) { const n = byId.get(cur); const key = n.callFrame.functionName + '@' + cat(n); for (const w of want) if (key.includes(w) && !seen.has(w)) { seen.add(w); incl.set(w, (incl.get(w) || 0) + t); } cur = parent.get(cur); } }
for (const [k, v] of incl) console.log('incl', (v / total * 100).toFixed(1).padStart(5), k);
