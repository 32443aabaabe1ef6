import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { SandboxControl } from './sandbox-control';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const oauthQuery = z.object({ appid: z.string().optional(), redirect_uri: z.url(), state: z.string().max(128).optional(), agentid: z.string().optional(), userid: z.string().optional() });
const qrQuery = oauthQuery.extend({ login_type: z.literal('CorpApp').optional(), agentid: z.string() });

type Kind = 'oauth' | 'qr';

const titles: Record<Kind, string> = { oauth: '企业微信网页授权（沙箱）', qr: '企业微信扫码登录（沙箱）' };
const hints: Record<Kind, string> = {
  oauth: '在企业微信客户端内打开应用时，企业微信会静默授权。选择以哪位成员的身份授权：',
  qr: '用企业微信扫描二维码并确认登录。沙箱中选择由哪位成员扫码：',
};

function renderPage(kind: Kind, control: SandboxControl, query: Record<string, string>): string {
  const employees = control.state.directory.activeEmployees().slice(0, 200);
  const link = (userid: string) => `?${new URLSearchParams({ ...query, userid }).toString()}`;
  const rows = employees
    .map((e) => `<li><a href="${esc(link(e.userid))}" data-userid="${esc(e.userid)}"><b>${esc(e.name)}</b> <code>${esc(e.userid)}</code> <small>${esc(e.position)}</small></a></li>`)
    .join('');
  const qr = kind === 'qr' ? '<div class="qr" aria-hidden="true"></div>' : '';
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${titles[kind]}</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;display:flex;justify-content:center}main{background:#fff;margin:40px 12px;padding:24px 28px;border-radius:10px;max-width:460px;width:100%;box-shadow:0 2px 12px #0001}
h1{font-size:18px;margin:0 0 8px}p{color:#555;font-size:14px}ul{list-style:none;padding:0;margin:0;max-height:60vh;overflow:auto}li a{display:block;padding:10px 12px;border:1px solid #e5e7eb;border-radius:8px;margin:6px 0;color:#111;text-decoration:none}li a:hover{border-color:#2563eb;background:#eff6ff}
code{color:#2563eb}small{color:#888;margin-left:6px}.qr{width:160px;height:160px;margin:12px auto;background:repeating-conic-gradient(#111 0 25%,#fff 0 50%) 0 0/20px 20px;border:8px solid #fff;outline:1px solid #ddd}</style></head>
<body><main data-sandbox-login="${kind}"><h1>${titles[kind]}</h1>${qr}<p>${hints[kind]}</p><ul>${rows || '<li>没有在职成员</li>'}</ul></main></body></html>`;
}

function problem(ctx: Context, message: string) {
  ctx.status = 400;
  ctx.type = 'html';
  ctx.body = `<!doctype html><meta charset="utf-8"><title>error</title><p>${esc(message)}</p>`;
}

/**
 * Stand-ins for WeCom's sign-in pages: open.weixin.qq.com/connect/oauth2/authorize (inside the client)
 * and login.work.weixin.qq.com/wwlogin/sso/login (web QR login). Without `userid` they show the
 * employees to sign in as; with it (or once one is picked) they redirect to redirect_uri with a code
 * that auth/getuserinfo accepts, and the state unchanged.
 */
export function mountLoginPages(router: Router, control: SandboxControl): void {
  const handle = (kind: Kind) => (ctx: Context) => {
    const parsed = (kind === 'qr' ? qrQuery : oauthQuery).safeParse(ctx.query);
    if (!parsed.success) return problem(ctx, z.prettifyError(parsed.error));
    const q = parsed.data;
    if (q.appid !== undefined && q.appid !== control.state.corpId) return problem(ctx, `unknown appid ${q.appid}`);
    if (q.agentid !== undefined && q.agentid !== String(control.state.agentId)) return problem(ctx, `unknown agentid ${q.agentid}`);
    if (!q.userid) {
      ctx.type = 'html';
      ctx.body = renderPage(kind, control, Object.fromEntries(Object.entries(ctx.query).filter(([k, v]) => k !== 'userid' && typeof v === 'string')) as Record<string, string>);
      return;
    }
    if (!control.state.directory.activeEmployee(q.userid)) return problem(ctx, `no active employee ${q.userid}`);
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', control.issueOauthCode({ userid: q.userid }));
    if (q.state) target.searchParams.set('state', q.state);
    ctx.redirect(target.toString());
  };
  router.get('/connect/oauth2/authorize', handle('oauth'));
  router.get('/wwlogin/sso/login', handle('qr'));
}
