import { z } from 'zod';
import { fail } from './api-error';
import { type ApiDefinition, type ApiFactory, decodeCursor, encodeCursor, offsetCursor, ok, parse, scopes } from './api-registry';
import { TRANSFER_DELAY_MS, createTransferService } from './transfer.service';
import type { Transfer } from './transfer.state';

const PAGE = 1000;
const transferBody = z.object({
  handover_userid: z.string(),
  takeover_userid: z.string(),
  external_userid: z.array(z.string()).min(1).max(100),
  transfer_success_msg: z.string().max(200).optional(),
});
const resultBody = z.object({ handover_userid: z.string(), takeover_userid: z.string(), cursor: z.string().optional() });

/** 在职继承 and 离职继承: transfer_customer / transfer_result and their resigned/ variants. */
export const transferApis: ApiFactory = ({ state, push }) => {
  const service = createTransferService(state, push);

  const start = (kind: Transfer['kind'], path: string): ApiDefinition => ({
    path,
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(transferBody, body);
      const handover = state.directory.employees.get(b.handover_userid) ?? fail('USER_NOT_FOUND', b.handover_userid);
      if (!state.directory.activeEmployee(b.takeover_userid)) fail('USER_NOT_FOUND', b.takeover_userid);
      if (b.handover_userid === b.takeover_userid) fail('INVALID_PARAMETER', 'handover and takeover are the same member');
      if (kind === 'resigned' && handover.status !== 5) fail('INVALID_PARAMETER', 'handover_userid has not left the corp');
      if (kind === 'in-service' && handover.status === 5) fail('INVALID_PARAMETER', 'handover_userid has left: use resigned/transfer_customer');
      const now = state.clock();
      const customer = b.external_userid.map((id) => {
        if (!state.customers.get(id)) return { external_userid: id, errcode: 40096 };
        if (!state.customers.relation(id, b.handover_userid)) return { external_userid: id, errcode: 84061 };
        state.transfers.add({ kind, handoverUserid: b.handover_userid, takeoverUserid: b.takeover_userid, externalUserid: id, status: 2, startedAt: now, takeoverAt: now + TRANSFER_DELAY_MS, settled: false });
        return { external_userid: id, errcode: 0 };
      });
      return ok({ customer });
    },
  });

  const result = (kind: Transfer['kind'], path: string): ApiDefinition => ({
    path,
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(resultBody, body);
      service.settleDue();
      const all = state.transfers.between(kind, b.handover_userid, b.takeover_userid);
      const from = decodeCursor(b.cursor, offsetCursor)?.o ?? 0;
      const page = all.slice(from, from + PAGE);
      const end = from + page.length;
      return ok({
        customer: page.map((t) => ({ external_userid: t.externalUserid, status: t.status, takeover_time: Math.floor(t.takeoverAt / 1000) })),
        next_cursor: end < all.length ? encodeCursor({ o: end }) : '',
      });
    },
  });

  return [
    start('in-service', 'externalcontact/transfer_customer'),
    result('in-service', 'externalcontact/transfer_result'),
    start('resigned', 'externalcontact/resigned/transfer_customer'),
    result('resigned', 'externalcontact/resigned/transfer_result'),
  ];
};
