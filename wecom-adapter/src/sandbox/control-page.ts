import type { SandboxControl } from './sandbox-control';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const table = (head: string[], rows: string[][]) =>
  `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
const button = (label: string, path: string, body: unknown) =>
  `<button onclick='post(${esc(JSON.stringify(path))}, ${esc(JSON.stringify(body))})'>${esc(label)}</button>`;

const script = `
async function post(path, body) {
  const res = await fetch('/__sandbox/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  document.getElementById('out').textContent = res.status + ' ' + text;
  if (res.ok) setTimeout(() => location.reload(), 600);
}
function submitForm(form, path) {
  const body = {};
  for (const [k, v] of new FormData(form)) if (v !== '') body[k] = /^(latencyMs|errorRate|dropCallbackRate|duplicateCallbackRate)$/.test(k) ? Number(v) : v;
  post(path, body);
  return false;
}`;

/** The small HTML page at /__sandbox/: employees, customers, contact ways, recent callbacks, forms. */
export function renderControlPage(control: SandboxControl): string {
  const { state } = control;
  const summary = state.summary();
  const employees = state.directory.activeEmployees().slice(0, 50);
  const customers = [...state.customers.customers.values()].slice(-50).reverse();
  const creds = control.credentials();
  return `<!doctype html><html><head><meta charset="utf-8"><title>WeCom sandbox</title>
<style>body{font:14px sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px}
form{display:inline-block;margin:4px 12px 4px 0}#out{background:#f4f4f4;padding:6px;white-space:pre-wrap}</style>
<script>${script}</script></head><body>
<h1>WeCom sandbox · ${esc(creds.corpId)}</h1>
<p>agentId ${esc(creds.agentId)} · secrets ${esc(JSON.stringify(creds.secrets))} · callback ${esc(creds.callback?.url ?? 'none')}</p>
<pre>${esc(JSON.stringify(summary))}</pre>
<div id="out"></div>
<h2>Actions</h2>
<form onsubmit="return submitForm(this,'events/customer-added')">Customer adds <input name="userId" placeholder="userId" required>
 <input name="state" placeholder="state"> <input name="name" placeholder="name"> <button>customer-added</button></form>
<form onsubmit="return submitForm(this,'events/employee-created')"><input name="name" placeholder="name"> <button>employee-created</button></form>
<form onsubmit="return submitForm(this,'events/tag-renamed')"><input name="id" placeholder="tag or group id" required> <input name="name" required> <button>tag-renamed</button></form>
<form onsubmit="return submitForm(this,'faults')"><input name="latencyMs" placeholder="latencyMs"> <input name="errorRate" placeholder="errorRate"> <input name="dropCallbackRate" placeholder="dropCallbackRate"> <input name="duplicateCallbackRate" placeholder="duplicateCallbackRate"> <button>set faults</button></form>
${button('revoke tokens', 'revoke-tokens', {})} ${button('msgaudit notify', 'events/msgaudit-notify', {})} ${button('settle transfers', 'events/transfers-settled', {})} ${button('verify callback URL', 'callback/verify', {})}
<h2>Employees (first 50 of ${summary.employees})</h2>
${table(['userid', 'name', 'department', 'customers', ''], employees.map((e) => [esc(e.userid), esc(e.name), esc(e.department.join(',')), esc(state.customers.idsOf(e.userid).length), `${button('add customer', 'events/customer-added', { userId: e.userid })} ${button('leave', 'events/employee-left', { userId: e.userid })}`]))}
<h2>Customers (newest 50 of ${summary.customers})</h2>
${table(['external_userid', 'name', 'follow users', ''], customers.map((c) => [esc(c.externalUserid), esc(c.name), esc(c.follows.map((f) => f.userid).join(', ')), c.follows.map((f) => `${button(`${f.userid} deletes`, 'events/customer-deleted-by-employee', { userId: f.userid, externalUserId: c.externalUserid })} ${button(`deletes ${f.userid}`, 'events/customer-deleted-employee', { userId: f.userid, externalUserId: c.externalUserid })}`).join(' ')]))}
<h2>Contact ways</h2>
${table(['config_id', 'state', 'users', 'skip_verify', ''], state.contactWays.list().map((w) => [esc(w.configId), esc(w.state), esc(w.users.join(',')), esc(w.skipVerify), w.users[0] ? button('scan (customer-added)', 'events/customer-added', { userId: w.users[0], state: w.state || undefined }) : '']))}
<h2>Group-send tasks (add_msg_template, newest 20)</h2>
${table(['msgid', 'sender', 'customers', 'confirmed', ''], state.messages.templates.slice(-20).reverse().map((m) => [esc(m.msgid), esc(m.sender ?? ''), esc(m.externalUserids.length), esc(m.confirmedAt ? new Date(m.confirmedAt * 1000).toISOString() : 'no'), m.confirmedAt ? '' : button('sender confirms (sends)', 'events/group-msg-confirmed', { msgid: m.msgid })]))}
<h2>Recent callbacks</h2>
${table(['id', 'event', 'change', 'status', 'attempts'], control.pusher.deliveries.slice(-20).reverse().map((d) => [esc(d.id), esc(d.event), esc(d.changeType), esc(d.status), esc(d.attempts)]))}
</body></html>`;
}
