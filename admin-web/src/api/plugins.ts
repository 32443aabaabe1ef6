import { http } from './request';

export type RolloutMode = 'all' | 'percent' | 'stores';
export interface Localized {
  'zh-CN': string;
  'en-US': string;
}
export interface Rollout {
  mode: RolloutMode;
  percent: number;
  storeIds: number[];
}

/** A JSON Schema as `z.toJSONSchema` writes it (the parts the settings form reads). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  enum?: Array<string | number>;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
}

export interface PluginItem {
  name: string;
  source: 'folder' | 'package' | 'path';
  valid: boolean;
  problems: Array<{ path: string; message: string }>;
  version: string | null;
  title: Localized;
  description: Localized | null;
  hooks: string[];
  filters: string[];
  routes: Array<{ method: string; path: string; auth: string }>;
  nodes: Array<{ name: string; mode: string; title: Localized }>;
  enabled: boolean;
  rollout: Rollout;
  settings: Record<string, unknown>;
  settingsSchema: JsonSchema | null;
  secretKeys: string[];
  installedVersion: string | null;
  deadDeliveries: number;
  pendingDeliveries: number;
  failures24h: number;
}

export interface PluginDelivery {
  id: number;
  eventId: number;
  event: string;
  status: 'pending' | 'done' | 'dead' | 'skipped';
  attempts: number;
  replays: number;
  lastError: string | null;
  updatedAt: string;
}

export interface PluginFailures {
  deliveries: PluginDelivery[];
  deliveriesTotal: number;
  failures: Array<{ id: number; kind: string; target: string; error: string; at: string }>;
}

const base = '/api/system/plugins';
export const listPlugins = () => http.get<PluginItem[]>(base);
export const enablePlugin = (name: string) => http.post<unknown>(`${base}/${name}/enable`);
export const disablePlugin = (name: string) => http.post<unknown>(`${base}/${name}/disable`);
export const setPluginRollout = (name: string, rollout: Rollout) => http.put<unknown>(`${base}/${name}/rollout`, rollout);
export const savePluginSettings = (name: string, settings: Record<string, unknown>) => http.put<unknown>(`${base}/${name}/settings`, { settings });
export const pluginFailures = (name: string) => http.get<PluginFailures>(`${base}/${name}/failures`, { pageSize: 50 });
export const replayDelivery = (name: string, deliveryId: number) => http.post<unknown>(`${base}/${name}/deliveries/${deliveryId}/replay`);

/** What the generic page of a plugin's menu entry shows (`admin.menus` in the plugin). */
export interface PluginPage {
  plugin: { name: string; title: Localized; description: Localized | null; version: string; enabled: boolean };
  menu: { key: string; title: Localized; path: string };
  /** A `get` route of the plugin whose JSON the page renders; `query` fields are asked for first. */
  view: { url: string; query: Array<{ key: string; title: Localized; required?: boolean }> } | null;
  /** Only for plugin managers: the settings form. */
  manage: { settings: Record<string, unknown>; settingsSchema: JsonSchema | null; secretKeys: string[] } | null;
}

export const getPluginPage = (name: string, key: string) => http.get<PluginPage>(`/api/plugin-pages/${name}/${key}`);
/** Calls the plugin's own route (its reply is the plugin's JSON, not the core's envelope). */
export const callPluginView = (url: string, query: Record<string, string>) => http.get<unknown>(url, query);
