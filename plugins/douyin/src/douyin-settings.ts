import { z } from 'zod';
import { commonConnectorSettings } from '../../commerce-core/src';

export const douyinSettings = z.object({
  appKey: z.string().min(1).describe('应用 App Key / App key of the 抖店 app'),
  appSecret: z.string().min(1).describe('应用 App Secret（加密保存）/ App secret (stored encrypted)'),
  accessToken: z.string().default('').describe('店铺授权 access_token / Shop access token'),
  apiBase: z.string().url().default('https://openapi-fxg.jinritemai.com').describe('开放平台网关 / Open API gateway'),
  ...commonConnectorSettings,
});
export type DouyinSettings = z.infer<typeof douyinSettings>;
