import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import type { DirectoryService } from './directory.service';
import * as schemas from './directory.schemas';

/** Department-to-store mapping, mirrored employees and the directory sync, for admins. */
export const directoryRoutes = (directory: DirectoryService) => [
  route({
    method: 'get',
    path: '/api/wecom/directory/departments',
    tag: 'directory',
    summary: 'The WeCom department tree with each department\'s store and role mapping',
    permission: 'directory:manage',
    response: z.array(schemas.departmentNode),
    handler: () => directory.tree(),
  }),
  route({
    method: 'put',
    path: '/api/wecom/directory/departments/:wecomId/mapping',
    tag: 'directory',
    summary: 'Map a department (and its unmapped sub-departments) to a store and a role; applied to its employees at once',
    permission: 'directory:manage',
    params: schemas.departmentParams,
    body: schemas.mappingBody,
    response: schemas.mappingResult,
    handler: ({ actor, params, body }) => directory.setMapping(actor, params.wecomId, body),
  }),
  route({
    method: 'delete',
    path: '/api/wecom/directory/departments/:wecomId/mapping',
    tag: 'directory',
    summary: 'Clear a department\'s mapping; its employees fall back to the nearest mapped ancestor',
    permission: 'directory:manage',
    params: schemas.departmentParams,
    response: schemas.mappingResult,
    handler: ({ actor, params }) => directory.clearMapping(actor, params.wecomId),
  }),
  route({
    method: 'get',
    path: '/api/wecom/directory/employees',
    tag: 'directory',
    summary: 'WeCom employees with the user each became',
    permission: 'directory:manage',
    query: schemas.employeeQuery,
    response: pageSchema(schemas.employeeItem),
    handler: async ({ query }) => {
      const { items, total } = await directory.employees(query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'get',
    path: '/api/wecom/directory/sync',
    tag: 'directory',
    summary: 'The latest directory sync run and its report',
    permission: 'directory:manage',
    response: schemas.syncRunView.nullable(),
    handler: () => directory.lastRun(),
  }),
  route({
    method: 'post',
    path: '/api/wecom/directory/sync',
    tag: 'directory',
    summary: 'Start a full directory sync (409 while one is running)',
    permission: 'directory:manage',
    handler: async () => {
      const run = await directory.startSync();
      return { id: Number(run.id), status: run.status };
    },
  }),
];
