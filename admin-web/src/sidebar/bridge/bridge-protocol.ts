/**
 * Messages between the sidebar (in a frame) and the sandbox's WeCom client stand-in (its parent
 * page): the sidebar asks what it would ask the JS-SDK, the stand-in answers as the client would.
 */
export const BRIDGE_CHANNEL = 'scrm-wecom-standin';

export type EntryType = 'normal' | 'contact_profile' | 'single_chat_tools' | 'group_chat_tools' | 'single_kf_tools' | (string & {});

export interface AgentConfigInput {
  corpId: string;
  agentId: number;
  url: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/** Each call with its argument and its answer. */
export interface BridgeCalls {
  /** The employee the stand-in plays, for the sandbox's OAuth page. */
  oauthUser: { args: null; result: { userid: string } };
  agentConfig: { args: AgentConfigInput; result: null };
  getContext: { args: null; result: { entry: EntryType } };
  getCurExternalContact: { args: null; result: { userId: string } };
  getCurExternalChat: { args: null; result: { chatId: string } };
}

export type BridgeCall = keyof BridgeCalls;

export interface BridgeRequest<C extends BridgeCall = BridgeCall> {
  channel: typeof BRIDGE_CHANNEL;
  id: number;
  call: C;
  args: BridgeCalls[C]['args'];
}

export type BridgeReply = { channel: typeof BRIDGE_CHANNEL; id: number; ok: true; result: unknown } | { channel: typeof BRIDGE_CHANNEL; id: number; ok: false; errMsg: string };

export function isBridgeRequest(data: unknown): data is BridgeRequest {
  return typeof data === 'object' && data !== null && (data as { channel?: unknown }).channel === BRIDGE_CHANNEL && typeof (data as { call?: unknown }).call === 'string';
}

export function isBridgeReply(data: unknown): data is BridgeReply {
  return typeof data === 'object' && data !== null && (data as { channel?: unknown }).channel === BRIDGE_CHANNEL && typeof (data as { ok?: unknown }).ok === 'boolean';
}
