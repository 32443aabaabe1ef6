import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';

const notBuilt = `<!doctype html><meta charset="utf-8"><title>Weave SCRM</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>管理后台尚未构建 / Console not built</h1>
<p>运行 <code>npm run build</code> 后刷新。Run <code>npm run build</code>, then reload. The API is up at <a href="/api/openapi.json">/api/openapi.json</a>.</p></body>`;

/** Serves the built admin console, falling back to index.html for its client-side routes. */
export function consoleStatic(dir: string): Middleware {
  const index = join(dir, 'index.html');
  const files = serve(dir, { index: false, maxage: 0, gzip: false });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/') || !['GET', 'HEAD'].includes(ctx.method)) return next();
    await files(ctx, async () => undefined);
    if (ctx.body !== undefined || ctx.status !== 404) return;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = existsSync(index) ? readFileSync(index) : notBuilt;
  };
}
