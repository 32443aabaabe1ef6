import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { apiDispatchMiddleware } from './api-dispatch.middleware';
import { createApiQuota } from './api-quota';
import type { ApiDeps, ApiFactory } from './api-registry';
import { authApis } from './auth.api';
import { createCallbackPusher } from './callback-pusher';
import { contactWayApis } from './contact-way.api';
import { controlErrorMiddleware, controlRouter } from './control.routes';
import { corpTagApis } from './corp-tag.api';
import { directoryApis } from './directory.api';
import { externalContactApis } from './external-contact.api';
import { groupChatApis } from './group-chat.api';
import { groupMsgApis } from './group-msg.api';
import { handoverApis } from './handover.api';
import { mediaApis } from './media.api';
import { messageApis } from './message.api';
import { createSandboxControl } from './sandbox-control';
import { createSandboxEvents } from './sandbox-events';
import { seedSandbox } from './sandbox-seed';
import { createSandboxState } from './sandbox-state';
import type { CallbackTarget, FaultOptions, SandboxOptions } from './sandbox.types';
import { createSeededRandom } from './seeded-random';
import { transferApis } from './transfer.api';

export type { SandboxOptions } from './sandbox.types';

const apiFactories: ApiFactory[] = [authApis, directoryApis, externalContactApis, corpTagApis, groupChatApis, messageApis, contactWayApis, transferApis, handoverApis, mediaApis, groupMsgApis];

/**
 * An offline WeCom: a Koa server answering /cgi-bin/* like qyapi.weixin.qq.com (HTTP 200 + errcode),
 * pushing encrypted callbacks to `callback.url`, with a /__sandbox control API and page.
 */
export function createSandbox(options: SandboxOptions) {
  const clock = options.clock ?? Date.now;
  const seedValue = options.seed?.seed ?? 1;
  const state = createSandboxState({ corpId: options.corpId, agentId: options.agentId, clock, seed: seedValue });
  if (options.seed) seedSandbox(state, options.seed);

  const runtime: { faults: FaultOptions; callback?: CallbackTarget } = { faults: { ...options.faults }, callback: options.callback };
  const faultRandom = createSeededRandom(seedValue ^ 0x5eed);
  const pusher = createCallbackPusher({
    corpId: options.corpId,
    clock,
    random: faultRandom,
    target: () => runtime.callback,
    faults: () => runtime.faults,
    timeoutMs: options.callbackTimeoutMs ?? 5000,
    retries: options.callbackRetries ?? 3,
    retryDelayMs: options.callbackRetryDelayMs ?? 1000,
  });
  const events = createSandboxEvents(state, pusher);
  let url: string | undefined;
  const control = createSandboxControl({ state, events, pusher, options, runtime, url: () => url });

  const deps: ApiDeps = {
    state,
    options: { corpId: options.corpId, secrets: options.secrets, agentId: options.agentId, tokenTtlSeconds: options.tokenTtlSeconds ?? 7200 },
    push: (event) => pusher.push(event),
  };
  const quotaPerMinute = options.quotaPerMinute ?? 10_000;
  const app = new Koa();
  app.silent = true;
  app.use(apiDispatchMiddleware({ state, apis: apiFactories.flatMap((f) => f(deps)), quota: createApiQuota(clock, () => quotaPerMinute), faults: () => runtime.faults, faultRandom }));
  app.use(controlErrorMiddleware);
  app.use(bodyParser({ enableTypes: ['json'], jsonStrict: true }));
  app.use((ctx, next) => (ctx.path === '/__sandbox' ? ctx.redirect('/__sandbox/') : next()));
  const router = controlRouter(control);
  app.use(router.routes());
  app.use(router.allowedMethods());

  let server: Server | undefined;
  return {
    state,
    control,
    /** Starts the HTTP server (port 0 = any free port). */
    listen(port = 0, host = '127.0.0.1'): Promise<{ url: string }> {
      return new Promise((resolve, reject) => {
        const started = app.listen(port, host);
        started.once('error', reject);
        started.once('listening', () => {
          const address = started.address() as AddressInfo;
          url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
          server = started;
          resolve({ url });
        });
      });
    },
    close(): Promise<void> {
      const running = server;
      server = undefined;
      if (!running) return Promise.resolve();
      return new Promise((resolve, reject) => {
        running.close((error) => (error ? reject(error) : resolve()));
        running.closeAllConnections();
      });
    },
    drainCallbacks: () => pusher.drain(),
    verifyCallbackUrl: () => pusher.verifyUrl(),
  };
}

export type Sandbox = ReturnType<typeof createSandbox>;
