import { text } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import type { Middleware } from 'koa';
import { WecomApiError, fail } from './api-error';
import type { ApiDefinition } from './api-registry';
import type { ApiQuota } from './api-quota';
import type { SandboxState } from './sandbox-state';
import type { FaultOptions, SandboxApp } from './sandbox.types';
import type { SeededRandom } from './seeded-random';

interface DispatchDeps {
  state: SandboxState;
  apis: ApiDefinition[];
  quota: ApiQuota;
  faults: () => FaultOptions;
  faultRandom: SeededRandom;
}

const PREFIX = '/cgi-bin/';

function authenticate(state: SandboxState, accessToken: string | undefined, api: ApiDefinition): SandboxApp {
  if (!accessToken) return fail('MISSING_TOKEN');
  const check = state.credentials.checkToken(accessToken);
  if (!check.ok) return fail(check.reason === 'expired' ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN');
  if (!api.apps.includes(check.token.app)) return fail('API_FORBIDDEN', `the ${check.token.app} secret may not call ${api.path}`);
  return check.token.app;
}

async function readJson(req: Parameters<typeof text>[0]): Promise<unknown> {
  const raw = await text(req);
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return fail('INVALID_JSON', 'body is not JSON');
  }
}

/**
 * Answers /cgi-bin/* like WeCom: always HTTP 200 with errcode. Order: fault latency, quota (45009),
 * fault error rate (-1), access token (41001/40014/42001/48002), then the handler.
 */
export function apiDispatchMiddleware(deps: DispatchDeps): Middleware {
  const byPath = new Map(deps.apis.map((api) => [api.path, api]));
  return async (ctx, next) => {
    if (!ctx.path.startsWith(PREFIX)) return next();
    const path = ctx.path.slice(PREFIX.length).replace(/\/$/, '');
    const faults = deps.faults();
    ctx.status = 200;
    try {
      const api = byPath.get(path) ?? fail('API_UNKNOWN', `sandbox does not implement /cgi-bin/${path}`);
      if (faults.latencyMs) await delay(faults.latencyMs);
      if (!deps.quota.take(path)) fail('FREQUENCY_LIMIT', `more than the per-minute quota on ${path}`);
      if (deps.faultRandom.chance(faults.errorRate ?? 0)) fail('SYSTEM_BUSY');
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(ctx.query)) query[k] = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
      const app = api.public ? undefined : authenticate(deps.state, query.access_token, api);
      const body = ctx.method === 'POST' && !api.multipart ? await readJson(ctx.req) : undefined;
      ctx.body = await api.handle({ query, body, app, raw: ctx.req });
    } catch (error) {
      ctx.body = error instanceof WecomApiError ? error.toBody() : { errcode: -1, errmsg: `system error: ${error instanceof Error ? error.message : 'unknown'}` };
    }
  };
}
