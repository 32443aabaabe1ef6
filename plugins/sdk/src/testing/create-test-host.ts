import axios from 'axios';
import { QueryTypes, Sequelize } from 'sequelize';
import type { z } from 'zod';
import type { PluginContext, PluginDatabase, PluginKeyValue } from '../context';
import type { PluginDefinition, PluginRoute } from '../define-plugin';
import type { Delivery, EventMap, EventName, FilterMap, FilterName } from '../events';
import { foreignTableIn, pluginTableName } from '../tables';
import { createFakeServices, type FakeServiceRecord, type FakeStore, type ServiceOverrides } from './fake-services';

export interface TestHostOptions {
  /** Raw settings, parsed by the plugin's schema (defaults apply). */
  settings?: Record<string, unknown>;
  /** Replace any service facade method; the others are in-memory fakes. */
  services?: ServiceOverrides;
  stores?: FakeStore[];
  /** Stores the plugin counts as enabled for (default: all). */
  enabledStoreIds?: number[];
}

export interface RouteRequest {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Defaults to the JSON of `body` (or the body itself when it is a string). */
  rawBody?: string;
}

/** A filter's refusal, as the test host reports it. */
export class FilterVetoed extends Error {
  constructor(readonly plugin: string, readonly reason: string) {
    super(`refused by plugin ${plugin}: ${reason}`);
    this.name = 'FilterVetoed';
  }
}

export type TestHost<S extends z.ZodType> = Awaited<ReturnType<typeof createTestHost<S>>>;

const defaultStores: FakeStore[] = [
  { id: 1, code: 'SH01', name: '上海一店', lat: 31.2304, lng: 121.4737 },
  { id: 2, code: 'BJ01', name: '北京一店', lat: 39.9042, lng: 116.4074 },
];

/**
 * Runs a plugin offline: its migrations on in-memory SQLite, its settings parsed by its schema, and
 * the core's services as in-memory fakes. Every call delivers what the plugin emitted to its own
 * hooks afterwards (as the outbox would after commit) and records everything for assertions.
 */
export async function createTestHost<S extends z.ZodType>(plugin: PluginDefinition<S>, options: TestHostOptions = {}) {
  const sequelize = new Sequelize('sqlite::memory:', { logging: false });
  const settings = (plugin.settings ? plugin.settings.parse(options.settings ?? {}) : (options.settings ?? {})) as z.infer<S>;
  const { services, record } = createFakeServices(options.stores ?? defaultStores, options.services);
  const kvEntries = new Map<string, { value: string; expiresAt: number | null }>();
  const emitted: Array<{ event: EventName; payload: unknown }> = [];
  const deliveries: Array<{ event: EventName; delivery: Delivery; error: string | null }> = [];
  const pending: Array<{ event: EventName; payload: unknown }> = [];
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  let nextEventId = 1;

  const db: PluginDatabase = {
    table: (name) => pluginTableName(plugin.name, name),
    async query<T>(sql: string, replacements?: Record<string, unknown>) {
      const foreign = foreignTableIn(plugin.name, sql);
      if (foreign) throw new Error(`plugin ${plugin.name} may only use its own tables, not ${foreign}`);
      if (/^\s*(select|with)\b/i.test(sql)) return (await sequelize.query(sql, { type: QueryTypes.SELECT, replacements })) as T[];
      await sequelize.query(sql, { replacements });
      return [] as T[];
    },
  };

  const live = (key: string) => {
    const entry = kvEntries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) kvEntries.delete(key);
    return kvEntries.get(key) ?? null;
  };
  const kv: PluginKeyValue = {
    async get<T>(key: string) {
      const entry = live(key);
      return entry ? (JSON.parse(entry.value) as T) : null;
    },
    async set(key, value, opts) {
      kvEntries.set(key, { value: JSON.stringify(value), expiresAt: opts?.ttlSeconds ? Date.now() + opts.ttlSeconds * 1000 : null });
    },
    async delete(key) {
      kvEntries.delete(key);
    },
    async setIfAbsent(key, value, opts) {
      if (live(key)) return false;
      await kv.set(key, value, opts);
      return true;
    },
  };

  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, fields });
  const context: PluginContext<z.infer<S>> = {
    plugin: { name: plugin.name, version: plugin.version },
    settings,
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    kv,
    db,
    http: axios.create({ timeout: 10_000 }),
    wecom: {
      async call() {
        throw new Error('the test host has no WeCom client: stub context.wecom.call in your test');
      },
    },
    services,
    async emit(event, payload) {
      emitted.push({ event, payload });
      pending.push({ event, payload });
    },
    async enabledForStore(storeId) {
      return !options.enabledStoreIds || options.enabledStoreIds.includes(storeId);
    },
  };

  async function deliverOne(event: EventName, payload: unknown, attempt = 1): Promise<void> {
    const hook = plugin.hooks?.[event] as ((p: unknown, c: PluginContext<z.infer<S>>, d: Delivery) => Promise<void>) | undefined;
    if (!hook) return;
    const delivery: Delivery = { id: `${nextEventId++}:${plugin.name}`, attempt, occurredAt: new Date().toISOString() };
    try {
      await hook(payload, context, delivery);
      deliveries.push({ event, delivery, error: null });
    } catch (error) {
      deliveries.push({ event, delivery, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /** Delivers what the plugin emitted, as the outbox would after commit. */
  async function settle(): Promise<void> {
    while (pending.length) {
      const next = pending.shift()!;
      await deliverOne(next.event, next.payload);
    }
  }

  async function after<T>(work: () => Promise<T>): Promise<T> {
    const result = await work();
    await settle();
    return result;
  }

  const migrationDb = { dialect: 'sqlite' as const, table: db.table, query: (sql: string) => db.query(sql) };
  for (const migration of plugin.migrations ?? []) await migration.up(migrationDb);

  return {
    context,
    settings,
    /** What the in-memory services were asked to do (customers, orders, work orders, refunds, timeline). */
    services: record as FakeServiceRecord,
    emitted,
    deliveries,
    logs,
    db,
    kv,

    /** Delivers an event to the plugin's hook, as the core's outbox would. */
    emit<K extends EventName>(event: K, payload: EventMap[K]): Promise<void> {
      return after(() => deliverOne(event, payload));
    },

    /** Runs the plugin's filter; a veto throws FilterVetoed. Without that filter, the input comes back. */
    async filter<K extends FilterName>(name: K, input: FilterMap[K]): Promise<FilterMap[K]> {
      const filter = plugin.filters?.[name] as ((i: FilterMap[K], c: PluginContext<z.infer<S>> & { veto(reason: string): never }) => Promise<FilterMap[K]>) | undefined;
      if (!filter) return input;
      const veto = (reason: string): never => {
        throw new FilterVetoed(plugin.name, reason);
      };
      return after(() => filter(structuredClone(input), { ...context, veto }));
    },

    /** Calls a route as `/api/plugins/<name><path>` would. */
    async route(method: PluginRoute<unknown>['method'], path: string, request: RouteRequest = {}) {
      const [pathname = '', search = ''] = path.split('?');
      for (const route of plugin.routes ?? []) {
        if (route.method !== method) continue;
        const keys: string[] = [];
        const pattern = new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:([A-Za-z0-9_]+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}/?$`);
        const match = pattern.exec(pathname);
        if (!match) continue;
        const params = Object.fromEntries(keys.map((key, index) => [key, decodeURIComponent(match[index + 1] ?? '')]));
        const rawBody = request.rawBody ?? (typeof request.body === 'string' ? request.body : request.body === undefined ? '' : JSON.stringify(request.body));
        const query = { ...Object.fromEntries(new URLSearchParams(search)), ...request.query };
        const reply = await after(() => route.handler({ params, query, headers: request.headers ?? {}, body: request.body, rawBody }, context));
        return { status: reply.status ?? 200, body: reply.body, headers: reply.headers ?? {} };
      }
      return { status: 404, body: { message: `no route ${method} ${path}` }, headers: {} };
    },

    /** Runs a cron job now. */
    job(name: string): Promise<void> {
      const job = plugin.jobs?.find((j) => j.name === name);
      if (!job) throw new Error(`plugin ${plugin.name} has no job ${name}`);
      return after(() => job.run(context));
    },

    /** Runs a node step (settings parsed by the node's schema). */
    node(name: string, input: { workOrderId: number; nodeKey?: string; settings?: Record<string, unknown>; idempotencyKey?: string; attempt?: number }) {
      const node = plugin.nodes?.find((n) => n.name === name);
      if (!node) throw new Error(`plugin ${plugin.name} has no node ${name}`);
      const nodeSettings = node.settings.parse(input.settings ?? {});
      return after(() => node.run({ workOrderId: input.workOrderId, nodeKey: input.nodeKey ?? name, settings: nodeSettings, idempotencyKey: input.idempotencyKey ?? `${input.workOrderId}:${name}:1`, attempt: input.attempt ?? 1 }, context));
    },

    /** Runs a node's compensation. */
    compensate(name: string, input: { workOrderId: number; nodeKey?: string; settings?: Record<string, unknown>; result: Record<string, unknown> | null; idempotencyKey?: string }) {
      const node = plugin.nodes?.find((n) => n.name === name);
      if (!node?.compensate) throw new Error(`plugin ${plugin.name} has no compensation for node ${name}`);
      const compensate = node.compensate;
      return after(() => compensate({ workOrderId: input.workOrderId, nodeKey: input.nodeKey ?? name, settings: node.settings.parse(input.settings ?? {}), result: input.result, idempotencyKey: input.idempotencyKey ?? `${input.workOrderId}:${name}:1` }, context));
    },

    /** Runs every migration down, newest first (a test that they undo cleanly). */
    async migrateDown(): Promise<void> {
      for (const migration of [...(plugin.migrations ?? [])].reverse()) await migration.down(migrationDb);
    },

    async tables(): Promise<string[]> {
      const rows = await sequelize.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'plg_%' ORDER BY name", { type: QueryTypes.SELECT });
      return rows.map((r) => r.name);
    },

    close: () => sequelize.close(),
  };
}
