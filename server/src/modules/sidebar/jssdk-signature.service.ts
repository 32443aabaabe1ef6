import { signJsApi } from '@scrm/wecom-adapter';
import { AppError } from '../../core/errors';
import type { WecomRuntime } from '../wecom/wecom-runtime';

export interface JssdkSignatures {
  corpId: string;
  agentId: number;
  timestamp: number;
  nonceStr: string;
  /** For `wx.config` / `getConfigSignature` (corp ticket). */
  configSignature: string;
  /** For `wx.agentConfig` / `getAgentConfigSignature` (agent_config ticket). */
  agentConfigSignature: string;
}

/**
 * JS-SDK signatures for a page URL. The two tickets are cached by the WeCom client (WeCom allows
 * only a few hundred ticket fetches an hour), so signing costs no WeCom call most of the time.
 */
export function createJssdkSignatureService(deps: { runtime: WecomRuntime }) {
  return {
    async sign(url: string): Promise<JssdkSignatures> {
      const { settings } = await deps.runtime.current();
      const client = await deps.runtime.client();
      if (!client || !settings.corpId) throw new AppError('NOT_READY', 'WeCom is not connected: set the corp ID and the app secret first');
      if (!settings.agentId || !settings.agentSecret) throw new AppError('NOT_READY', 'the JS-SDK needs the self-built app: set its AgentId and Secret first');
      const [corpTicket, agentTicket] = await Promise.all([client.jsapi.ticket('corp'), client.jsapi.ticket('agent')]);
      const config = signJsApi({ ticket: corpTicket, url });
      const agent = signJsApi({ ticket: agentTicket, url, nonceStr: config.nonceStr, timestamp: config.timestamp });
      return {
        corpId: settings.corpId,
        agentId: Number(settings.agentId),
        timestamp: config.timestamp,
        nonceStr: config.nonceStr,
        configSignature: config.signature,
        agentConfigSignature: agent.signature,
      };
    },
  };
}

export type JssdkSignatureService = ReturnType<typeof createJssdkSignatureService>;
