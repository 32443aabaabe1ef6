import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { pageOf, pageQuery, pageSchema, toOffset } from '../../core/http/pagination';
import { lostStatuses, type LostCustomersService } from './lost-customers.service';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

const lostQuery = pageQuery
  .extend({
    storeId: z.coerce.number().int().positive().optional(),
    wecomUserid: z.string().min(1).max(64).optional(),
    reason: z.enum(lostStatuses).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });

const lostItem = z.object({
  followId: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  customerStatus: z.string(),
  externalUserid: z.string().nullable(),
  storeId: z.number().int().nullable(),
  storeName: z.string().nullable(),
  wecomUserid: z.string(),
  employeeName: z.string().nullable(),
  remark: z.string().nullable(),
  reason: z.enum(lostStatuses),
  lostReason: z.string().nullable(),
  lostAt: z.string().nullable(),
  addedAt: z.string().nullable(),
  alert: z.object({ status: z.string(), sentAt: z.string().nullable(), recipients: z.array(z.string()) }).nullable(),
});

export const customerSyncRoutes = (lost: LostCustomersService) => [
  route({
    method: 'get',
    path: '/api/customers/lost',
    tag: 'customers',
    summary: 'Lost follow relations in your scope (customer deleted the employee, employee deleted the customer, transferred), newest first',
    permission: 'customer:read',
    query: lostQuery,
    response: pageSchema(lostItem),
    handler: async ({ actor, query }) => {
      const { items, total } = await lost.list(actor, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
];
