import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { QueryTypes, type Transaction } from 'sequelize';
import { foreignTableIn, pluginTableName, pluginTablePrefix, type PluginContext, type PluginDatabase, type PluginDefinition, type PluginKeyValue, type PluginServices } from '@scrm/plugin-sdk';
import type { WecomApp } from '@scrm/wecom-adapter';
import type { Database } from '../../core/db/database';
import { AppError } from '../../core/errors';
import type { KeyValueStore } from '../../core/kv/kv-store';
import type { Logger } from '../../core/logger';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import type { Outbox } from './outbox';
import { storeAllowed, type PluginStates } from './plugin-state';

const HTTP_TIMEOUT_MS = 10_000;

/**
 * One HTTP client per plugin, kept for the process: a client per request opened a new connection
 * for every platform call (order intake calls back the platform on each push).
 */
const httpClients = new Map<string, AxiosInstance>();
function httpClientOf(plugin: string): AxiosInstance {
  let client = httpClients.get(plugin);
  if (!client) httpClients.set(plugin, (client = axios.create({ timeout: HTTP_TIMEOUT_MS, httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) })));
  return client;
}

const tableName = (plugin: string, name: string) => {
  try {
    return pluginTableName(plugin, name);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', (error as Error).message);
  }
};

/** Refuses SQL naming a table outside the plugin's namespace. */
export function assertOwnTables(plugin: string, sql: string): void {
  const foreign = foreignTableIn(plugin, sql);
  if (foreign) throw new AppError('FORBIDDEN', `plugin ${plugin} may only use its own tables (${pluginTablePrefix(plugin)}*), not ${foreign}`);
}

export function pluginDatabase(db: Database, plugin: string, tx?: Transaction): PluginDatabase & { dialect: 'mysql' | 'sqlite' } {
  return {
    dialect: db.dialect,
    table: (name) => tableName(plugin, name),
    async query<T = Record<string, unknown>>(sql: string, replacements?: Record<string, unknown>): Promise<T[]> {
      assertOwnTables(plugin, sql);
      const select = /^\s*(select|with)\b/i.test(sql);
      if (select) return (await db.sequelize.query(sql, { type: QueryTypes.SELECT, replacements, transaction: tx })) as T[];
      const run = () => db.sequelize.query(sql, { replacements, transaction: tx });
      await (tx ? run() : db.exclusive(run));
      return [] as T[];
    },
  };
}

export function pluginKeyValue(kv: KeyValueStore, plugin: string): PluginKeyValue {
  const key = (name: string) => `plugin:${plugin}:${name}`;
  return {
    async get<T>(name: string) {
      const raw = await kv.get(key(name));
      return raw === null ? null : (JSON.parse(raw) as T);
    },
    set: (name, value, options) => kv.set(key(name), JSON.stringify(value), options?.ttlSeconds ? options.ttlSeconds * 1000 : undefined),
    delete: (name) => kv.del(key(name)),
    setIfAbsent: (name, value, options) => kv.setIfAbsent(key(name), JSON.stringify(value), (options?.ttlSeconds ?? 30 * 86_400) * 1000),
  };
}

const appOf = (api: string): WecomApp => (api.startsWith('externalcontact/') ? 'customer' : api.startsWith('message/') || api.startsWith('media/') ? 'agent' : 'contact');

export interface ContextDeps {
  db: Database;
  kv: KeyValueStore;
  log: Logger;
  outbox: Outbox;
  states: PluginStates;
  wecom: WecomRuntime;
  services: PluginServices;
}

/** The context one plugin's code runs with: facades and its own namespaces, never models or the app. */
export function createPluginContext(deps: ContextDeps, plugin: PluginDefinition, settings: Record<string, unknown>, tx?: Transaction): PluginContext {
  const { name, version } = plugin;
  const log = deps.log.child({ plugin: name });
  return {
    plugin: { name, version },
    settings,
    log: {
      debug: (message, fields) => log.debug(fields ?? {}, message),
      info: (message, fields) => log.info(fields ?? {}, message),
      warn: (message, fields) => log.warn(fields ?? {}, message),
      error: (message, fields) => log.error(fields ?? {}, message),
    },
    kv: pluginKeyValue(deps.kv, name),
    db: pluginDatabase(deps.db, name, tx),
    http: httpClientOf(name),
    wecom: {
      async call<T>(api: string, params: Record<string, unknown> = {}) {
        const client = await deps.wecom.appClient(appOf(api));
        if (!client) throw new AppError('CONFLICT', `the WeCom app for ${api} is not configured`);
        return client.call({ app: appOf(api), api, method: 'POST', body: params, replaySafe: false }) as Promise<T>;
      },
    },
    services: deps.services,
    async emit(event, payload) {
      if (tx) await deps.outbox.emit(event, payload, tx);
      else await deps.db.transaction((own) => deps.outbox.emit(event, payload, own));
    },
    async enabledForStore(storeId) {
      return storeAllowed(await deps.states.cached(name), storeId);
    },
  };
}
