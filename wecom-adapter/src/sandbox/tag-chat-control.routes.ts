import type Router from '@koa/router';
import { z } from 'zod';
import { SandboxControlError } from './control-error';
import type { SandboxControl } from './sandbox-control';
import { createTagChatEvents } from './tag-chat-events';

const schemas = {
  tagCreated: z.object({ groupId: z.string().optional(), groupName: z.string().min(1).max(30).optional(), tagName: z.string().min(1).max(30), order: z.number().int().optional() }),
  tagDeleted: z.object({ id: z.string() }),
  tagsShuffled: z.object({ orders: z.record(z.string(), z.number().int()), groupId: z.string().optional() }),
  chatCreated: z.object({ owner: z.string(), name: z.string().max(64).optional(), memberIds: z.array(z.string()).optional() }),
  chatMemberRemoved: z.object({ chatId: z.string(), memberId: z.string(), quitScene: z.number().int().optional() }),
  chatChanged: z.object({ chatId: z.string(), name: z.string().max(64).optional(), notice: z.string().max(1000).optional(), owner: z.string().optional() }),
  chatDismissed: z.object({ chatId: z.string() }),
};

function input<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new SandboxControlError('INVALID_INPUT', z.prettifyError(result.error), 400, result.error.issues);
}

/** Control routes for corp tag and customer group changes made in WeCom, and the tag state. */
export function mountTagChatControlRoutes(router: Router, control: SandboxControl): void {
  const events = createTagChatEvents(control.state, control.pusher);
  const post = <T>(path: string, schema: z.ZodType<T>, run: (value: T) => unknown) =>
    router.post(`/__sandbox/${path}`, (ctx) => {
      ctx.body = run(input(schema, ctx.request.body));
    });
  router.get('/__sandbox/state/tags', (ctx) => {
    ctx.body = { tagGroups: [...control.state.tags.groups.values()] };
  });
  post('events/tag-created', schemas.tagCreated, (v) => events.tagCreated(v));
  post('events/tag-deleted', schemas.tagDeleted, (v) => events.tagDeleted(v));
  post('events/tags-shuffled', schemas.tagsShuffled, (v) => events.tagsShuffled(v));
  post('events/chat-created', schemas.chatCreated, (v) => events.chatCreated(v));
  post('events/chat-member-removed', schemas.chatMemberRemoved, (v) => events.chatMemberRemoved(v));
  post('events/chat-changed', schemas.chatChanged, (v) => events.chatChanged(v));
  post('events/chat-dismissed', schemas.chatDismissed, (v) => events.chatDismissed(v));
}
