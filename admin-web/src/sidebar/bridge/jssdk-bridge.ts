import * as ww from '@wecom/jssdk';
import type { RegisterInput, WecomBridge } from './wecom-bridge';

const JS_API_LIST = ['getContext', 'getCurExternalContact', 'getCurExternalChat'];

/** The JS-SDK's failures are `{ errMsg }` objects: turn them into Errors. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const errMsg = (e as { errMsg?: unknown } | null)?.errMsg;
    throw new Error(typeof errMsg === 'string' ? errMsg : e instanceof Error ? e.message : String(e), { cause: e });
  }
}

/** The real WeCom client, through @wecom/jssdk. */
export function createJssdkBridge(): WecomBridge {
  return {
    kind: 'jssdk',
    oauthUrl: async (url) => url,
    async register(input: RegisterInput) {
      ww.register({
        corpId: input.corpId,
        agentId: input.agentId,
        jsApiList: JS_API_LIST,
        getConfigSignature: async (url) => {
          const s = await input.signatures(url);
          return { timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.configSignature };
        },
        getAgentConfigSignature: async (url) => {
          const s = await input.signatures(url);
          return { timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.agentConfigSignature };
        },
      });
      await call(() => ww.ensureAgentConfigReady());
    },
    getContext: () => call(async () => ({ entry: (await ww.getContext()).entry })),
    getCurExternalContact: () => call(async () => ({ userId: (await ww.getCurExternalContact()).userId })),
    getCurExternalChat: () => call(async () => ({ chatId: (await ww.getCurExternalChat()).chatId })),
  };
}
