import { type IncomingMessage, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import axios from 'axios';
import { type WecomApp, type WecomClientOptions } from '../client/client-options';
import { type FakeClock, createFakeClock } from '../client/testing/fake-clock';
import { createMemoryStore } from '../client/testing/memory-store';
import { createWecomClient } from '../client/wecom-client';
import { createCallbackCrypto } from '../crypto/callback-crypto';
import { parseEnvelope } from '../events/envelope';
import { parseEventXml } from '../events/event-parser';
import { eventIdempotencyKey } from '../events/idempotency-key';
import { type WecomEvent } from '../events/wecom-event';
import { createSandbox } from '../sandbox/sandbox';
import { type SandboxApp, type SandboxOptions } from '../sandbox/sandbox.types';

/**
 * Wiring for client ↔ sandbox tests over real HTTP on random local ports: a sandbox, a client whose
 * axios instance records every exchange, and a callback endpoint that verifies, decrypts and parses.
 */

export const CORP_ID = 'wwintegration0001';
export const AGENT_ID = 1000002;
export const SECRETS: Record<SandboxApp, string> = { contact: 'contact-secret', customer: 'customer-secret', agent: 'agent-secret' };
export const CALLBACK_TOKEN = 'integrationCallbackToken';
export const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

const appOfSecret = new Map(Object.entries(SECRETS).map(([app, secret]) => [secret, app as WecomApp]));

export interface Exchange {
  /** Path under /cgi-bin/. */
  api: string;
  errcode: number;
}

/** An axios instance that records which app asked for a token and every errcode WeCom answered. */
export function recordingHttp() {
  const http = axios.create({ timeout: 5_000 });
  const gettoken: Array<WecomApp | 'unknown'> = [];
  const exchanges: Exchange[] = [];
  const apiOf = (url: string | undefined) => (url ?? '').replace(/^.*\/cgi-bin\//, '');
  http.interceptors.request.use((config) => {
    const params = config.params as Record<string, unknown> | undefined;
    if (apiOf(config.url) === 'gettoken') gettoken.push(appOfSecret.get(String(params?.corpsecret)) ?? 'unknown');
    return config;
  });
  http.interceptors.response.use((res) => {
    const body = res.data as { errcode?: number } | undefined;
    exchanges.push({ api: apiOf(res.config.url), errcode: Number(body?.errcode ?? 0) });
    return res;
  });
  return {
    http,
    /** Apps, in order, for which gettoken was called. */
    gettoken,
    exchanges,
    gettokenCalls: (app: WecomApp) => gettoken.filter((a) => a === app).length,
    answered: (errcode: number) => exchanges.filter((e) => e.errcode === errcode),
  };
}

export interface StartOptions {
  sandbox?: Partial<SandboxOptions>;
  client?: Partial<WecomClientOptions>;
  /** The client's clock; the sandbox shares it unless `sandbox.clock` says otherwise. */
  clock?: FakeClock;
}

/** A listening sandbox and a client pointed at it, with fixed jitter and an in-memory store. */
export async function startSandboxAndClient(options: StartOptions = {}) {
  const clock = options.clock ?? createFakeClock();
  const sandbox = createSandbox({ corpId: CORP_ID, agentId: AGENT_ID, secrets: SECRETS, clock: clock.now, callbackRetryDelayMs: 0, ...options.sandbox });
  const { url } = await sandbox.listen();
  const recorder = recordingHttp();
  const client = createWecomClient({
    corpId: CORP_ID,
    apiBase: url,
    secrets: SECRETS,
    agentId: AGENT_ID,
    store: createMemoryStore(clock.now),
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    http: recorder.http,
    ...options.client,
  });
  return { sandbox, client, clock, recorder, url, close: () => sandbox.close() };
}

export interface ReceivedCallback {
  /** The raw POST body (the encrypted envelope). */
  body: string;
  plaintext: string;
  event: WecomEvent;
  key: string;
}

/**
 * Our side of the callback URL in miniature: checks msg_signature, decrypts with `receiveId` (refusing
 * a message sealed for another corp), parses the event and answers 200; anything it refuses gets 400.
 */
export async function startCallbackEndpoint(receiveId = CORP_ID) {
  const crypto = createCallbackCrypto({ token: CALLBACK_TOKEN, encodingAesKey: AES_KEY, receiveId });
  const accepted: ReceivedCallback[] = [];
  const refused: string[] = [];

  async function handle(req: IncomingMessage): Promise<number> {
    const body = await text(req);
    const query = new URL(req.url ?? '/', 'http://endpoint').searchParams;
    try {
      const envelope = await parseEnvelope(body);
      const signed = { msgSignature: query.get('msg_signature') ?? '', timestamp: query.get('timestamp') ?? '', nonce: query.get('nonce') ?? '' };
      const plaintext = crypto.open(signed, envelope.encrypt);
      const event = await parseEventXml(plaintext);
      accepted.push({ body, plaintext, event, key: eventIdempotencyKey(event) });
      return 200;
    } catch (error) {
      refused.push(error instanceof Error ? error.message : String(error));
      return 400;
    }
  }

  const server: Server = createServer((req, res) => {
    void handle(req).then((status) => res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'success' : 'refused'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: { url: `http://127.0.0.1:${port}/wecom/callback`, token: CALLBACK_TOKEN, encodingAesKey: AES_KEY },
    accepted,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `external_userid|userid` for every follow relation the sandbox holds. */
export function relationKeys(sandbox: ReturnType<typeof createSandbox>): string[] {
  return [...sandbox.state.customers.customers.values()].flatMap((c) => c.follows.map((f) => `${c.externalUserid}|${f.userid}`));
}
