import type { Transaction } from 'sequelize';
import type { PluginContext, PluginDefinition, PluginServices } from '@scrm/plugin-sdk';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Scheduler } from '../../core/jobs/scheduler';
import type { KeyValueStore } from '../../core/kv/kv-store';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit/audit.service';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import type { WorkOrderModule } from '../work-orders/work-order.module';
import type { AutomaticStepRegistry } from '../workflows/automatic-steps';
import type { Outbox } from './outbox';
import { createPluginContext } from './plugin-context';
import { registerDeliveries } from './plugin-delivery';
import { coreVersion, defaultNodeModulesDirs, defaultPluginsDir, discoverPlugins } from './plugin-discovery';
import { pluginStepOf, registerPluginJobs } from './plugin-extensions';
import { createFilterRunner } from './plugin-filters';
import { pluginRoutesMiddleware } from './plugin-http';
import { createFailureRecorder } from './plugin-isolation';
import { createPluginMigrator } from './plugin-migrations';
import { createOrderDeliveryReader } from './plugin-order-intake';
import { createPluginPages } from './plugin-pages';
import { createPluginServices, type PluginServicePorts } from './plugin-services';
import { createPluginStates } from './plugin-state';

export interface PluginHostConfig {
  /** Look in `plugins/*` and `node_modules/scrm-plugin-*` (off: only `paths`). */
  discover: boolean;
  paths: string[];
  hookTimeoutMs: number;
  filterTimeoutMs: number;
  deliveryAttempts: number;
}

export interface PluginHostDeps {
  config: PluginHostConfig;
  db: Database;
  models: Models;
  kv: KeyValueStore;
  log: Logger;
  queue: JobQueue;
  scheduler: Scheduler;
  cipher: FieldCipher;
  audit: AuditService;
  outbox: Outbox;
  wecom: WecomRuntime;
  flows: Pick<AutomaticStepRegistry, 'registerAutomaticStep'>;
  workOrders: WorkOrderModule;
  timeline: TimelineWriter;
  phone: PiiField;
  address: PiiField;
}

/**
 * The plugin host: finds and validates plugins at start-up, then wires the valid ones into the
 * outbox, filters, routes, the scheduler and the automatic-step registry. Whether a plugin acts is
 * decided at each use by its state (enabled, store rollout), so enabling needs no restart.
 */
export function createPluginHost(deps: PluginHostDeps) {
  const { config, db, models, log } = deps;
  const version = coreVersion();
  const discovered = discoverPlugins({
    pluginsDir: config.discover ? defaultPluginsDir : null,
    nodeModulesDirs: config.discover ? defaultNodeModulesDirs : [],
    extraPaths: config.paths,
    coreVersion: version,
  });
  for (const plugin of discovered.filter((p) => p.problems.length)) log.warn({ plugin: plugin.name, problems: plugin.problems }, 'plugin is invalid and stays off');
  const valid = new Map(discovered.filter((p) => p.definition).map((p) => [p.name, p.definition as PluginDefinition]));
  const plugins = () => valid;

  const states = createPluginStates({ models, cipher: deps.cipher, secretKeysOf: (name) => valid.get(name)?.secretKeys ?? [] });
  const recordFailure = createFailureRecorder({ db, models, log: log.child({ component: 'plugins' }) });
  const ports: PluginServicePorts = {};
  const services = new Map<string, PluginServices>();

  const servicesOf = (name: string) => {
    let found = services.get(name);
    if (!found) {
      found = createPluginServices(
        { db, models, audit: deps.audit, outbox: deps.outbox, phone: deps.phone, address: deps.address, timeline: deps.timeline, workOrders: deps.workOrders, ports, beforeCreateCustomer: (input) => runFilter('customer.beforeCreate', input) },
        name,
      );
      services.set(name, found);
    }
    return found;
  };
  // A context outside a transaction depends only on the plugin and its settings (one object per
  // cached state): hot routes such as order pushes reuse it instead of building one per request.
  const reusable = new WeakMap<Record<string, unknown>, PluginContext>();
  const contextOf = (plugin: PluginDefinition, settings: Record<string, unknown>, tx?: Transaction): PluginContext => {
    const build = () => createPluginContext({ db, kv: deps.kv, log, outbox: deps.outbox, states, wecom: deps.wecom, services: servicesOf(plugin.name) }, plugin, settings, tx);
    if (tx) return build();
    let context = reusable.get(settings);
    if (context?.plugin.name !== plugin.name) reusable.set(settings, (context = build()));
    return context;
  };

  const isolation = { states, contextOf, recordFailure };
  const runFilter = createFilterRunner({ plugins, ...isolation, timeoutMs: config.filterTimeoutMs });
  deps.outbox.useListeners((event) => [...valid.values()].some((plugin) => typeof plugin.hooks?.[event] === 'function'));
  const deliveries = registerDeliveries({ db, models, queue: deps.queue, plugins, ...isolation, limits: { hookTimeoutMs: config.hookTimeoutMs, attempts: config.deliveryAttempts } });
  for (const plugin of valid.values()) {
    registerPluginJobs(deps.scheduler, plugin, { ...isolation, timeoutMs: config.hookTimeoutMs });
    for (const node of plugin.nodes ?? []) {
      deps.flows.registerAutomaticStep(pluginStepOf(plugin, node, { ...isolation, timeoutMs: node.mode === 'sync' ? config.filterTimeoutMs : config.hookTimeoutMs }));
    }
  }
  const migrator = createPluginMigrator({ db, models });

  return {
    coreVersion: version,
    discovered,
    plugins,
    states,
    migrator,
    deliveries,
    recordFailure,
    /** Runs a filter through the enabled plugins (core modules call this before acting). */
    runFilter,
    /** Services other modules lend to plugins (orders ingest, settlement refunds). */
    ports,
    routes: pluginRoutesMiddleware({ plugins, ...isolation, timeoutMs: config.hookTimeoutMs }),
    /** How the order inbox reads a stored delivery: with the connector plugin that received it. */
    readOrderDelivery: createOrderDeliveryReader({ plugins, ...isolation, timeoutMs: config.hookTimeoutMs }),
    /** Console pages of enabled plugins (`admin.menus`): a menu source and the generic page's data. */
    pages: createPluginPages({ plugins, states }),
    /** At start-up: enabled plugins get the migrations an upgrade brought. */
    async prepare(): Promise<void> {
      for (const [name, state] of await states.all()) {
        const plugin = valid.get(name);
        if (plugin && state.enabled) await migrator.up(plugin);
      }
    },
  };
}

export type PluginHost = ReturnType<typeof createPluginHost>;
