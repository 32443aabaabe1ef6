import type Router from '@koa/router';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError } from '../errors';
import { readFromReplica } from '../db/read-replicas';
import { currentContext } from '../request-context';
import { requirePermission, type Actor } from '../../modules/access/actor';
import type { Permission } from '../../modules/access/permissions';
import { parsePart } from './validation';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  ctx: Context;
}

interface BaseRoute<P, Q, B> {
  method: Method;
  /** Koa-style path under the mount point, e.g. `/api/stores/:id`. */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Shape of `data` in the success reply, for the OpenAPI document. */
  response?: z.ZodType;
  /** The handler writes ctx.body itself (files, redirects); otherwise its result is wrapped in `{ code: 0, data }`. */
  raw?: boolean;
  /** A list or report that tolerates replica lag: its reads may go to a read replica (`DB_READ_URLS`). */
  readReplica?: true;
}

export interface AuthedRoute<P, Q, B> extends BaseRoute<P, Q, B> {
  permission?: Permission;
  handler(input: RouteInput<P, Q, B> & { actor: Actor }): Promise<unknown>;
}

export interface PublicRoute<P, Q, B> extends BaseRoute<P, Q, B> {
  public: true;
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

export type RouteDefinition = AuthedRoute<any, any, any> | PublicRoute<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Declares a route once: validation, permission, OpenAPI and the reply envelope come from it. */
export const route = <P = undefined, Q = undefined, B = undefined>(definition: AuthedRoute<P, Q, B>): RouteDefinition => definition;
export const publicRoute = <P = undefined, Q = undefined, B = undefined>(definition: PublicRoute<P, Q, B>): RouteDefinition => definition;

const isPublic = (definition: RouteDefinition): definition is PublicRoute<unknown, unknown, unknown> => 'public' in definition;
const permissionOf = (definition: RouteDefinition): Permission | undefined => ('permission' in definition ? definition.permission : undefined);

// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * No id, code, key or search text we take from a URL holds a control character: refused here, they
 * never reach a query or WeCom.
 */
function assertNoControlCharacters(part: 'params' | 'query', values: Record<string, unknown>): void {
  const bad = Object.entries(values).filter(([, value]) => (Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && controlCharacter.test(v)));
  if (bad.length) throw new AppError('VALIDATION_FAILED', `the ${part === 'params' ? 'path' : 'query string'} contains control characters`, bad.map(([name]) => ({ path: `${part}.${name}`, message: 'must not contain control characters' })));
}

export function mountRoutes(router: Router, registry: OpenAPIRegistry, routes: RouteDefinition[]): void {
  for (const definition of routes) {
    router[definition.method](definition.path, async (ctx: Context) => {
      const actor = currentContext()?.actor;
      if (!isPublic(definition)) {
        const permission = permissionOf(definition);
        if (!actor) throw new AppError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <token>');
        if (permission) requirePermission(actor, permission);
      }
      assertNoControlCharacters('params', ctx.params);
      assertNoControlCharacters('query', ctx.query);
      const input = {
        params: definition.params ? parsePart('params', definition.params, ctx.params) : undefined,
        query: definition.query ? parsePart('query', definition.query, ctx.query) : undefined,
        body: definition.body ? parsePart('body', definition.body, ctx.request.body ?? {}) : undefined,
        ctx,
        actor,
      };
      const handle = () => (definition.handler as (input: unknown) => Promise<unknown>)(input);
      const result = definition.readReplica ? await readFromReplica(handle) : await handle();
      if (!definition.raw) ctx.body = { code: 0, data: result ?? null };
    });
    registry.registerPath(openApiPathOf(definition));
  }
}

function openApiPathOf(definition: RouteDefinition): RouteConfig {
  const request: RouteConfig['request'] = {};
  if (definition.params) request.params = definition.params as AnyObject as never;
  if (definition.query) request.query = definition.query as AnyObject as never;
  if (definition.body) request.body = { content: { 'application/json': { schema: definition.body } } };
  return {
    method: definition.method,
    path: definition.path.replace(/:(\w+)/g, '{$1}'),
    summary: definition.summary,
    tags: [definition.tag],
    security: isPublic(definition) ? [] : [{ bearerAuth: [] }],
    description: permissionOf(definition) ? `Requires permission \`${permissionOf(definition)}\`.` : undefined,
    request,
    responses: {
      200: definition.raw
        ? { description: 'File or raw content' }
        : {
            description: 'Success',
            content: { 'application/json': { schema: z.object({ code: z.literal(0), data: definition.response ?? z.unknown() }) } },
          },
      400: { description: 'Invalid input: `{ code: "VALIDATION_FAILED", details: [{ path, message }] }`' },
      ...(isPublic(definition) ? {} : { 401: { description: 'Not signed in' }, 403: { description: 'Missing permission' } }),
    },
  };
}
