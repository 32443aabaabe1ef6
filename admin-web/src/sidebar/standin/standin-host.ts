import { verifyAgentConfig } from '@/api/sidebar';
import { BRIDGE_CHANNEL, isBridgeRequest, type BridgeReply, type BridgeRequest, type EntryType } from '../bridge/bridge-protocol';

/** The chat the stand-in has open: as WeCom's chat toolbar would know it. */
export type StandinScene = { userid: string; kind: 'single'; externalUserId: string } | { userid: string; kind: 'group'; chatId: string };

export interface StandinCall {
  at: Date;
  call: string;
  ok: boolean;
  detail: string;
}

/**
 * Plays the WeCom client for the framed sidebar: answers its JS-SDK calls for the chosen scene,
 * and, like the client, refuses customer-contact calls until agentConfig passed its signature check.
 */
export function createStandinHost(deps: { frame: () => HTMLIFrameElement | null; scene: () => StandinScene | null; onCall: (call: StandinCall) => void }) {
  let registered = false;

  async function answer(request: BridgeRequest): Promise<unknown> {
    const scene = deps.scene();
    if (!scene) throw new Error(`${request.call}:fail no chat open`);
    const entry: EntryType = scene.kind === 'single' ? 'single_chat_tools' : 'group_chat_tools';
    switch (request.call) {
      case 'oauthUser':
        return { userid: scene.userid };
      case 'agentConfig': {
        const args = (request as BridgeRequest<'agentConfig'>).args;
        const { ok } = await verifyAgentConfig({ url: args.url, timestamp: args.timestamp, nonceStr: args.nonceStr, signature: args.signature });
        if (!ok) throw new Error('agentConfig:fail invalid signature');
        registered = true;
        return null;
      }
      case 'getContext':
        if (!registered) throw new Error('getContext:fail no permission');
        return { entry };
      case 'getCurExternalContact':
        if (!registered) throw new Error('getCurExternalContact:fail no permission');
        if (scene.kind !== 'single') throw new Error('getCurExternalContact:fail without context of external contact');
        return { userId: scene.externalUserId };
      case 'getCurExternalChat':
        if (!registered) throw new Error('getCurExternalChat:fail no permission');
        if (scene.kind !== 'group') throw new Error('getCurExternalChat:fail without context of external chat');
        return { chatId: scene.chatId };
      default:
        throw new Error(`${String((request as { call: unknown }).call)}:fail not supported`);
    }
  }

  async function onMessage(event: MessageEvent): Promise<void> {
    const frame = deps.frame();
    if (!frame?.contentWindow || event.source !== frame.contentWindow || event.origin !== window.location.origin || !isBridgeRequest(event.data)) return;
    const request = event.data;
    let reply: BridgeReply;
    try {
      const result = await answer(request);
      reply = { channel: BRIDGE_CHANNEL, id: request.id, ok: true, result };
      deps.onCall({ at: new Date(), call: request.call, ok: true, detail: result ? JSON.stringify(result) : 'ok' });
    } catch (e) {
      const errMsg = e instanceof Error ? e.message : String(e);
      reply = { channel: BRIDGE_CHANNEL, id: request.id, ok: false, errMsg };
      deps.onCall({ at: new Date(), call: request.call, ok: false, detail: errMsg });
    }
    frame.contentWindow.postMessage(reply, window.location.origin);
  }

  const listener = (event: MessageEvent) => void onMessage(event);
  return {
    start: () => window.addEventListener('message', listener),
    stop: () => window.removeEventListener('message', listener),
    /** A new page in the frame must register again, as in the client. */
    pageLoaded: () => {
      registered = false;
    },
  };
}
