import type { AppConfig } from '../../config/load-config';

/** One WeCom setting: where it lives in the environment and in the settings table. */
export interface WecomSettingField {
  name: WecomSettingName;
  env: keyof AppConfig;
  key: string;
  secret: boolean;
}

export const wecomSettingNames = ['corpId', 'apiBase', 'callbackToken', 'callbackAesKey', 'contactSecret', 'customerSecret', 'agentId', 'agentSecret'] as const;
export type WecomSettingName = (typeof wecomSettingNames)[number];

export const wecomSettingFields: readonly WecomSettingField[] = [
  { name: 'corpId', env: 'WECOM_CORP_ID', key: 'wecom.corp_id', secret: false },
  { name: 'apiBase', env: 'WECOM_API_BASE', key: 'wecom.api_base', secret: false },
  { name: 'callbackToken', env: 'WECOM_CALLBACK_TOKEN', key: 'wecom.callback_token', secret: true },
  { name: 'callbackAesKey', env: 'WECOM_CALLBACK_AES_KEY', key: 'wecom.callback_aes_key', secret: true },
  { name: 'contactSecret', env: 'WECOM_CONTACT_SECRET', key: 'wecom.contact_secret', secret: true },
  { name: 'customerSecret', env: 'WECOM_CUSTOMER_SECRET', key: 'wecom.customer_secret', secret: true },
  { name: 'agentId', env: 'WECOM_AGENT_ID', key: 'wecom.agent_id', secret: false },
  { name: 'agentSecret', env: 'WECOM_AGENT_SECRET', key: 'wecom.agent_secret', secret: true },
];

export type WecomSettings = Record<WecomSettingName, string | null>;
export type SettingSource = 'env' | 'console' | 'sandbox' | 'default' | 'unset';
