import type { z } from 'zod';
import type { PluginContext, StoredOrderDelivery } from './context';
import type { CommerceOrder, Delivery, EventMap, EventName, FilterMap, FilterName } from './events';

export interface PluginMigration {
  /** Unique within the plugin, applied in array order. */
  name: string;
  up(db: { table(name: string): string; query(sql: string): Promise<unknown> ; dialect: 'mysql' | 'sqlite' }): Promise<void>;
  down(db: { table(name: string): string; query(sql: string): Promise<unknown>; dialect: 'mysql' | 'sqlite' }): Promise<void>;
}

export type HookHandler<K extends EventName, S> = (payload: EventMap[K], context: PluginContext<S>, delivery: Delivery) => Promise<void>;
export type FilterHandler<K extends FilterName, S> = (input: FilterMap[K], context: PluginContext<S> & { veto(reason: string): never }) => Promise<FilterMap[K]>;

export interface PluginRoute<S> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Mounted under `/api/plugins/<name>`; e.g. `/webhook`. */
  path: string;
  /**
   * `public` routes skip the session (e.g. a platform's push endpoint, which must verify its own
   * signature); the others need a signed-in user with `permission` (default `system:settings`).
   */
  auth?: 'public' | 'session';
  permission?: string;
  /** Bodies are kept raw for signature checks (`rawBody`) and parsed (`body`) when JSON/form. */
  handler(request: { params: Record<string, string>; query: Record<string, string>; headers: Record<string, string>; body: unknown; rawBody: string }, context: PluginContext<S>): Promise<{ status?: number; body?: unknown; headers?: Record<string, string> }>;
}

export interface PluginJob<S> {
  name: string;
  /** 5-field cron in Asia/Shanghai; each tick runs once across instances. */
  cron: string;
  run(context: PluginContext<S>): Promise<void>;
}

/** What a node step is called with. */
export interface NodeStepInput<N> {
  workOrderId: number;
  nodeKey: string;
  settings: N;
  /**
   * `async` steps: the same for every attempt (and the compensation) of one visit of the order to
   * the node. Pass it to the outside system as the request's reference so a repeat does the work once.
   */
  idempotencyKey?: string;
  attempt?: number;
}

/** What a node step is called with. */
export interface NodeRunInput<N> {
  workOrderId: number;
  nodeKey: string;
  settings: N;
  /** Async steps: the same on every attempt of one visit to the node (give it to the outside system). */
  idempotencyKey?: string;
  attempt?: number;
}

/** An automatic work-order node step (see the flow editor's 自动节点). */
export interface PluginNode<S, N = Record<string, unknown>> {
  /** Registered as `<plugin>.<name>`. */
  name: string;
  title: { 'zh-CN': string; 'en-US': string };
  settings: z.ZodType<N>;
  /**
   * `sync`: runs inside the transaction entering the node (database work only).
   * `async`: the order waits at the node; `run` is called from a job after commit and may call
   * external systems; returning moves the order on, throwing retries then parks the node as failed.
   * `compensate` undoes the step (e.g. releases reserved stock) when the order is cancelled later.
   */
  mode: 'sync' | 'async';
  run(input: NodeStepInput<N>, context: PluginContext<S>): Promise<Record<string, unknown> | void>;
  compensate?(input: NodeStepInput<N> & { result: Record<string, unknown> | null }, context: PluginContext<S>): Promise<void>;
  /** `async` only: attempts before the node is parked as failed (host default 5), and the time limit of one attempt. */
  maxAttempts?: number;
  timeoutMs?: number;
}

/**
 * A console page of a plugin. Plugins ship no Vue code: the entry opens the console's generic plugin
 * page, which shows the plugin's status, its settings form (for plugin managers) and, with `view`, the
 * JSON a `get` route of the plugin answers, as a table.
 */
export interface PluginMenu {
  /** Unique within the plugin; the console's menu key is `plugin.<plugin>.<key>`. */
  key: string;
  title: { 'zh-CN': string; 'en-US': string };
  /** The console path, e.g. `/plugins/erp-rest/stock`. */
  path: string;
  /** Who sees the entry (and may open the page); default `system:settings`. */
  permission?: string;
  view?: {
    /** Path of one of the plugin's `get` routes (without parameters), e.g. `/stock`. */
    route: string;
    /** Query-string fields the page asks for before calling the route. */
    query?: Array<{ key: string; title: { 'zh-CN': string; 'en-US': string }; required?: boolean }>;
  };
}

/** How a connector's stored order deliveries (`services.orders.receive`) become orders. */
export interface PluginOrderIntake<S> {
  /**
   * Reads one stored delivery (and may call the platform for the order's details); runs from a job,
   * after the platform was answered. Null: the delivery names nothing to take in. Throwing retries
   * the delivery later; after the last attempt it waits as a dead letter until it is replayed.
   */
  toOrder(delivery: StoredOrderDelivery, context: PluginContext<S>): Promise<CommerceOrder | null>;
}

export interface PluginAdmin {
  menus?: PluginMenu[];
}

export interface PluginDefinition<S extends z.ZodType = z.ZodType> {
  /** `lower-case-with-dashes`; the npm package is `scrm-plugin-<name>` or a folder `plugins/<name>`. */
  name: string;
  version: string;
  /** Semver ranges: `{ core: '^0.1.0', plugins?: { other: '^1.0.0' } }`. */
  requires: { core: string; plugins?: Record<string, string> };
  title: { 'zh-CN': string; 'en-US': string };
  description?: { 'zh-CN': string; 'en-US': string };
  /** Rendered as a form in the console; fields described with `.describe()`; `secretKeys` are encrypted at rest and masked. */
  settings?: S;
  secretKeys?: string[];
  migrations?: PluginMigration[];
  hooks?: { [K in EventName]?: HookHandler<K, z.infer<S>> };
  filters?: { [K in FilterName]?: FilterHandler<K, z.infer<S>> };
  routes?: Array<PluginRoute<z.infer<S>>>;
  jobs?: Array<PluginJob<z.infer<S>>>;
  // Each node has its own settings type: checked where it is declared with `defineNode`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  nodes?: Array<PluginNode<z.infer<S>, any>>;
  orderIntake?: PluginOrderIntake<z.infer<S>>;
  admin?: PluginAdmin;
}

/** Declares a plugin; the identity function, there for the types. */
export function definePlugin<S extends z.ZodType>(definition: PluginDefinition<S>): PluginDefinition<S> {
  return definition;
}

/** Declares a node step with its own settings type. */
export function defineNode<S, N>(node: PluginNode<S, N>): PluginNode<S, N> {
  return node;
}
