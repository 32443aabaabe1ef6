import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallbackCrypto, createSandbox, type Sandbox } from '@scrm/wecom-adapter';
import { sealedCallback } from '../testing/wecom-test-callbacks';

const CORP = 'ww_scale_test';
const AGENT_ID = 1000002;
const secrets = { contact: 'scale-contact-secret', customer: 'scale-customer-secret', agent: 'scale-agent-secret' };

/** What the proxy does with one /cgi-bin call: pass it on, answer an errcode, or hold it past the client's timeout. */
export type Fault = 'pass' | { errcode: number } | { holdMs: number };

export interface ApiCall {
  api: string;
  at: number;
  /** gettoken: which secret asked, and the expires_in it was answered. */
  app?: string;
  expiresIn?: number;
  /** The errcode WeCom answered, for calls passed on. */
  errcode?: number;
  fault: Fault;
}

/**
 * The WeCom sandbox behind a proxy that records every API call and can inject faults (-1, 45009,
 * hangs). Instances reach it through WECOM_API_BASE; callbacks are sealed here and sent to any
 * instance, as WeCom's load balancer would.
 */
export async function startWecomWithFaults(options: { tokenTtlSeconds?: number; employees?: number } = {}) {
  const callback = { token: 'scale-callback-token', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  const sandbox: Sandbox = createSandbox({ corpId: CORP, agentId: AGENT_ID, secrets, tokenTtlSeconds: options.tokenTtlSeconds, seed: { employees: options.employees ?? 3, customers: 0, seed: 5 } });
  const upstream = (await sandbox.listen(0, '127.0.0.1')).url;
  const calls: ApiCall[] = [];
  let decide: (api: string, index: number) => Fault = () => 'pass';
  const holds = new Set<ServerResponse>();

  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', upstream);
      const api = url.pathname.replace(/^\/cgi-bin\//, '');
      const fault = decide(api, calls.filter((c) => c.api === api).length);
      const call: ApiCall = { api, at: Date.now(), fault };
      calls.push(call);
      if (fault !== 'pass' && 'holdMs' in fault) {
        holds.add(res);
        setTimeout(() => holds.delete(res) && res.destroy(), fault.holdMs).unref();
        return;
      }
      if (fault !== 'pass') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode: fault.errcode, errmsg: 'injected by the scale suite' }));
        return;
      }
      const answer = await fetch(url, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const text = await answer.text();
      const body = parseJson(text);
      call.errcode = typeof body.errcode === 'number' ? body.errcode : undefined;
      if (api === 'gettoken') {
        call.app = Object.entries(secrets).find(([, secret]) => secret === url.searchParams.get('corpsecret'))?.[0];
        call.expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((ready) => proxy.listen(0, '127.0.0.1', ready));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const crypto = createCallbackCrypto({ token: callback.token, encodingAesKey: callback.encodingAesKey, receiveId: CORP });
  const employees = sandbox.state.directory.activeEmployees().map((e) => e.userid);

  return {
    sandbox,
    calls,
    env: {
      WECOM_CORP_ID: CORP,
      WECOM_API_BASE: url,
      WECOM_CONTACT_SECRET: secrets.contact,
      WECOM_CUSTOMER_SECRET: secrets.customer,
      WECOM_AGENT_SECRET: secrets.agent,
      WECOM_AGENT_ID: String(AGENT_ID),
      WECOM_CALLBACK_TOKEN: callback.token,
      WECOM_CALLBACK_AES_KEY: callback.encodingAesKey,
    },
    /** Chooses the fault for each call (`index`: calls of that API so far). */
    injectFaults(next: (api: string, index: number) => Fault) {
      decide = next;
    },
    /**
     * `count` customers added in WeCom (the sandbox knows them, so our refresh can fetch them), as the
     * signed callback requests WeCom would send.
     */
    newCustomerCallbacks(count: number, tag: string) {
      return Array.from({ length: count }, (_, i) => {
        const externalUserId = `wm_${tag}_${i}`;
        const { deliveryId } = sandbox.control.events.customerAdded({ userId: employees[i % employees.length]!, externalUserId, welcome: false });
        const xml = sandbox.control.pusher.deliveries.find((d) => d.id === deliveryId)!.xml;
        return { externalUserId, ...sealedCallback(crypto, CORP, xml) };
      });
    },
    async close() {
      for (const res of holds) res.destroy();
      proxy.closeAllConnections();
      await new Promise((done) => proxy.close(done));
      await sandbox.close();
    },
  };
}

export type WecomWithFaults = Awaited<ReturnType<typeof startWecomWithFaults>>;

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
