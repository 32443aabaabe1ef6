import { BRIDGE_CHANNEL, isBridgeReply, type BridgeCall, type BridgeCalls } from './bridge-protocol';
import { NoStandinError, type RegisterInput, type WecomBridge } from './wecom-bridge';

const REPLY_TIMEOUT_MS = 5000;

/** The sandbox: the stand-in page that framed the sidebar answers the calls, by postMessage. */
export function createSandboxBridge(): WecomBridge {
  const host = window.parent;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: number }>();

  window.addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== window.location.origin || event.source !== host || !isBridgeReply(event.data)) return;
    const waiting = pending.get(event.data.id);
    if (!waiting) return;
    pending.delete(event.data.id);
    window.clearTimeout(waiting.timer);
    if (event.data.ok) waiting.resolve(event.data.result);
    else waiting.reject(new Error(event.data.errMsg));
  });

  function ask<C extends BridgeCall>(call: C, args: BridgeCalls[C]['args']): Promise<BridgeCalls[C]['result']> {
    if (host === window) return Promise.reject(new NoStandinError());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        pending.delete(id);
        reject(new NoStandinError());
      }, REPLY_TIMEOUT_MS);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      host.postMessage({ channel: BRIDGE_CHANNEL, id, call, args }, window.location.origin);
    });
  }

  return {
    kind: 'sandbox',
    async oauthUrl(url) {
      const { userid } = await ask('oauthUser', null);
      // the sandbox's authorize page signs in the employee named by ?userid= (WeCom knows it from the client)
      const [beforeHash, hash] = url.split('#');
      const target = new URL(beforeHash ?? url);
      target.searchParams.set('userid', userid);
      return hash === undefined ? target.toString() : `${target.toString()}#${hash}`;
    },
    async register(input: RegisterInput) {
      const url = window.location.href.split('#')[0] ?? window.location.href;
      const s = await input.signatures(url);
      await ask('agentConfig', { corpId: input.corpId, agentId: input.agentId, url, timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.agentConfigSignature });
    },
    getContext: () => ask('getContext', null),
    getCurExternalContact: () => ask('getCurExternalContact', null),
    getCurExternalChat: () => ask('getCurExternalChat', null),
  };
}
