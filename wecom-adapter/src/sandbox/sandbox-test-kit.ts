import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import axios from 'axios';
import { createSandbox } from './sandbox';
import type { SandboxApp, SandboxOptions } from './sandbox.types';

/** Helpers for the sandbox's own tests: a manual clock, a started sandbox with an HTTP client, a callback receiver. */

export const TEST_CORP_ID = 'wwsandboxtest0001';
export const TEST_SECRETS: Record<SandboxApp, string> = { contact: 'contact-secret', customer: 'customer-secret', agent: 'agent-secret' };
export const TEST_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

export function manualClock(start = Date.UTC(2024, 0, 1, 8, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export type WecomReply = { errcode: number; errmsg: string } & Record<string, unknown>;

export async function startTestSandbox(overrides: Partial<SandboxOptions> = {}) {
  const sandbox = createSandbox({ corpId: TEST_CORP_ID, agentId: 1000002, secrets: TEST_SECRETS, callbackRetryDelayMs: 0, ...overrides });
  const { url } = await sandbox.listen();
  const http = axios.create({ baseURL: url, validateStatus: () => true });
  const token = async (app: SandboxApp) => {
    const res = await http.get<WecomReply>('/cgi-bin/gettoken', { params: { corpid: TEST_CORP_ID, corpsecret: TEST_SECRETS[app] } });
    return res.data.access_token as string;
  };
  return {
    sandbox,
    url,
    http,
    token,
    async get(path: string, accessToken: string, params: Record<string, unknown> = {}) {
      const res = await http.get<WecomReply>(`/cgi-bin/${path}`, { params: { access_token: accessToken, ...params } });
      if (res.status !== 200) throw new Error(`HTTP ${res.status} from ${path}`);
      return res.data;
    },
    async post(path: string, accessToken: string, body: unknown, params: Record<string, unknown> = {}) {
      const res = await http.post<WecomReply>(`/cgi-bin/${path}`, body, { params: { access_token: accessToken, ...params } });
      if (res.status !== 200) throw new Error(`HTTP ${res.status} from ${path}`);
      return res.data;
    },
    close: () => sandbox.close(),
  };
}

export interface ReceivedRequest {
  method: string;
  url: URL;
  body: string;
}

/** A tiny HTTP server standing in for our callback endpoint; `status` decides each answer. */
export async function startCallbackReceiver(answer: (req: ReceivedRequest, index: number) => { status: number; body?: string } = () => ({ status: 200 })) {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    void text(req).then((body) => {
      const request = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://receiver'), body };
      received.push(request);
      let reply: { status: number; body?: string };
      try {
        reply = answer(request, received.length - 1);
      } catch {
        reply = { status: 500, body: 'receiver refused the request' };
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wecom/callback`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
