import { z } from 'zod';
import { commonConnectorSettings } from '../../commerce-core/src';

export const taobaoSettings = z.object({
  appKey: z.string().min(1).describe('应用 AppKey / App key'),
  appSecret: z.string().min(1).describe('应用 AppSecret（加密保存）/ App secret (stored encrypted)'),
  sessionKey: z.string().default('').describe('店铺授权 SessionKey / Shop session key'),
  shopId: z.string().min(1).default('taobao').describe('店铺标识（用于订单规则与默认门店）/ Shop id used by order rules'),
  gateway: z.string().url().default('https://eco.taobao.com/router/rest').describe('TOP 网关 / TOP gateway'),
  tmcGroup: z.string().default('default').describe('TMC 消息分组 / TMC group'),
  ...commonConnectorSettings,
});
export type TaobaoSettings = z.infer<typeof taobaoSettings>;
