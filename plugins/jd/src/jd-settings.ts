import { z } from 'zod';
import { commonConnectorSettings } from '../../commerce-core/src';

export const jdSettings = z.object({
  appKey: z.string().min(1).describe('应用 App Key / App key'),
  appSecret: z.string().min(1).describe('应用 App Secret（加密保存）/ App secret (stored encrypted)'),
  accessToken: z.string().default('').describe('商家授权 access_token / Vendor access token'),
  shopId: z.string().min(1).default('jd').describe('店铺标识（用于订单规则与默认门店）/ Shop id used by order rules'),
  gateway: z.string().url().default('https://api.jd.com/routerjson').describe('JOS 网关 / JOS gateway'),
  ...commonConnectorSettings,
});
export type JdSettings = z.infer<typeof jdSettings>;
