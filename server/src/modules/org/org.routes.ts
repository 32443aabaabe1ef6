import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import { permissionCatalogue } from '../access/permissions';
import * as schemas from './org.schemas';
import type { RegionService } from './region.service';
import type { RoleService } from './role.service';
import type { StoreService } from './store.service';
import type { UserService } from './user.service';

export interface OrgServices {
  regions: RegionService;
  stores: StoreService;
  roles: RoleService;
  users: UserService;
}

export const orgRoutes = ({ regions, stores, roles, users }: OrgServices) => [
  route({ method: 'get', path: '/api/regions', tag: 'organisation', summary: 'Regions in your scope', permission: 'org:read', response: z.array(schemas.region), handler: ({ actor }) => regions.list(actor) }),
  route({ method: 'post', path: '/api/regions', tag: 'organisation', summary: 'Create a region', permission: 'org:write', body: schemas.regionBody, response: schemas.region, handler: ({ actor, body }) => regions.create(actor, body) }),
  route({
    method: 'patch',
    path: '/api/regions/:id',
    tag: 'organisation',
    summary: 'Rename a region',
    permission: 'org:write',
    params: idParams,
    body: schemas.regionPatch,
    response: schemas.region,
    handler: ({ actor, params, body }) => regions.update(actor, params.id, body),
  }),
  route({ method: 'delete', path: '/api/regions/:id', tag: 'organisation', summary: 'Delete an empty region', permission: 'org:write', params: idParams, handler: ({ actor, params }) => regions.remove(actor, params.id) }),

  route({
    method: 'get',
    path: '/api/stores',
    tag: 'organisation',
    summary: 'Stores in your scope',
    permission: 'org:read',
    query: schemas.storeQuery,
    response: pageSchema(schemas.store),
    handler: async ({ actor, query }) => {
      const { items, total } = await stores.list(actor, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({ method: 'get', path: '/api/stores/:id', tag: 'organisation', summary: 'One store', permission: 'org:read', params: idParams, response: schemas.store, handler: ({ actor, params }) => stores.get(actor, params.id) }),
  route({ method: 'post', path: '/api/stores', tag: 'organisation', summary: 'Create a store', permission: 'org:write', body: schemas.storeBody, response: schemas.store, handler: ({ actor, body }) => stores.create(actor, body) }),
  route({
    method: 'patch',
    path: '/api/stores/:id',
    tag: 'organisation',
    summary: 'Change a store',
    permission: 'org:write',
    params: idParams,
    body: schemas.storePatch,
    response: schemas.store,
    handler: ({ actor, params, body }) => stores.update(actor, params.id, body),
  }),
  route({ method: 'delete', path: '/api/stores/:id', tag: 'organisation', summary: 'Delete an empty store', permission: 'org:write', params: idParams, handler: ({ actor, params }) => stores.remove(actor, params.id) }),

  route({ method: 'get', path: '/api/permissions', tag: 'access', summary: 'The permission catalogue', permission: 'role:read', handler: async () => permissionCatalogue }),
  route({ method: 'get', path: '/api/roles', tag: 'access', summary: 'Built-in and custom roles', permission: 'role:read', response: z.array(schemas.role), handler: () => roles.list() }),
  route({ method: 'post', path: '/api/roles', tag: 'access', summary: 'Create a custom role', permission: 'role:write', body: schemas.roleBody, response: schemas.role, handler: ({ actor, body }) => roles.create(actor, body) }),
  route({
    method: 'patch',
    path: '/api/roles/:id',
    tag: 'access',
    summary: 'Change a custom role',
    permission: 'role:write',
    params: idParams,
    body: schemas.rolePatch,
    response: schemas.role,
    handler: ({ actor, params, body }) => roles.update(actor, params.id, body),
  }),
  route({ method: 'delete', path: '/api/roles/:id', tag: 'access', summary: 'Delete an unused custom role', permission: 'role:write', params: idParams, handler: ({ actor, params }) => roles.remove(actor, params.id) }),

  route({
    method: 'get',
    path: '/api/users',
    tag: 'organisation',
    summary: 'Users in your scope',
    permission: 'user:read',
    query: schemas.userQuery,
    response: pageSchema(schemas.user),
    handler: async ({ actor, query }) => {
      const { items, total } = await users.list(actor, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({ method: 'get', path: '/api/users/:id', tag: 'organisation', summary: 'One user', permission: 'user:read', params: idParams, response: schemas.user, handler: ({ actor, params }) => users.get(actor, params.id) }),
  route({ method: 'post', path: '/api/users', tag: 'organisation', summary: 'Create a user', permission: 'user:write', body: schemas.userBody, response: schemas.user, handler: ({ actor, body }) => users.create(actor, body) }),
  route({
    method: 'patch',
    path: '/api/users/:id',
    tag: 'organisation',
    summary: 'Change a user (role, store, status, password); signs them out where it matters',
    permission: 'user:write',
    params: idParams,
    body: schemas.userPatch,
    response: schemas.user,
    handler: ({ actor, params, body }) => users.update(actor, params.id, body),
  }),
  route({
    method: 'post',
    path: '/api/users/:id/revoke-sessions',
    tag: 'organisation',
    summary: 'Sign a user out everywhere',
    permission: 'user:write',
    params: idParams,
    response: z.object({ revoked: z.number().int() }),
    handler: ({ actor, params }) => users.revokeSessions(actor, params.id),
  }),
];
