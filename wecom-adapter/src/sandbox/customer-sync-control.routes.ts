import type Router from '@koa/router';
import { z } from 'zod';
import { SandboxControlError } from './control-error';
import type { SandboxControl } from './sandbox-control';

const schemas = {
  halfAdded: z.object({ userId: z.string(), externalUserId: z.string().optional(), state: z.string().max(30).optional(), name: z.string().optional() }),
  relation: z.object({ userId: z.string(), externalUserId: z.string() }),
};

function input<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new SandboxControlError('INVALID_INPUT', z.prettifyError(result.error), 400, result.error.issues);
}

/**
 * Control routes for the customer changes not covered elsewhere: a customer added without the
 * member's confirmation (add_half_external_contact) and a customer agreeing to chat archiving
 * (msg_audit_approved).
 */
export function mountCustomerSyncControlRoutes(router: Router, control: SandboxControl): void {
  const { state, pusher } = control;
  const member = (userid: string) => state.directory.activeEmployee(userid) ?? fail('EMPLOYEE_NOT_FOUND', `no active employee ${userid}`);
  const push = (changeType: string, userid: string, externalUserid: string, extra: Array<[string, string | undefined]> = []) =>
    pusher.push({ event: 'change_external_contact', changeType, fields: [['UserID', userid], ['ExternalUserID', externalUserid], ...extra] });

  router.post('/__sandbox/events/customer-added-half', (ctx) => {
    const v = input(schemas.halfAdded, ctx.request.body);
    member(v.userId);
    const contact =
      (v.externalUserId ? state.customers.get(v.externalUserId) : undefined) ??
      state.customers.add({
        externalUserid: v.externalUserId ?? state.random.wecomId('wm'),
        name: v.name ?? state.names.customerName(),
        type: 1,
        gender: state.random.pick([0, 1, 2] as const),
        unionid: state.random.wecomId('o', 28),
        corpName: '',
        follows: [],
      });
    state.customers.follow(contact, {
      userid: v.userId,
      remark: '',
      description: '',
      createtime: state.now(),
      tagIds: [],
      remarkCorpName: '',
      remarkMobiles: [],
      operUserid: contact.externalUserid,
      addWay: 0,
      state: v.state ?? '',
    });
    const delivery = push('add_half_external_contact', v.userId, contact.externalUserid, [['State', v.state || undefined]]);
    ctx.body = { externalUserId: contact.externalUserid, deliveryId: delivery.id };
  });

  router.post('/__sandbox/events/msg-audit-approved', (ctx) => {
    const v = input(schemas.relation, ctx.request.body);
    if (!state.customers.relation(v.externalUserId, v.userId)) fail('RELATION_NOT_FOUND', `${v.userId} does not follow ${v.externalUserId}`);
    ctx.body = { deliveryId: push('msg_audit_approved', v.userId, v.externalUserId).id };
  });
}

function fail(code: 'EMPLOYEE_NOT_FOUND' | 'RELATION_NOT_FOUND', message: string): never {
  throw new SandboxControlError(code, message);
}
