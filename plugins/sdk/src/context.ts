import type { AxiosInstance } from 'axios';
import type { CommerceOrder, EventMap, EventName } from './events';

export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A key-value store private to the plugin (keys are namespaced by the host; Redis when configured). */
export interface PluginKeyValue {
  get<T = unknown>(key: string): Promise<T | null>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Sets only if absent; true when this call set it (a cheap once-only guard). */
  setIfAbsent(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<boolean>;
}

/** The plugin's own tables (created by its migrations, named `plg_<plugin>_<table>`). */
export interface PluginDatabase {
  /** `table` is the short name; the host prefixes it and refuses any other table. */
  table(name: string): string;
  query<T = Record<string, unknown>>(sql: string, replacements?: Record<string, unknown>): Promise<T[]>;
}

/** One order delivery a connector received: a platform's push message, or an order a poll found. */
export interface OrderDelivery {
  /** The platform's order id. */
  platformOrderId: string;
  /** What happened (the platform's event tag or the order's status): a repeat of one order and event is stored once. */
  event: string;
  /** The delivery as received; stored encrypted and handed back to the plugin's `orderIntake.toOrder`. */
  payload: string;
}

/** A delivery as the inbox hands it back for processing. */
export interface StoredOrderDelivery extends OrderDelivery {
  id: number;
  receivedAt: string;
  /** How many times the platform sent it. */
  deliveries: number;
}

/** Service facades: what plugins may do in the core, checked and audited like a user's request. */
export interface PluginServices {
  customers: {
    findByPhone(phone: string): Promise<{ id: number; name: string; storeId: number | null } | null>;
    findByUnionid(unionid: string): Promise<{ id: number; name: string; storeId: number | null } | null>;
    /** Creates the customer if no one matches phone/unionid (runs `customer.beforeCreate` filters). */
    upsert(input: { name: string; phone?: string; unionid?: string; address?: string; storeId?: number | null; source: string }): Promise<{ id: number; created: boolean }>;
    addTimelineEntry(customerId: number, entry: { kind: string; title: string; detail?: Record<string, unknown>; occurredAt?: string }): Promise<void>;
  };
  stores: {
    list(): Promise<Array<{ id: number; code: string | null; name: string; regionId: number | null; lat: number | null; lng: number | null }>>;
    nearest(position: { lat: number; lng: number }): Promise<{ id: number; name: string; distanceKm: number } | null>;
  };
  orders: {
    /** Idempotent on (platform, platformOrderId): a repeat or an older status changes nothing. */
    ingest(order: CommerceOrder): Promise<{ orderId: number; created: boolean; statusChanged: boolean }>;
    /**
     * Stores deliveries durably (idempotent on platform, order id and event; the platform is the
     * plugin's name) and returns once they are committed: answer the platform after it. Each is
     * processed afterwards, exactly once, through the plugin's `orderIntake.toOrder` and `ingest`.
     */
    receive(deliveries: OrderDelivery[]): Promise<void>;
  };
  workOrders: {
    create(input: { flowCode: string; storeId: number; customerId?: number; title?: string; address?: string; lat?: number; lng?: number; products?: Array<{ sku?: string; name: string; category?: string; quantity: number }>; serviceItems?: Array<{ code?: string; name: string; quantity: number }>; sourceChannel: string; amountFen?: number; externalRef?: string }): Promise<{ id: number; orderNo: string }>;
    get(id: number): Promise<{ id: number; orderNo: string; status: string; currentNodeKey: string | null; storeId: number; parts: Array<{ sku?: string; name: string; quantity: number }> } | null>;
  };
  settlement: {
    /** Reversal (after close) or removal (before close) of a job's settlement lines. */
    refundJob(workOrderId: number, reason: string): Promise<void>;
  };
}

/** What a plugin's hooks, routes, jobs and steps receive. Never raw models or the app. */
export interface PluginContext<Settings = Record<string, unknown>> {
  plugin: { name: string; version: string };
  /** The corp-wide settings (validated by the plugin's schema; secrets decrypted). */
  settings: Settings;
  log: PluginLogger;
  kv: PluginKeyValue;
  db: PluginDatabase;
  /** axios with the host's timeouts; requests and failures are logged without secrets. */
  http: AxiosInstance;
  wecom: { call<T = Record<string, unknown>>(api: string, params?: Record<string, unknown>): Promise<T> };
  services: PluginServices;
  /** Records an event in the outbox (delivered after commit to every subscribed plugin). */
  emit<K extends EventName>(event: K, payload: EventMap[K]): Promise<void>;
  /** Whether the plugin is enabled for this store (gradual rollout). */
  enabledForStore(storeId: number): Promise<boolean>;
}
