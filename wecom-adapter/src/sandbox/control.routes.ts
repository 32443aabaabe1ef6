import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { SandboxControlError } from './control-error';
import { renderControlPage } from './control-page';
import { mountDirectoryControlRoutes } from './directory-control.routes';
import type { SandboxControl } from './sandbox-control';
import { mountTagChatControlRoutes } from './tag-chat-control.routes';
import { mountCustomerSyncControlRoutes } from './customer-sync-control.routes';
import { mountGroupMsgControlRoutes } from './group-msg-control.routes';

const app = z.enum(['contact', 'customer', 'agent']);
const rate = z.number().min(0).max(1);
const schemas = {
  customerAdded: z.object({ userId: z.string(), externalUserId: z.string().optional(), state: z.string().max(30).optional(), name: z.string().optional(), welcome: z.boolean().optional() }),
  relation: z.object({ userId: z.string(), externalUserId: z.string() }),
  customerEdited: z.object({ userId: z.string(), externalUserId: z.string(), remark: z.string().optional(), description: z.string().optional(), tagIds: z.array(z.string()).optional() }),
  employeeLeft: z.object({ userId: z.string() }),
  employeeCreated: z.object({ userId: z.string().optional(), name: z.string().optional(), department: z.array(z.number().int()).optional(), mobile: z.string().optional(), position: z.string().optional() }),
  tagRenamed: z.object({ id: z.string(), name: z.string().min(1).max(30) }),
  chatMemberAdded: z.object({ chatId: z.string(), memberId: z.string().optional(), joinScene: z.number().int().optional() }),
  revoke: z.object({ app: app.optional() }),
  faults: z.object({ latencyMs: z.number().int().min(0).optional(), errorRate: rate.optional(), dropCallbackRate: rate.optional(), duplicateCallbackRate: rate.optional() }),
  callback: z.object({ url: z.url(), token: z.string().min(1), encodingAesKey: z.string().length(43) }),
  settle: z.object({ status: z.union([z.literal(1), z.literal(3), z.literal(4)]).optional(), externalUserIds: z.array(z.string()).optional() }),
  oauth: z.object({ userid: z.string().optional(), externalUserId: z.string().optional(), openid: z.string().optional() }),
  page: z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100), userid: z.string().optional() }),
};

function input<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new SandboxControlError('INVALID_INPUT', z.prettifyError(result.error), 400, result.error.issues);
}

/** Maps control errors to 4xx { code, message, details }. */
export const controlErrorMiddleware: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof SandboxControlError)) throw error;
    ctx.status = error.status;
    ctx.body = { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
};

/** The /__sandbox control API (JSON) and HTML page, plus a stand-in for the OAuth authorize page. */
export function controlRouter(control: SandboxControl) {
  const router = new Router();
  const events = control.events;
  const body = (ctx: { request: { body?: unknown } }) => ctx.request.body;

  router.get('/__sandbox/', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderControlPage(control);
  });
  router.get('/__sandbox/credentials', (ctx) => {
    ctx.body = control.credentials();
  });
  router.get('/__sandbox/state/summary', (ctx) => {
    ctx.body = control.state.summary();
  });
  router.get('/__sandbox/state/messages', (ctx) => {
    const userid = input(z.object({ userid: z.string() }), ctx.query).userid;
    ctx.body = { userid, messages: control.state.messages.receivedBy(userid) };
  });
  router.get('/__sandbox/state/employees', (ctx) => {
    const p = input(schemas.page, ctx.query);
    ctx.body = { employees: [...control.state.directory.employees.values()].slice(p.offset, p.offset + p.limit) };
  });
  router.get('/__sandbox/state/customers', (ctx) => {
    const p = input(schemas.page, ctx.query);
    const ids = p.userid ? control.state.customers.idsOf(p.userid) : [...control.state.customers.customers.keys()];
    ctx.body = { total: ids.length, customers: ids.slice(p.offset, p.offset + p.limit).map((id) => control.state.customers.get(id)) };
  });
  router.get('/__sandbox/state/contact-ways', (ctx) => {
    ctx.body = { contactWays: control.state.contactWays.list() };
  });
  router.get('/__sandbox/state/group-chats', (ctx) => {
    ctx.body = { groupChats: control.state.chats.list() };
  });
  router.get('/__sandbox/state/welcome-messages', (ctx) => {
    ctx.body = { welcomeMessages: control.state.messages.welcomeMessages };
  });
  router.get('/__sandbox/state/msg-templates', (ctx) => {
    ctx.body = { msgTemplates: control.state.messages.templates };
  });
  router.get('/__sandbox/state/transfers', (ctx) => {
    ctx.body = { transfers: control.state.transfers.transfers };
  });
  router.get('/__sandbox/state/callbacks', (ctx) => {
    ctx.body = { deliveries: control.pusher.deliveries };
  });

  const post = <T>(path: string, schema: z.ZodType<T>, run: (value: T) => unknown) =>
    router.post(`/__sandbox/${path}`, (ctx) => {
      ctx.body = run(input(schema, body(ctx))) ?? { ok: true };
    });
  post('events/customer-added', schemas.customerAdded, (v) => events.customerAdded(v));
  post('events/customer-deleted-by-employee', schemas.relation, (v) => events.customerDeletedByEmployee(v));
  post('events/customer-deleted-employee', schemas.relation, (v) => events.customerDeletedEmployee(v));
  post('events/customer-edited', schemas.customerEdited, (v) => events.customerEdited(v));
  post('events/employee-left', schemas.employeeLeft, (v) => events.employeeLeft(v));
  post('events/employee-created', schemas.employeeCreated, (v) => events.employeeCreated(v));
  post('events/tag-renamed', schemas.tagRenamed, (v) => events.tagRenamed(v));
  post('events/chat-member-added', schemas.chatMemberAdded, (v) => events.chatMemberAdded(v));
  mountTagChatControlRoutes(router, control);
  mountCustomerSyncControlRoutes(router, control);
  mountGroupMsgControlRoutes(router, control);
  post('events/msgaudit-notify', z.object({}), () => events.msgauditNotify());
  post('events/transfers-settled', schemas.settle, (v) => ({ settled: events.transfers.settleAll(v.status ?? 1, v.externalUserIds).length }));
  post('revoke-tokens', schemas.revoke, (v) => ({ revoked: control.revokeTokens(v.app) }));
  post('faults', schemas.faults, (v) => control.setFaults(v));
  post('callback', schemas.callback, (v) => control.setCallback(v));
  post('oauth/code', schemas.oauth, (v) => ({ code: control.issueOauthCode(v) }));
  router.get('/__sandbox/faults', (ctx) => {
    ctx.body = control.faults();
  });
  router.post('/__sandbox/callback/verify', async (ctx) => {
    ctx.body = await control.verifyCallbackUrl();
  });
  router.post('/__sandbox/callbacks/drain', async (ctx) => {
    await control.drainCallbacks();
    ctx.body = { ok: true };
  });

  // Directory changes, the visible range, and the OAuth / QR sign-in pages (open.weixin.qq.com, login.work.weixin.qq.com).
  mountDirectoryControlRoutes(router, control);
  return router;
}
