import type { Context, Middleware } from 'koa';
import type { PluginContext, PluginDefinition, PluginRoute } from '@scrm/plugin-sdk';
import { AppError } from '../../core/errors';
import { currentContext } from '../../core/request-context';
import { withTimeLimit, type FailureRecorder } from './plugin-isolation';
import type { PluginStates } from './plugin-state';

const MOUNT = /^\/api\/plugins\/([a-z][a-z0-9-]*)(\/.*)?$/;
const BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_PERMISSION = 'system:settings';

interface CompiledRoute {
  route: PluginRoute<unknown>;
  pattern: RegExp;
  keys: string[];
}

function compile(route: PluginRoute<unknown>): CompiledRoute {
  const keys: string[] = [];
  const source = route.path.replace(/[.]/g, '\\.').replace(/:([A-Za-z0-9_]+)/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), keys };
}

/** The raw body (kept for signature checks) and its parsed form: JSON, a form, or the text itself. */
async function readBody(ctx: Context): Promise<{ raw: string; body: unknown }> {
  const request = ctx.request as { rawBody?: string; body?: unknown };
  if (typeof request.rawBody === 'string') return { raw: request.rawBody, body: request.body };
  if (ctx.method === 'GET' || ctx.method === 'DELETE' || !ctx.req.readable) return { raw: '', body: undefined };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'the request body is larger than 1 MB');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (ctx.is('application/x-www-form-urlencoded')) return { raw, body: Object.fromEntries(new URLSearchParams(raw)) };
  if (ctx.is('json')) {
    try {
      return { raw, body: JSON.parse(raw) as unknown };
    } catch {
      throw new AppError('MALFORMED_JSON', 'the body is not valid JSON');
    }
  }
  return { raw, body: raw };
}

const flatten = (values: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Array.isArray(value) ? (value[0] ?? '') : (value ?? '')]));

/**
 * Serves plugin routes under `/api/plugins/<name>/…`: only for enabled plugins, public ones without a
 * session (they verify their own signatures), the others with a signed-in user holding the route's
 * permission. A handler that throws or runs over its time limit answers 500 and is counted; the
 * core and other plugins are not affected.
 */
export function pluginRoutesMiddleware(deps: {
  plugins: () => ReadonlyMap<string, PluginDefinition>;
  states: PluginStates;
  contextOf: (plugin: PluginDefinition, settings: Record<string, unknown>) => PluginContext;
  recordFailure: FailureRecorder;
  timeoutMs: number;
}): Middleware {
  const compiled = new Map<string, CompiledRoute[]>();
  const routesOf = (plugin: PluginDefinition) => {
    let found = compiled.get(plugin.name);
    if (!found) compiled.set(plugin.name, (found = (plugin.routes ?? []).map((r) => compile(r as PluginRoute<unknown>))));
    return found;
  };

  return async (ctx, next) => {
    const mount = MOUNT.exec(ctx.path);
    const plugin = mount ? deps.plugins().get(mount[1] ?? '') : undefined;
    if (!mount || !plugin) return next();
    const subPath = mount[2] ?? '/';
    const method = ctx.method.toLowerCase();
    let params: Record<string, string> = {};
    const match = routesOf(plugin).find((candidate) => {
      if (candidate.route.method !== method) return false;
      const found = candidate.pattern.exec(subPath);
      if (found) params = Object.fromEntries(candidate.keys.map((key, index) => [key, decodeURIComponent(found[index + 1] ?? '')]));
      return Boolean(found);
    });
    if (!match) return next();
    const state = await deps.states.cached(plugin.name);
    if (!state.enabled) throw new AppError('NOT_FOUND', `plugin ${plugin.name} is not enabled`);
    if (match.route.auth !== 'public') {
      const actor = currentContext()?.actor;
      if (!actor) throw new AppError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <token>');
      const permission = match.route.permission ?? DEFAULT_PERMISSION;
      if (!actor.permissions.has(permission)) throw new AppError('FORBIDDEN', `missing permission ${permission}`, { permission });
    }
    const { raw, body } = await readBody(ctx);
    const request = { params, query: flatten(ctx.query), headers: flatten(ctx.headers), body, rawBody: raw };
    let reply: Awaited<ReturnType<PluginRoute<unknown>['handler']>>;
    try {
      reply = await withTimeLimit(() => match.route.handler(request, deps.contextOf(plugin, state.settings)), deps.timeoutMs, `route ${method} ${match.route.path}`);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) throw error;
      void deps.recordFailure(plugin.name, 'route', `${method} ${match.route.path}`, error);
      throw new AppError('INTERNAL', `plugin ${plugin.name} could not handle the request`);
    }
    ctx.status = reply.status ?? 200;
    for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
    ctx.body = reply.body ?? '';
  };
}
