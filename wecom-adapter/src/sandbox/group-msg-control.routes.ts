import type Router from '@koa/router';
import { z } from 'zod';
import { SandboxControlError } from './control-error';
import { confirmGroupMsg } from './group-msg.state';
import type { SandboxControl } from './sandbox-control';

const confirmed = z.object({
  msgid: z.string().min(1),
  /** Must be the task's sender when given. */
  userid: z.string().optional(),
  /** Outcomes to force for chosen customers (2 not a friend, 3 receive cap reached). */
  results: z.record(z.string(), z.union([z.literal(1), z.literal(2), z.literal(3)])).optional(),
});

/** Control route: a member confirms a group-send task in their client, so its results change from 0. */
export function mountGroupMsgControlRoutes(router: Router, control: SandboxControl): void {
  router.post('/__sandbox/events/group-msg-confirmed', (ctx) => {
    const parsed = confirmed.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw new SandboxControlError('INVALID_INPUT', z.prettifyError(parsed.error), 400, parsed.error.issues);
    const { msgid, userid, results } = parsed.data;
    const template = control.state.messages.templates.find((t) => t.msgid === msgid);
    if (!template) throw new SandboxControlError('GROUP_MSG_NOT_FOUND', `no group-send task ${msgid}`);
    if (userid !== undefined && template.sender !== userid) throw new SandboxControlError('INVALID_INPUT', `${userid} is not the sender of ${msgid}`);
    ctx.body = confirmGroupMsg(control.state, template, results);
  });
}
