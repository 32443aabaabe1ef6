import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { pageOf, pageQuery, pageSchema, toOffset } from '../../core/http/pagination';
import type { AuditLogRow } from './audit.models';
import type { AuditService } from './audit.service';

const auditQuery = pageQuery.extend({
  action: z.string().trim().max(64).optional(),
  actorId: z.coerce.number().int().positive().optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(64).optional(),
  from: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
  to: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
});

const auditEntry = z.object({
  id: z.number().int(),
  /** Null for an entry written in the last moments and not yet sealed into the hash chain. */
  seq: z.number().int().nullable(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  storeId: z.number().int().nullable(),
  diff: z.object({ before: z.unknown(), after: z.unknown() }).nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});

const present = (row: AuditLogRow) => ({
  id: Number(row.id),
  seq: row.seq === null ? null : Number(row.seq),
  at: new Date(row.at).toISOString(),
  actorId: row.actor_id === null ? null : Number(row.actor_id),
  actorName: row.actor_name,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  storeId: row.store_id === null ? null : Number(row.store_id),
  diff: row.diff ? (JSON.parse(row.diff) as { before: unknown; after: unknown }) : null,
  requestId: row.request_id,
  ip: row.ip,
});

export const auditRoutes = (audit: AuditService) => [
  route({
    method: 'get',
    path: '/api/audit-logs',
    tag: 'audit',
    summary: 'The audit trail, newest first',
    permission: 'audit:read',
    query: auditQuery,
    response: pageSchema(auditEntry),
    handler: async ({ actor, query }) => {
      const { rows, total } = await audit.list(actor, query, toOffset(query));
      return pageOf(rows.map(present), total, query);
    },
  }),
  route({
    method: 'get',
    path: '/api/audit-logs/verify',
    tag: 'audit',
    summary: 'Re-check the whole hash chain',
    permission: 'audit:read',
    response: z.object({ ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().nullable(), problems: z.array(z.object({ seq: z.number(), problem: z.string() })) }),
    handler: async () => {
      const result = await audit.verify();
      await audit.record({ action: 'audit.verified', targetType: 'audit_chain', after: { ok: result.ok, checked: result.checked } });
      return result;
    },
  }),
];
