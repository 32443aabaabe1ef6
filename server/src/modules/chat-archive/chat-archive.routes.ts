import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { validationFailed } from '../../core/errors';
import { idParams, pageQuery } from '../../core/http/pagination';
import type { ChatArchiveModule } from './chat-archive.module';
import * as schemas from './chat-archive.schemas';
import { archiveComplianceRoutes } from './archive-compliance.routes';

const tag = 'chat archive';

export const chatArchiveRoutes = (archive: ChatArchiveModule) => [
  route({
    method: 'get',
    path: '/api/chat-archive/messages',
    tag,
    summary: 'Search archived messages (keyword in Chinese or English, filters), newest first, within your data scope',
    permission: 'archive:read',
    query: schemas.searchQuery,
    response: schemas.searchReply,
    handler: ({ query, actor }) => archive.search.search(actor, query),
  }),
  route({
    method: 'get',
    path: '/api/customers/:id/chat-archive',
    tag,
    summary: "A customer's archived conversations (one-to-one and groups), newest first; empty unless they agreed when the corp requires consent",
    permission: 'archive:read',
    params: idParams,
    query: pageQuery,
    response: schemas.conversations,
    handler: ({ params, query, actor }) => archive.conversations.forCustomer(actor, params.id, query),
  }),
  route({
    method: 'delete',
    path: '/api/customers/:id/chat-archive',
    tag,
    summary: "Erase a customer's one-to-one archived messages and consent record on their request (audited)",
    permission: 'archive:manage',
    params: idParams,
    response: z.object({ removed: z.number() }),
    handler: ({ params, actor }) => archive.retention.deleteCustomer(actor, params.id),
  }),
  route({ method: 'get', path: '/api/chat-archive/status', tag, summary: 'Archive worker status: last sequence, messages stored, parked, rate, lag, last error', permission: 'archive:manage', response: schemas.status, handler: () => archive.status() }),
  route({ method: 'get', path: '/api/chat-archive/settings', tag, summary: 'Archive settings (secret masked; environment values read-only)', permission: 'archive:manage', response: schemas.settingsView, handler: () => archive.settings.view() }),
  route({
    method: 'put',
    path: '/api/chat-archive/settings',
    tag,
    summary: 'Change archive settings (secret stored encrypted; audited)',
    permission: 'archive:manage',
    body: schemas.settingsPatch,
    response: schemas.settingsView,
    handler: ({ body, actor }) => {
      const fixed = archive.settings.envFixed(body);
      if (fixed.length) throw validationFailed(fixed.map((field) => ({ path: `body.${field}`, message: 'set by the server environment; change it there' })));
      return archive.settings.update(body, actor.userId);
    },
  }),
  route({
    method: 'get',
    path: '/api/chat-archive/keys',
    tag,
    summary: 'RSA private key versions (fingerprints only)',
    permission: 'archive:manage',
    response: z.array(schemas.keyInfo.extend({ updatedAt: z.date() })),
    handler: () => archive.keys.list(),
  }),
  route({
    method: 'put',
    path: '/api/chat-archive/keys/:version',
    tag,
    summary: 'Add or replace the private key of a publickey_ver (PKCS#1 or PKCS#8 PEM; stored encrypted)',
    permission: 'archive:manage',
    params: schemas.keyVersionParams,
    body: schemas.keyBody,
    response: schemas.keyInfo,
    handler: ({ params, body }) => archive.keys.put(params.version, body.privateKey),
  }),
  ...archiveComplianceRoutes(archive),
];
