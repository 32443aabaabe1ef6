import { z } from 'zod';
import { fail } from './api-error';
import { type ApiFactory, decodeCursor, encodeCursor, offsetCursor, ok, parse, scopes } from './api-registry';
import { externalContactJson, followInfoJson, followUserJson } from './customer-json';

const FOLLOW_PAGE = 500;
const batchBody = z.object({
  userid_list: z.array(z.string()).min(1).max(100),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(100).optional(),
});
const batchCursor = z.object({ u: z.number().int().min(0), i: z.number().int().min(0) });
const remarkBody = z.object({
  userid: z.string(),
  external_userid: z.string(),
  remark: z.string().max(20).optional(),
  description: z.string().max(150).optional(),
  remark_company: z.string().max(20).optional(),
  remark_mobiles: z.array(z.string()).max(5).optional(),
  remark_pic_mediaid: z.string().optional(),
});

/** get_follow_user_list, list, get, batch/get_by_user and remark under /externalcontact. */
export const externalContactApis: ApiFactory = ({ state }) => [
  {
    path: 'externalcontact/get_follow_user_list',
    method: 'GET',
    apps: scopes.customer,
    handle: () => ok({ follow_user: state.customers.followUsers().filter((u) => state.directory.activeEmployee(u)) }),
  },
  {
    path: 'externalcontact/list',
    method: 'GET',
    apps: scopes.customer,
    handle({ query }) {
      if (!state.directory.employees.has(query.userid ?? '')) fail('USER_NOT_FOUND', query.userid);
      return ok({ external_userid: [...state.customers.idsOf(query.userid ?? '')] });
    },
  },
  {
    path: 'externalcontact/get',
    method: 'GET',
    apps: scopes.customer,
    handle({ query }) {
      const customer = state.customers.get(query.external_userid ?? '') ?? fail('INVALID_EXTERNAL_USERID', query.external_userid);
      const start = decodeCursor(query.cursor, offsetCursor)?.o ?? 0;
      const page = customer.follows.slice(start, start + FOLLOW_PAGE);
      const end = start + page.length;
      return ok({
        external_contact: externalContactJson(customer),
        follow_user: page.map((f) => followUserJson(state, f)),
        next_cursor: end < customer.follows.length ? encodeCursor({ o: end }) : '',
      });
    },
  },
  {
    path: 'externalcontact/batch/get_by_user',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(batchBody, body);
      for (const u of b.userid_list) if (!state.directory.employees.has(u)) fail('USER_NOT_FOUND', u);
      const limit = b.limit ?? 50;
      let { u, i } = decodeCursor(b.cursor, batchCursor) ?? { u: 0, i: 0 };
      const list: unknown[] = [];
      while (u < b.userid_list.length && list.length < limit) {
        const userid = b.userid_list[u] as string;
        const ids = state.customers.idsOf(userid);
        for (; i < ids.length && list.length < limit; i += 1) {
          const customer = state.customers.get(ids[i] as string);
          const relation = customer?.follows.find((f) => f.userid === userid);
          if (customer && relation) list.push({ external_contact: externalContactJson(customer), follow_info: followInfoJson(relation) });
        }
        if (i >= ids.length) {
          u += 1;
          i = 0;
        }
      }
      return ok({ external_contact_list: list, next_cursor: u < b.userid_list.length ? encodeCursor({ u, i }) : '' });
    },
  },
  {
    path: 'externalcontact/remark',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(remarkBody, body);
      const relation = state.customers.relation(b.external_userid, b.userid) ?? fail('NO_RELATION', `${b.userid} → ${b.external_userid}`);
      if (b.remark_pic_mediaid && !state.media.live(b.remark_pic_mediaid)) fail('INVALID_MEDIA_ID', b.remark_pic_mediaid);
      if (b.remark !== undefined) relation.remark = b.remark;
      if (b.description !== undefined) relation.description = b.description;
      if (b.remark_company !== undefined) relation.remarkCorpName = b.remark_company;
      if (b.remark_mobiles !== undefined) relation.remarkMobiles = [...b.remark_mobiles];
      return ok({});
    },
  },
];
