import type { Dec } from './money';

/** "=" when the line amount is the exact value, "≈" when rounding to the fen changed it. */
export const equalsSign = (exact: boolean): string => (exact ? '=' : '≈');

/** A quantity as written: 2 → "2", 1.5 → "1.5". */
export const quantityText = (value: Dec | number): string => (typeof value === 'number' ? String(value) : value.toString());

const channelNames: Record<string, string> = { douyin: '抖音', pinduoduo: '拼多多', taobao: '淘宝', jd: '京东', store: '门店', console: '后台', api: '接口' };

/** A source channel as people call it: douyin → 抖音; unknown channels as they are. */
export const channelName = (source: string): string => (Object.prototype.hasOwnProperty.call(channelNames, source) ? (channelNames[source] as string) : source);
