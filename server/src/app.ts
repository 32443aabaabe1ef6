import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pino from 'pino';
import type { AppConfig } from './config/load-config';
import { createFieldCipher } from './core/crypto/field-cipher';
import { deriveKeys } from './core/crypto/keys';
import { definePiiField } from './core/crypto/pii-field';
import { createDatabase } from './core/db/database';
import { createMigrator, withStartupLock } from './core/db/migrator';
import { defineModels } from './core/db/models';
import { referenceDataChanged, stampReferenceWrites } from './core/db/reference-stamp';
import { createJobQueue } from './core/jobs/job-queue';
import { createScheduler } from './core/jobs/scheduler';
import { createMemoryStore, createRedisStore } from './core/kv/kv-store';
import { createChangeStamp } from './core/kv/change-stamp';
import { createLogger } from './core/logger';
import { createBlobStorage } from './core/storage/create-blob-storage';
import { coreMenus, createMenuRegistry } from './modules/access/menus';
import { createAuditService } from './modules/audit/audit.service';
import { createAuditSealer } from './modules/audit/audit-sealer';
import { createAuthService } from './modules/auth/auth.service';
import { createLoginThrottle } from './modules/auth/login-throttle';
import { createSessionService } from './modules/auth/session.service';
import { createCustomerService } from './modules/customers/customer.service';
import { createCustomerImportService } from './modules/customer-import/customer-import.service';
import { createTimelineWriter } from './modules/customers/customer-timeline';
import { createHandover } from './modules/handover/handover.module';
import { createCustomer360Module } from './modules/customers/customer-360.module';
import { registerDirectory } from './modules/directory/directory.module';
import { registerGroupChatSync } from './modules/group-chats/group-chat-sync';
import { registerSystemJobs } from './modules/jobs/system-jobs';
import { registerTagsModule } from './modules/tags/tags.module';
import { createRegionService } from './modules/org/region.service';
import { createRoleService } from './modules/org/role.service';
import { createStoreService } from './modules/org/store.service';
import { createUserService } from './modules/org/user.service';
import { bootstrap } from './seed/bootstrap';
import { seedDemoOrganisation } from './seed/demo-seed';
import { createSettingsService } from './modules/settings/settings.service';
import { createWecomCallbackService } from './modules/wecom/wecom-callback.service';
import { createWecomEventRouter } from './modules/wecom/wecom-event-router';
import { registerWecomJobs } from './modules/wecom/wecom-jobs';
import { createWecomRuntime } from './modules/wecom/wecom-runtime';
import { createWecomConnectionCheck } from './modules/wecom/wecom-connection-check';
import { createSyncRuns } from './modules/wecom-sync/sync-runs';
import { registerCustomerSync } from './modules/customer-sync/customer-sync.module';
import { createCalendarService } from './modules/calendars/calendar.service';
import { createTimerService } from './core/timers/timer.service';
import { createFlowService } from './modules/workflows/flow.service';
import { seedFlows } from './modules/workflows/flow-seed';
import { createWorkOrderModule } from './modules/work-orders/work-order.module';
import { createSettlementModule } from './modules/settlement/settlement.module';
import { seedSettlementDemo } from './seed/settlement-demo-seed';
import { createDemoOrderSlot } from './seed/demo-order-slot';
import { createOutbox } from './modules/plugins/outbox';
import { createLateFilterPort } from './modules/plugins/filter-port';
import { createPluginHost } from './modules/plugins/plugin-host';
import { createOrdersModule } from './modules/orders/orders.module';
import { createChatArchiveModule } from './modules/chat-archive/chat-archive.module';
import { registerArchiveNotify } from './modules/chat-archive/archive-notify';
import { registerEngagement } from './modules/engagement/engagement.module';

/** The composition root: every service is built here, from configuration, and nowhere else. */
export function createServices(config: AppConfig, options: { logDestination?: pino.DestinationStream } = {}) {
  const log = createLogger(config.LOG_LEVEL, options.logDestination);
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const db = createDatabase(config.DB_URL, log, { poolMax: config.DB_POOL_MAX, readUrls: config.DB_READ_URLS });
  const models = defineModels(db.sequelize);
  const kv = config.REDIS_URL ? createRedisStore(config.REDIS_URL, config.REDIS_PREFIX) : createMemoryStore();
  // Only a shared store can tell every instance of a change: without Redis (several processes may still
  // share one SQLite file) each reads reference data anew.
  if (kv.kind === 'redis') stampReferenceWrites(models, createChangeStamp(kv, 'stamp:reference-data'), log);
  const keys = deriveKeys(config.APP_SECRET);
  const cipher = createFieldCipher(keys.fieldEncryption, keys.blindIndex);
  const phone = definePiiField(cipher, { column: 'phone', kind: 'phone' });
  const address = definePiiField(cipher, { column: 'address', kind: 'address' });

  const audit = createAuditService({ db, models });
  const auditSealer = createAuditSealer({ audit, log: log.child({ component: 'audit' }), intervalMs: config.AUDIT_SEAL_MS });
  const sessions = createSessionService({ models, tokenKey: keys.sessionToken, ttlHours: config.SESSION_TTL_HOURS });
  const throttle = createLoginThrottle(kv, {
    ipMaxAttempts: config.LOGIN_IP_MAX_ATTEMPTS,
    ipWindowSeconds: config.LOGIN_IP_WINDOW_SECONDS,
    accountMaxFailures: config.LOGIN_ACCOUNT_MAX_FAILURES,
    accountLockSeconds: config.LOGIN_ACCOUNT_LOCK_SECONDS,
  });
  const menus = createMenuRegistry(coreMenus);
  const timeline = createTimelineWriter(models);
  const settings = createSettingsService({ db, models, audit, cipher });
  const wecomRuntime = createWecomRuntime({ config, settings, log: log.child({ component: 'wecom' }), store: kv });
  const wecomEvents = createWecomEventRouter();
  const queue = createJobQueue({ models, log: log.child({ component: 'jobs' }), instanceId, pollMs: config.JOB_POLL_MS, leaseMs: config.JOB_LEASE_MS });
  const scheduler = createScheduler({ kv, models, log: log.child({ component: 'scheduler' }), instanceId, overrides: config.CRON_OVERRIDES });
  // Core changes record their events here, in their own transactions; plugins receive them after commit.
  const outbox = createOutbox({ models, queue });
  // Plugin filters for modules built before the plugin host (customers, work orders).
  const filters = createLateFilterPort();

  const flows = createFlowService({ db, models, audit });
  const calendars = createCalendarService({ db, models, audit });
  const timers = createTimerService({ db, models, scheduler, instanceId, log: log.child({ component: 'timers' }) });

  const workOrders = createWorkOrderModule({ db, models, audit, queue, address, flows, calendars, timers, wecom: wecomRuntime, log: log.child({ component: 'work-orders' }), storage: createBlobStorage(config, 'uploads'), publicUrl: config.PUBLIC_URL, events: outbox, filters });

  const settlement = createSettlementModule({ db, models, audit, queue, runtime: workOrders.runtime, log: log.child({ component: 'settlement' }), events: outbox });
  const orders = createOrdersModule({
    db,
    models,
    audit,
    queue,
    cipher,
    phone,
    address,
    timeline,
    flows,
    log: log.child({ component: 'orders' }),
    events: outbox,
    followUp: {
      createWorkOrder: async (actor, input) => {
        const created = (await workOrders.service.create(actor, input))!;
        return { id: created.id, orderNo: created.orderNo };
      },
      workOrderState: async (id) => {
        const row = await models.WorkOrder.findByPk(id, { attributes: ['status', 'lock_version'], raw: true });
        return row ? { status: row.status, lockVersion: Number(row.lock_version) } : null;
      },
      cancelWorkOrder: (actor, id, input) => workOrders.actions.cancel(actor, id, input),
      refundSettlement: (actor, id, reason) => settlement.adjustments.refund(actor, id, reason),
    },
  });

  const plugins = createPluginHost({
    config: { discover: config.PLUGIN_DISCOVERY, paths: config.PLUGIN_PATHS, hookTimeoutMs: config.PLUGIN_HOOK_TIMEOUT_MS, filterTimeoutMs: config.PLUGIN_FILTER_TIMEOUT_MS, deliveryAttempts: config.PLUGIN_DELIVERY_ATTEMPTS },
    db,
    models,
    kv,
    log: log.child({ component: 'plugins' }),
    queue,
    scheduler,
    cipher,
    audit,
    outbox,
    wecom: wecomRuntime,
    flows,
    workOrders,
    timeline,
    phone,
    address,
  });

  filters.use(plugins.runFilter);
  menus.addSource(plugins.pages.menus);
  // Connector plugins hand their orders to the core through the `orders` facade.
  plugins.ports.orders = { ingest: (order) => orders.ingest(order), receive: (platform, deliveries) => orders.inbox.receive(platform, deliveries) };
  orders.inbox.useReader(plugins.readOrderDelivery);
  plugins.ports.settlement = { refundJob: async (workOrderId, reason) => void (await settlement.adjustments.refund(await orders.systemActor(), workOrderId, reason)) };

  const services = {
    config,
    log,
    instanceId,
    db,
    models,
    kv,
    pii: { phone, address },
    cipher,
    audit,
    auditSealer,
    sessions,
    menus,
    queue,
    scheduler,
    outbox,
    plugins,
    demoOrders: createDemoOrderSlot(),
    loginThrottle: throttle,
    auth: createAuthService({ models, sessions, throttle, audit, menus }),
    regions: createRegionService({ db, models, audit }),
    stores: createStoreService({ db, models, audit }),
    roles: createRoleService({ db, models, audit }),
    users: createUserService({ db, models, audit, sessions, phone }),
    customers: createCustomerService({ db, models, audit, phone, address, events: outbox, filters }),
    timeline,
    customerImports: createCustomerImportService({ dataDir: config.dataDir, storage: createBlobStorage(config, 'customer-imports'), db, models, queue, audit, phone, address, timeline, log: log.child({ component: 'customer-import' }) }),
    customer360: createCustomer360Module({ db, models, audit, timeline: createTimelineWriter(models), phone, address, remarkMobiles: definePiiField(cipher, { column: 'remark_mobiles', kind: 'phone' }), events: outbox }),
    flows,
    calendars,
    timers,
    workOrders,
    settlement,
    orders,
    chatArchive: createChatArchiveModule({ db, models, audit, cipher, settings, config, scheduler, queue, runtime: wecomRuntime, log: log.child({ component: 'chat-archive' }) }),
    handover: createHandover({ db, models, audit, queue, scheduler, runtime: wecomRuntime, events: wecomEvents, timeline: createTimelineWriter(models), log: log.child({ component: 'handover' }) }),
    settings,
    wecom: {
      runtime: wecomRuntime,
      events: wecomEvents,
      check: createWecomConnectionCheck(wecomRuntime),
      callbacks: createWecomCallbackService({ db, models, queue, runtime: wecomRuntime, cipher, router: wecomEvents, log: log.child({ component: 'wecom-callbacks' }), events: outbox }),
      syncRuns: createSyncRuns({ db, models, queue, log: log.child({ component: 'wecom-sync' }), instanceId }),
    },
  };
  registerSystemJobs(services);
  registerWecomJobs(services);
  registerCustomerSync(services);
  registerTagsModule(services);
  registerGroupChatSync(services);
  registerDirectory(services);
  registerEngagement(services);
  registerArchiveNotify(wecomEvents, models);
  return services;
}

export type Services = ReturnType<typeof createServices>;

export interface PreparedDatabase {
  migrated: string[];
  generatedAdminPassword: string | null;
  demo: Awaited<ReturnType<typeof seedDemoOrganisation>>;
}

/** Migrates, then makes sure the built-in roles, the company, `admin` and (when asked) the demo organisation exist. */
export async function prepareDatabase(services: Services): Promise<PreparedDatabase> {
  const { db, models, audit, config, log, pii } = services;
  return withStartupLock(db, async () => {
    const migrated = (await createMigrator(db, log).up()).map((m) => m.name);
    // Migrations (this instance's, or `npm run migrate`'s before it started) change reference data behind the models' back.
    await referenceDataChanged(models);
    await services.plugins.prepare();
    const { generatedAdminPassword } = await bootstrap({ db, models, audit, adminPassword: config.ADMIN_PASSWORD });
    await seedFlows({ db, models, audit });
    const demo = config.SEED_DEMO ? await seedDemoOrganisation({ db, models, audit, ...pii, password: config.DEMO_PASSWORD }) : { seeded: false as const };
    if (config.SEED_DEMO) await seedSettlementDemo(services);
    return { migrated, generatedAdminPassword, demo };
  });
}
