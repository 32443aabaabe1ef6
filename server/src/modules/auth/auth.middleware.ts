import type { Middleware } from 'koa';
import { currentContext } from '../../core/request-context';
import type { SessionService } from './session.service';

/** Resolves a bearer token to the request's actor. Routes decide whether an actor is required. */
export function authMiddleware(sessions: SessionService): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+([\w-]{20,200})$/i.exec(header);
    if (match?.[1]) {
      const actor = await sessions.resolve(match[1]);
      const context = currentContext();
      if (actor && context) context.actor = actor;
    }
    await next();
  };
}
