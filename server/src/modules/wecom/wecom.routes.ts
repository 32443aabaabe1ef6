import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageQuery, pageSchema, toOffset } from '../../core/http/pagination';
import { parsePart } from '../../core/http/validation';
import { signedQuery, verifyQuery, type WecomCallbackService } from './wecom-callback.service';

const callbackItem = z.object({
  id: z.number().int(),
  kind: z.string(),
  event: z.string().nullable(),
  changeType: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  status: z.enum(['processed', 'pending', 'dead']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  deliveries: z.number().int(),
  eventTime: z.string().nullable(),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
});

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * `GET /wecom/callback` answers WeCom's URL check with the decrypted echostr as plain text;
 * `POST /wecom/callback` stores the event durably and answers 200 with an empty body.
 * Anything that fails verification gets a non-200 and a logged reason, and nothing is stored.
 * The routes read their own body (XML, or WeCom's JSON envelope, kept raw), so they can be
 * mounted ahead of the API's body parsing and authentication, which they do not need.
 */
export function mountWecomCallback(router: Router, callbacks: WecomCallbackService) {
  const readBody = bodyParser({ enableTypes: ['json', 'xml', 'text'], jsonLimit: '64kb', xmlLimit: '64kb', textLimit: '64kb', jsonStrict: true });
  router.get('/wecom/callback', async (ctx) => {
    const query = parsePart('query', verifyQuery, ctx.query);
    ctx.type = 'text/plain';
    ctx.body = await callbacks.verifyUrl(query);
  });
  router.post('/wecom/callback', readBody, async (ctx) => {
    const query = parsePart('query', signedQuery, ctx.query);
    const body = (ctx.request as { rawBody?: string }).rawBody;
    if (typeof body !== 'string' || !body) throw new AppError('VALIDATION_FAILED', 'callback refused: empty body', [{ path: 'body', message: 'empty' }]);
    await callbacks.receive(query, body);
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = '';
  });
}

export const wecomCallbackRoutes = (callbacks: WecomCallbackService) => [
  route({
    method: 'get',
    path: '/api/wecom/callbacks',
    tag: 'wecom',
    summary: 'Callbacks received from WeCom, newest first, with their processing status',
    permission: 'system:settings',
    query: pageQuery.extend({ kind: z.string().max(32).optional(), changeType: z.string().max(64).optional(), status: z.enum(['processed', 'pending', 'dead']).optional() }),
    response: pageSchema(callbackItem),
    handler: async ({ query }) => {
      const { items, total } = await callbacks.list(query, toOffset(query));
      return pageOf(
        items.map(({ row, status, attempts, lastError }) => ({
          id: Number(row.id),
          kind: row.kind,
          event: row.event,
          changeType: row.change_type,
          summary: JSON.parse(row.summary) as Record<string, unknown>,
          status,
          attempts,
          lastError,
          deliveries: Number(row.deliveries),
          eventTime: iso(row.event_time),
          receivedAt: iso(row.received_at) ?? '',
          processedAt: iso(row.processed_at),
        })),
        total,
        query,
      );
    },
  }),
  route({
    method: 'post',
    path: '/api/wecom/callbacks/:id/replay',
    tag: 'wecom',
    summary: 'Process a dead callback again',
    permission: 'system:settings',
    params: idParams,
    handler: async ({ params }) => {
      if (!(await callbacks.replay(params.id))) throw new AppError('CONFLICT', `callback ${params.id} is not a dead letter`);
      return { replayed: true };
    },
  }),
];
