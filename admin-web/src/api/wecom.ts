import { http, type RequestOptions } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

/* ---- connection settings ---- */

export type WecomMode = 'live' | 'sandbox' | 'unconfigured';
export type WecomSettingSource = 'env' | 'console' | 'sandbox' | 'default' | 'unset';

export const WECOM_SETTING_NAMES = ['corpId', 'apiBase', 'callbackToken', 'callbackAesKey', 'contactSecret', 'customerSecret', 'agentId', 'agentSecret'] as const;
export type WecomSettingName = (typeof WECOM_SETTING_NAMES)[number];

export interface WecomSettingField {
  /** Secrets come back masked, like `****abcd`; null when not set. */
  value: string | null;
  source: WecomSettingSource;
  secret: boolean;
}

export interface WecomSettings {
  mode: WecomMode;
  fields: Record<WecomSettingName, WecomSettingField>;
  /** The URL to paste into the WeCom admin as the callback ("receive messages") URL. */
  callbackUrl: string;
}

export type WecomSettingsPatch = Partial<Record<WecomSettingName, string>>;

export type WecomCheckItemName = 'callback' | 'contactSecret' | 'customerSecret' | 'agentSecret';

export interface WecomCheckItem {
  item: WecomCheckItemName;
  ok: boolean;
  message: string;
}

export interface WecomCheckResult {
  mode: WecomMode;
  items: WecomCheckItem[];
}

export const getWecomSettings = () => http.get<WecomSettings>('/api/wecom/settings');
/** Send only the fields that changed; the caller shows validation errors on the fields. */
export const updateWecomSettings = (patch: WecomSettingsPatch, opts?: RequestOptions) => http.put<WecomSettings>('/api/wecom/settings', patch, opts);
export const checkWecomConnection = () => http.post<WecomCheckResult>('/api/wecom/settings/check');

/* ---- received callbacks ---- */

export const WECOM_CALLBACK_KINDS = ['contact', 'external_contact', 'external_chat', 'external_tag', 'msgaudit_notify', 'message', 'unknown'] as const;
export type WecomCallbackStatus = 'processed' | 'pending' | 'dead';
export const WECOM_CALLBACK_STATUSES: WecomCallbackStatus[] = ['processed', 'pending', 'dead'];

export interface WecomCallback {
  id: number;
  kind: string;
  event: string | null;
  changeType: string | null;
  summary: Record<string, unknown>;
  status: WecomCallbackStatus;
  attempts: number;
  lastError: string | null;
  /** How many times WeCom delivered this same event (retries are de-duplicated). */
  deliveries: number;
  eventTime: string | null;
  receivedAt: string;
  processedAt: string | null;
}

export interface WecomCallbackQuery extends PageQuery {
  kind?: string;
  changeType?: string;
  status?: WecomCallbackStatus | '';
}

export const listWecomCallbacks = async (query: WecomCallbackQuery = {}): Promise<PageResult<WecomCallback>> =>
  toPage(await http.get<PageResult<WecomCallback>>('/api/wecom/callbacks', cleanParams(query)), query);
export const replayWecomCallback = (id: number | string) => http.post<{ replayed: boolean }>(`/api/wecom/callbacks/${id}/replay`);
