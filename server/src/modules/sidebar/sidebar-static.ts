import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import type { WecomRuntime } from '../wecom/wecom-runtime';

const refused = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>404</title>
<body style="font-family:sans-serif;max-width:30em;margin:4em auto;padding:0 1em">
<h1>404</h1><p>企业微信客户端模拟页只在沙箱模式下提供。</p><p>The WeCom client stand-in exists only when the server runs against the WeCom sandbox.</p></body>`;

/**
 * Pages of the chat sidebar, built beside the console: `/sidebar` (opened from WeCom's chat
 * toolbar) and, in sandbox mode only, `/sidebar/sandbox` (a stand-in for the WeCom client).
 */
export function sidebarStatic(dir: string, runtime: WecomRuntime): Middleware {
  const page = (name: string) => join(dir, name);
  return async (ctx, next) => {
    if (!['GET', 'HEAD'].includes(ctx.method)) return next();
    const path = ctx.path.replace(/\/+$/, '');
    const standin = path === '/sidebar/sandbox' || path.startsWith('/sidebar/sandbox/');
    if (!standin && path !== '/sidebar' && !path.startsWith('/sidebar/')) return next();
    ctx.set('Cache-Control', 'no-cache');
    if (standin && (await runtime.current()).mode !== 'sandbox') {
      ctx.status = 404;
      ctx.type = 'html';
      ctx.body = refused;
      return;
    }
    const file = page(standin ? 'sidebar-sandbox.html' : 'sidebar.html');
    if (!existsSync(file)) return next();
    ctx.type = 'html';
    ctx.body = readFileSync(file);
  };
}
