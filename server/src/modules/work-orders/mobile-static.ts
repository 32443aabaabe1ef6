import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';

/**
 * The technicians' page, built beside the console and served at `/m` (its own routes live after
 * the `#`, e.g. `/m/#/orders/42`, the link WeCom notifications carry).
 */
export function mobileStatic(dir: string): Middleware {
  const file = join(dir, 'm.html');
  return async (ctx, next) => {
    if (!['GET', 'HEAD'].includes(ctx.method)) return next();
    const path = ctx.path.replace(/\/+$/, '');
    if (path !== '/m' && !path.startsWith('/m/')) return next();
    if (!existsSync(file)) return next();
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'html';
    ctx.body = readFileSync(file);
  };
}
