import { z } from 'zod';

/** Settings every connector has besides its credentials. */
export const commonConnectorSettings = {
  categoryMap: z.record(z.string(), z.string()).default({}).describe('平台类目（ID 或名称）→ 品类编码，如 {"20001":"air_conditioner"} / Platform category → category code'),
};

/** Refused request of a platform push: nothing was read, nothing stored. */
export const unauthorized = (platform: string) => ({ status: 401, body: { code: 401, message: `${platform} signature does not match` } });
