import { type SharedStore } from '../shared-store';
import { type WecomCall } from './request-runner';

export interface JsapiTicketResponse {
  ticket: string;
  /** Seconds, normally 7200. */
  expires_in: number;
}

export type TicketKind = 'corp' | 'agent';

export interface JsapiDeps {
  corpId: string;
  store: SharedStore;
  now: () => number;
  /** Refresh this long before expiry. */
  marginMs: number;
}

export function ticketKey(corpId: string, kind: TicketKind): string {
  return `wecom:jsapi-ticket:${corpId}:${kind}`;
}

/**
 * JS-SDK tickets with the agent app's token (PROTOCOL §6). WeCom allows only 400 ticket fetches per
 * hour per corp and 100 per app, so `ticket(kind)` caches them in the SharedStore; the raw calls stay
 * available. (Cross-instance races may fetch a ticket twice; harmless at these rates.)
 */
export function createJsapiApi(call: WecomCall, deps: JsapiDeps) {
  const inflight = new Map<TicketKind, Promise<string>>();

  const getCorpTicket = async () => {
    const res = await call<JsapiTicketResponse>({ app: 'agent', api: 'get_jsapi_ticket', method: 'GET' });
    return { ...res, expires_in: Number(res.expires_in) || 7200 };
  };
  const getAgentTicket = async () => {
    const query = { type: 'agent_config' };
    const res = await call<JsapiTicketResponse>({ app: 'agent', api: 'ticket/get', method: 'GET', query });
    return { ...res, expires_in: Number(res.expires_in) || 7200 };
  };

  async function load(kind: TicketKind): Promise<string> {
    const key = ticketKey(deps.corpId, kind);
    const cached = parse(await deps.store.get(key));
    if (cached && cached.expiresAt > deps.now()) return cached.ticket;
    const res = kind === 'corp' ? await getCorpTicket() : await getAgentTicket();
    const ttlMs = Math.max(res.expires_in * 1000 - deps.marginMs, (res.expires_in * 1000) / 2);
    await deps.store.set(key, JSON.stringify({ ticket: res.ticket, expiresAt: deps.now() + ttlMs }), ttlMs);
    return res.ticket;
  }

  return {
    /** get_jsapi_ticket: the corp ticket for `wx.config` / getConfigSignature. */
    getCorpTicket,
    /** ticket/get?type=agent_config: the app ticket for `wx.agentConfig` / getAgentConfigSignature. */
    getAgentTicket,
    /** A cached ticket ('corp' or 'agent'), fetched only when the stored one is near expiry. */
    ticket(kind: TicketKind): Promise<string> {
      const running = inflight.get(kind);
      if (running) return running;
      const started = load(kind).finally(() => inflight.delete(kind));
      inflight.set(kind, started);
      return started;
    },
  };
}

function parse(raw: string | null): { ticket: string; expiresAt: number } | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { ticket?: unknown; expiresAt?: unknown };
    return typeof v.ticket === 'string' && typeof v.expiresAt === 'number' ? { ticket: v.ticket, expiresAt: v.expiresAt } : null;
  } catch {
    return null;
  }
}

export type JsapiApi = ReturnType<typeof createJsapiApi>;
