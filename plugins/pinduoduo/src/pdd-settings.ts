import { z } from 'zod';
import { commonConnectorSettings } from '../../commerce-core/src';

export const pddSettings = z.object({
  clientId: z.string().min(1).describe('应用 client_id / Client id'),
  clientSecret: z.string().min(1).describe('应用 client_secret（加密保存）/ Client secret (stored encrypted)'),
  accessToken: z.string().default('').describe('店铺授权 access_token / Shop access token'),
  shopId: z.string().min(1).default('pinduoduo').describe('店铺标识（用于订单规则与默认门店）/ Shop id used by order rules'),
  gateway: z.string().url().default('https://gw-api.pinduoduo.com/api/router').describe('开放平台网关 / Open platform gateway'),
  ...commonConnectorSettings,
});
export type PddSettings = z.infer<typeof pddSettings>;
