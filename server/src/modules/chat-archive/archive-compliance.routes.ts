import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { idParams } from '../../core/http/pagination';
import type { ChatArchiveModule } from './chat-archive.module';
import * as schemas from './archive-compliance.schemas';

const tag = 'chat archive compliance';
const base = '/api/chat-archive';

/** Compliance rules (admin) and the alerts they raise (store managers, within their scope). */
export const archiveComplianceRoutes = (archive: ChatArchiveModule) => [
  route({ method: 'get', path: `${base}/rules`, tag, summary: 'Compliance rules: sensitive words and regular expressions', permission: 'archive:manage', response: z.array(schemas.rule), handler: () => archive.rules.list() }),
  route({
    method: 'post',
    path: `${base}/rules`,
    tag,
    summary: 'Add a compliance rule (a regular expression that could backtrack catastrophically is refused; audited)',
    permission: 'archive:manage',
    body: schemas.ruleBody,
    response: schemas.rule,
    handler: ({ actor, body }) => archive.rules.create(actor, body),
  }),
  route({
    method: 'put',
    path: `${base}/rules/:id`,
    tag,
    summary: 'Change a compliance rule (audited); alerts already raised keep the name they were raised under',
    permission: 'archive:manage',
    params: idParams,
    body: schemas.ruleBody,
    response: schemas.rule,
    handler: ({ actor, params, body }) => archive.rules.update(actor, params.id, body),
  }),
  route({
    method: 'delete',
    path: `${base}/rules/:id`,
    tag,
    summary: 'Delete a compliance rule (audited); its alerts stay',
    permission: 'archive:manage',
    params: idParams,
    response: z.object({ deleted: z.literal(true) }),
    handler: async ({ params }) => (await archive.rules.remove(params.id), { deleted: true as const }),
  }),
  route({
    method: 'get',
    path: `${base}/alerts`,
    tag,
    summary: 'Compliance alerts within your data scope, newest first (filters: rule, store, employee, status, message time)',
    permission: 'archive:read',
    query: schemas.alertQuery,
    response: schemas.alertPage,
    handler: ({ actor, query }) => archive.alerts.list(actor, query),
  }),
  route({
    method: 'post',
    path: `${base}/alerts/:id/handle`,
    tag,
    summary: 'Mark a compliance alert handled, with a note (audited)',
    permission: 'archive:read',
    params: idParams,
    body: schemas.handleBody,
    response: schemas.alert,
    handler: ({ actor, params, body }) => archive.alerts.handle(actor, params.id, body.note),
  }),
  route({
    method: 'get',
    path: `${base}/messages/:id/media`,
    tag: 'chat archive',
    summary: "An archived message's image, voice, video or file (item n of a mixed message with ?item=n), within your data scope; each read audited",
    permission: 'archive:read',
    params: idParams,
    query: schemas.mediaQuery,
    raw: true,
    handler: async ({ actor, params, query, ctx }) => {
      const file = await archive.media.read(actor, params.id, query.item);
      ctx.type = file.contentType;
      ctx.attachment(file.fileName, { type: file.inline ? 'inline' : 'attachment' });
      ctx.set('Cache-Control', 'private, no-store');
      ctx.length = file.size;
      ctx.body = file.body;
    },
  }),
];
