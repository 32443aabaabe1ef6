/**
 * What the sidebar needs from the WeCom client. Inside WeCom this is the JS-SDK; when the server
 * runs against the WeCom sandbox, the stand-in page answers instead. This module is the one switch.
 */
import type { JssdkSignatures, WecomMode } from '@/api/sidebar';
import type { EntryType } from './bridge-protocol';

export interface RegisterInput {
  corpId: string;
  agentId: number;
  /** Signatures for a page URL, from our server. */
  signatures: (url: string) => Promise<JssdkSignatures>;
}

export interface WecomBridge {
  kind: 'jssdk' | 'sandbox';
  /** The OAuth authorize URL as the client opens it (the stand-in adds the employee it plays). */
  oauthUrl(url: string): Promise<string>;
  /** ww.register with app identity (agentConfig); resolves once the client accepted the signature. */
  register(input: RegisterInput): Promise<void>;
  getContext(): Promise<{ entry: EntryType }>;
  getCurExternalContact(): Promise<{ userId: string }>;
  getCurExternalChat(): Promise<{ chatId: string }>;
}

/** Thrown when the sidebar was opened outside the stand-in page, which alone can answer. */
export class NoStandinError extends Error {
  constructor() {
    super('no WeCom client stand-in around this page');
    this.name = 'NoStandinError';
  }
}

export async function createWecomBridge(mode: WecomMode): Promise<WecomBridge> {
  if (mode === 'sandbox') return (await import('./sandbox-bridge')).createSandboxBridge();
  return (await import('./jssdk-bridge')).createJssdkBridge();
}
