import { createHash } from 'node:crypto';
import { createCallbackCrypto, createWecomClient, DEFAULT_API_BASE, type CallbackCrypto, type SharedStore, type WecomApp, type WecomClient } from '@scrm/wecom-adapter';
import type { AppConfig } from '../../config/load-config';
import type { Logger } from '../../core/logger';
import type { SettingsService } from '../settings/settings.service';
import { wecomSettingFields, type SettingSource, type WecomSettingName, type WecomSettings } from './wecom-settings';

export type WecomMode = 'live' | 'sandbox' | 'unconfigured';

export interface WecomState {
  mode: WecomMode;
  settings: WecomSettings;
  sources: Record<WecomSettingName, SettingSource>;
  /** Null until the callback token and EncodingAESKey are set. */
  crypto: CallbackCrypto | null;
}

const CACHE_MS = 5000;

/** The setting holding each WeCom app's secret: contact (通讯录), customer (客户联系), agent (自建应用). */
const appSecret = { contact: 'contactSecret', customer: 'customerSecret', agent: 'agentSecret' } as const satisfies Record<WecomApp, WecomSettingName>;
const appLabel: Record<WecomApp, string> = { contact: 'contacts', customer: 'customer contact', agent: 'self-built' };

/**
 * The WeCom connection in force: settings from the environment, then the console, then the
 * sandbox. Read again every few seconds, so a change made on one instance reaches the others.
 */
export function createWecomRuntime(deps: { config: AppConfig; settings: SettingsService; log: Logger; store: SharedStore }) {
  const { config, settings, log, store } = deps;
  let client: { fingerprint: string; client: WecomClient } | null = null;
  let sandboxValues: Partial<WecomSettings> | null = null;
  let cached: { at: number; state: WecomState } | null = null;

  async function load(): Promise<WecomState> {
    const stored = await settings.read(wecomSettingFields.map((f) => f.key));
    const values = {} as WecomSettings;
    const sources = {} as Record<WecomSettingName, SettingSource>;
    // The sandbox fills in only when no corp is configured at all: never mixed into a real connection.
    const configuredCorp = config.WECOM_CORP_ID || stored.get('wecom.corp_id');
    const sandbox = configuredCorp ? null : sandboxValues;
    for (const field of wecomSettingFields) {
      const fromEnv = config[field.env];
      const fromConsole = stored.get(field.key);
      const fromSandbox = sandbox?.[field.name];
      const [value, source]: [string | null, SettingSource] =
        typeof fromEnv === 'string' && fromEnv
          ? [fromEnv, 'env']
          : fromConsole
            ? [fromConsole, 'console']
            : fromSandbox
              ? [fromSandbox, 'sandbox']
              : field.name === 'apiBase'
                ? [DEFAULT_API_BASE, 'default']
                : [null, 'unset'];
      values[field.name] = value;
      sources[field.name] = source;
    }
    let crypto: CallbackCrypto | null = null;
    if (values.callbackToken && values.callbackAesKey && values.corpId) {
      try {
        crypto = createCallbackCrypto({ token: values.callbackToken, encodingAesKey: values.callbackAesKey, receiveId: values.corpId });
      } catch (error) {
        log.error({ err: error }, 'WeCom callback settings are invalid');
      }
    }
    const mode: WecomMode = sources.corpId === 'sandbox' ? 'sandbox' : values.corpId ? 'live' : 'unconfigured';
    return { mode, settings: values, sources, crypto };
  }

  async function current(): Promise<WecomState> {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.state;
    cached = { at: Date.now(), state: await load() };
    return cached.state;
  }

  /**
   * The API client for the settings in force, or null without a corp. Its tokens and budgets are
   * kept under a fingerprint of the credentials, so changing a secret never reuses an old token.
   */
  async function currentClient(): Promise<WecomClient | null> {
    const { settings: values } = await current();
    if (!values.corpId) return null;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([values.corpId, values.apiBase, values.contactSecret, values.customerSecret, values.agentSecret, values.agentId]))
      .digest('hex')
      .slice(0, 12);
    if (client?.fingerprint !== fingerprint) {
      const secrets = { contact: values.contactSecret ?? undefined, customer: values.customerSecret ?? undefined, agent: values.agentSecret ?? undefined };
      client = {
        fingerprint,
        client: createWecomClient({
          corpId: values.corpId,
          apiBase: values.apiBase ?? undefined,
          secrets,
          agentId: values.agentId ? Number(values.agentId) : undefined,
          store: prefixedStore(store, `wecom:${fingerprint}:`),
          logger: log,
          limits: config.WECOM_API_PER_MINUTE ? { perMinute: config.WECOM_API_PER_MINUTE } : undefined,
        }),
      };
    }
    return client.client;
  }

  /** The client when WeCom app `app` is set up (its secret is set), else null. */
  async function appClient(app: WecomApp): Promise<WecomClient | null> {
    const { settings: values } = await current();
    return values[appSecret[app]] ? currentClient() : null;
  }

  /** As appClient, for work that cannot go on without the app (a sync run): throws when it is not set up. */
  async function requireAppClient(app: WecomApp): Promise<WecomClient> {
    const found = await appClient(app);
    if (!found) throw new Error(`WeCom ${appLabel[app]} app is not configured (${app} secret)`);
    return found;
  }

  return {
    /** True when no corp is configured anywhere: `npm start` then runs the WeCom sandbox. */
    async needsSandbox(): Promise<boolean> {
      if (config.WECOM_CORP_ID) return false;
      return !(await settings.read(['wecom.corp_id'])).get('wecom.corp_id');
    },
    useSandbox(values: Partial<WecomSettings>): void {
      sandboxValues = values;
      cached = null;
    },
    current,
    invalidate(): void {
      cached = null;
    },
    client: currentClient,
    appClient,
    requireAppClient,
  };
}

export type WecomRuntime = ReturnType<typeof createWecomRuntime>;

const prefixedStore = (store: SharedStore, prefix: string): SharedStore => ({
  get: (key) => store.get(prefix + key),
  set: (key, value, ttlMs) => store.set(prefix + key, value, ttlMs),
  setIfAbsent: (key, value, ttlMs) => store.setIfAbsent(prefix + key, value, ttlMs),
  del: (key) => store.del(prefix + key),
  increment: (key, by, ttlMs) => store.increment(prefix + key, by, ttlMs),
});
