import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import { runWithContext, type RequestContext } from '../request-context';

const acceptableRequestId = /^[\w.:-]{8,64}$/;

/** Gives each request an id (or keeps the proxy's), binds it to every log line, and logs the outcome. */
export function requestContextMiddleware(log: Logger): Middleware {
  return (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const context: RequestContext = {
      requestId: acceptableRequestId.test(incoming) ? incoming : randomUUID(),
      ip: ctx.ip,
    };
    ctx.set('X-Request-Id', context.requestId);
    const started = process.hrtime.bigint();
    return runWithContext(context, async () => {
      try {
        await next();
      } finally {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const route = (ctx as { _matchedRoute?: string })._matchedRoute;
        log.info({ method: ctx.method, path: ctx.path, route, status: ctx.status, ms: Math.round(ms * 10) / 10, ip: ctx.ip }, 'request');
      }
    });
  };
}
