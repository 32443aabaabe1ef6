import type { Middleware } from 'koa';
import { ConnectionError, DatabaseError, ForeignKeyConstraintError, UniqueConstraintError } from 'sequelize';
import { uniqueFieldsOf } from '../db/unique-fields';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { currentContext } from '../request-context';

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** Errors thrown by Koa middleware (body parser and friends) mapped onto our codes. */
function fromHttpError(error: HttpishError): AppError | null {
  const status = error.status ?? error.statusCode;
  if (!status || status >= 500) return null;
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large', { path: 'body' });
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', { path: 'body' });
  if (status === 400) return new AppError('MALFORMED_JSON', 'request body is not valid JSON', [{ path: 'body', message: error.message ?? 'malformed JSON' }]);
  if (status === 404) return new AppError('NOT_FOUND', 'no such route');
  return null;
}

/** Constraint violations are the caller's conflict, not our crash. */
function fromDatabaseError(error: unknown): AppError | null {
  if (error instanceof UniqueConstraintError) {
    const fields = uniqueFieldsOf(error);
    return new AppError('CONFLICT', `already exists: ${fields.join(', ') || 'duplicate value'}`, fields.map((field) => ({ path: `body.${field}`, message: 'already taken' })));
  }
  if (error instanceof ForeignKeyConstraintError) return new AppError('CONFLICT', 'the record is still referenced by other records, or refers to one that does not exist');
  return null;
}

/** Driver codes of a connection that broke under a query: the database went away, not the query. */
const lostConnectionCodes = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR']);

/** An unreachable database is a 503 the caller may retry (WeCom and load balancers do), answered at once. */
function fromUnavailable(error: unknown): AppError | null {
  const code = error instanceof DatabaseError ? (error.parent as { code?: string }).code : undefined;
  if (error instanceof ConnectionError || (code && lostConnectionCodes.has(code))) return new AppError('NOT_READY', 'the database is unreachable; try again shortly');
  return null;
}

/** One place that turns every failure into `{ code, message, details, requestId }`. 5xx replies never leak internals. */
export function errorMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) throw new AppError('NOT_FOUND', `no route ${ctx.method} ${ctx.path}`);
    } catch (caught) {
      const requestId = currentContext()?.requestId;
      const known = caught instanceof AppError ? caught : (fromDatabaseError(caught) ?? fromUnavailable(caught) ?? fromHttpError(caught as HttpishError));
      if (known) {
        log.warn({ code: known.code, status: known.status, details: known.details, method: ctx.method, path: ctx.path }, 'request rejected');
        ctx.status = known.status;
        const retryAfter = (known.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (known.status === 429 && retryAfter) ctx.set('Retry-After', String(retryAfter));
        ctx.body = { code: known.code, message: known.message, details: known.details ?? null, requestId };
        return;
      }
      log.error({ err: caught, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { code: 'INTERNAL', message: 'internal error', details: null, requestId };
    }
  };
}
