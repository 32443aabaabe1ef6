import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { route } from '../../core/http/define-route';
import { idParams, pageSchema } from '../../core/http/pagination';
import { parsePart } from '../../core/http/validation';
import { IDEMPOTENCY_HEADER } from './idempotency';
import type { WorkOrderModule } from './work-order.module';
import {
  assignBody,
  attachmentFields,
  attachmentParams,
  cancelBody,
  checkInBody,
  commentBody,
  completeBody,
  createWorkOrderBody,
  lockVersionBody,
  migrationBody,
  pauseBody,
  skipStepBody,
  statsQuery,
  technicianProfileBody,
  workOrderItem,
  workOrderListQuery,
} from './work-order.schemas';

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

interface MulterFile {
  path: string;
  originalname: string;
  mimetype: string;
  size: number;
}
type KoaMulter = (options: { dest: string; limits: Record<string, number>; defParamCharset: string }) => {
  single(field: string): (ctx: Context, next: () => Promise<void>) => Promise<void>;
};
// @koa/multer ships no type declarations.
const multer = createRequire(__filename)('@koa/multer') as KoaMulter;

const keyOf = (ctx: Context) => ctx.get(IDEMPOTENCY_HEADER) || undefined;

export function workOrderRoutes(module: WorkOrderModule, dataDir: string) {
  const { service, actions, migrations } = module;
  const receive = multer({ dest: join(dataDir, 'uploads', 'incoming'), limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 10, parts: 12 }, defParamCharset: 'utf8' }).single('file');

  async function readUpload(ctx: Context) {
    if (!ctx.is('multipart/form-data')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data in the field "file"', [{ path: 'file', message: 'expected multipart/form-data' }]);
    try {
      await receive(ctx, async () => {});
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`, [{ path: 'file', message: 'too large' }]);
      throw new AppError('VALIDATION_FAILED', 'upload one file in the field "file"', [{ path: 'file', message: (error as Error).message }]);
    }
    const file = (ctx as Context & { file?: MulterFile }).file;
    if (!file) throw new AppError('VALIDATION_FAILED', 'the field "file" is missing', [{ path: 'file', message: 'required' }]);
    const fields = parsePart('body', attachmentFields, (ctx.request as unknown as { body?: unknown }).body ?? {});
    return { file: { path: file.path, originalName: file.originalname, mimeType: file.mimetype, size: file.size }, fields };
  }

  return [
    route({ method: 'get', path: '/api/work-orders', tag: 'work-orders', summary: 'Work orders in your scope, newest first; filter by status, node, store, assignee, flow, overdue, claimable', permission: 'workorder:read', query: workOrderListQuery, response: pageSchema(workOrderItem), handler: ({ actor, query }) => service.list(actor, query) }),
    route({ method: 'post', path: '/api/work-orders', tag: 'work-orders', summary: 'Create a work order on the latest published version of a flow; the first node is entered and assigned', permission: 'workorder:write', body: createWorkOrderBody, response: workOrderItem, handler: ({ actor, body }) => service.create(actor, body) }),
    route({
      method: 'get',
      path: '/api/work-orders/flows',
      tag: 'work-orders',
      summary: 'Flows with a published version, to create orders on (the console and the chat sidebar)',
      permission: 'workorder:write',
      response: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), latestVersion: z.number() })),
      handler: () => module.stats.publishedFlows(),
    }),
    route({ method: 'get', path: '/api/work-orders/stats', tag: 'work-orders', summary: 'Dashboard of the orders in your scope: open orders per node, orders past their limit, breach rates by store and assignee', permission: 'workorder:read', query: statsQuery, handler: ({ actor, query }) => module.stats.stats(actor, query) }),
    route({ method: 'get', path: '/api/work-orders/migrations', tag: 'work-orders', summary: 'Runs that moved running orders to another flow version', permission: 'workflow:manage', handler: () => migrations.list() }),
    route({
      method: 'post',
      path: '/api/work-orders/migrations',
      tag: 'work-orders',
      summary: 'Move chosen running orders of a flow version to another version with a node mapping; runs in the background',
      permission: 'workflow:manage',
      body: migrationBody,
      handler: ({ actor, body }) => migrations.start(actor, body),
    }),
    route({ method: 'get', path: '/api/work-orders/migrations/:id', tag: 'work-orders', summary: 'One migration run and its progress', permission: 'workflow:manage', params: idParams, handler: ({ params }) => migrations.get(params.id) }),
    route({
      method: 'put',
      path: '/api/work-orders/technicians/me',
      tag: 'work-orders',
      summary: 'Your technician profile: skills, availability and last position (used by nearest-technician assignment)',
      permission: 'workorder:write',
      body: technicianProfileBody,
      handler: ({ actor, body }) => module.technicians.update(actor, body),
    }),
    route({ method: 'get', path: '/api/work-orders/:id', tag: 'work-orders', summary: 'A work order with its history, comments, attachments and current task', permission: 'workorder:read', params: idParams, handler: ({ actor, params }) => service.detail(actor, params.id) }),
    route({ method: 'post', path: '/api/work-orders/:id/claim', tag: 'work-orders', summary: 'Claim the task waiting in your pool; 409 "already taken" when someone was first', permission: 'workorder:write', params: idParams, handler: ({ actor, params }) => actions.claim(actor, params.id) }),
    route({
      method: 'post',
      path: '/api/work-orders/:id/accept',
      tag: 'work-orders',
      summary: 'Accept the task assigned to you (by the system or a dispatcher) before checking in or completing it (Idempotency-Key header)',
      permission: 'workorder:write',
      params: idParams,
      body: lockVersionBody,
      handler: ({ actor, params, body, ctx }) => actions.accept(actor, params.id, body, keyOf(ctx)),
    }),
    route({ method: 'post', path: '/api/work-orders/:id/assign', tag: 'work-orders', summary: "Assign the current task to a user of the order's store", permission: 'workorder:assign', params: idParams, body: assignBody, handler: ({ actor, params, body }) => actions.assign(actor, params.id, body) }),
    route({
      method: 'post',
      path: '/api/work-orders/:id/check-in',
      tag: 'work-orders',
      summary: 'GPS check-in at the current task (send an Idempotency-Key header to make retries safe)',
      permission: 'workorder:write',
      params: idParams,
      body: checkInBody,
      handler: ({ actor, params, body, ctx }) => actions.checkIn(actor, params.id, body, keyOf(ctx)),
    }),
    route({
      method: 'post',
      path: '/api/work-orders/:id/attachments',
      tag: 'work-orders',
      summary: 'Upload a photo, signature or file for the current task (multipart: file, kind, capturedAt, lat, lng; Idempotency-Key header)',
      permission: 'workorder:write',
      params: idParams,
      handler: async ({ actor, params, ctx }) => {
        const { file, fields } = await readUpload(ctx);
        return actions.attach(actor, params.id, file, fields, keyOf(ctx));
      },
    }),
    route({
      method: 'get',
      path: '/api/work-orders/:id/attachments/:attachmentId',
      tag: 'work-orders',
      summary: 'Download an attachment',
      permission: 'workorder:read',
      params: attachmentParams,
      raw: true,
      handler: async ({ actor, params, ctx }) => {
        const file = await actions.openAttachment(actor, params.id, params.attachmentId);
        ctx.type = file.contentType;
        ctx.length = file.size;
        ctx.attachment(file.fileName, { type: 'inline' });
        ctx.body = file.stream;
      },
    }),
    route({
      method: 'post',
      path: '/api/work-orders/:id/complete',
      tag: 'work-orders',
      summary: "Complete the current task with its form; the server checks the node's evidence, then moves to the next node (Idempotency-Key header)",
      permission: 'workorder:write',
      params: idParams,
      body: completeBody,
      handler: ({ actor, params, body, ctx }) => actions.complete(actor, params.id, body, keyOf(ctx)),
    }),
    route({ method: 'post', path: '/api/work-orders/:id/pause', tag: 'work-orders', summary: "Wait for the customer or for parts: the node's clock stops", permission: 'workorder:write', params: idParams, body: pauseBody, handler: ({ actor, params, body }) => actions.pause(actor, params.id, body) }),
    route({ method: 'post', path: '/api/work-orders/:id/resume', tag: 'work-orders', summary: "Resume a paused order: the node's due time moves by the pause", permission: 'workorder:write', params: idParams, body: lockVersionBody, handler: ({ actor, params, body }) => actions.resume(actor, params.id, body) }),
    route({ method: 'post', path: '/api/work-orders/:id/cancel', tag: 'work-orders', summary: 'Cancel an order', permission: 'workorder:assign', params: idParams, body: cancelBody, handler: ({ actor, params, body }) => actions.cancel(actor, params.id, body) }),
    route({
      method: 'post',
      path: '/api/work-orders/:id/automation/retry',
      tag: 'work-orders',
      summary: 'Run the failed automatic step of the current node again (a fresh set of attempts in the background)',
      permission: 'workorder:assign',
      params: idParams,
      body: lockVersionBody,
      handler: ({ actor, params, body }) => module.stepRuns.retry(actor, params.id, body),
    }),
    route({
      method: 'post',
      path: '/api/work-orders/:id/automation/skip',
      tag: 'work-orders',
      summary: "Skip the failed automatic step of the current node: the order moves on along the node's edges",
      permission: 'workorder:assign',
      params: idParams,
      body: skipStepBody,
      handler: ({ actor, params, body }) => module.stepRuns.skip(actor, params.id, body),
    }),
    route({ method: 'post', path: '/api/work-orders/:id/comments', tag: 'work-orders', summary: 'Comment on an order', permission: 'workorder:write', params: idParams, body: commentBody, response: z.object({ id: z.number(), body: z.string() }).passthrough(), handler: ({ actor, params, body }) => service.comment(actor, params.id, body.body) }),
  ];
}
