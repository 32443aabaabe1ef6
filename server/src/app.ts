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
import { createJobQueue } from './core/jobs/job-queue';
import { createScheduler } from './core/jobs/scheduler';
import { createMemoryStore, createRedisStore } from './core/kv/kv-store';
import { createLogger } from './core/logger';
import { coreMenus, createMenuRegistry } from './modules/access/menus';
import { createAuditService } from './modules/audit/audit.service';
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

/** The composition root: every service is built here, from configuration, and nowhere else. */
export function createServices(config: AppConfig, options: { logDestination?: pino.DestinationStream } = {}) {
  const log = createLogger(config.LOG_LEVEL, options.logDestination);
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const db = createDatabase(config.DB_URL, log, { poolMax: config.DB_POOL_MAX });
  const models = defineModels(db.sequelize);
  const kv = config.REDIS_URL ? createRedisStore(config.REDIS_URL, config.REDIS_PREFIX) : createMemoryStore();
  const keys = deriveKeys(config.APP_SECRET);
  const cipher = createFieldCipher(keys.fieldEncryption, keys.blindIndex);
  const phone = definePiiField(cipher, { column: 'phone', kind: 'phone' });
  const address = definePiiField(cipher, { column: 'address', kind: 'address' });

  const audit = createAuditService({ db, models });
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

  const flows = createFlowService({ db, models, audit });
  const calendars = createCalendarService({ db, models, audit });
  const timers = createTimerService({ db, models, scheduler, instanceId, log: log.child({ component: 'timers' }) });

  const services = {
    config,
    log,
    instanceId,
    db,
    models,
    kv,
    pii: { phone, address },
    audit,
    sessions,
    menus,
    queue,
    scheduler,
    loginThrottle: throttle,
    auth: createAuthService({ models, sessions, throttle, audit, menus }),
    regions: createRegionService({ db, models, audit }),
    stores: createStoreService({ db, models, audit }),
    roles: createRoleService({ db, models, audit }),
    users: createUserService({ db, models, audit, sessions, phone }),
    customers: createCustomerService({ db, models, audit, phone, address }),
    timeline,
    customerImports: createCustomerImportService({ dataDir: config.dataDir, db, models, queue, audit, phone, address, timeline, log: log.child({ component: 'customer-import' }) }),
    customer360: createCustomer360Module({ db, models, audit, timeline: createTimelineWriter(models), phone, address, remarkMobiles: definePiiField(cipher, { column: 'remark_mobiles', kind: 'phone' }) }),
    flows,
    calendars,
    timers,
    workOrders: createWorkOrderModule({ db, models, audit, queue, address, flows, calendars, timers, wecom: wecomRuntime, log: log.child({ component: 'work-orders' }), dataDir: config.dataDir, publicUrl: config.PUBLIC_URL }),
    handover: createHandover({ db, models, audit, queue, scheduler, runtime: wecomRuntime, events: wecomEvents, timeline: createTimelineWriter(models), log: log.child({ component: 'handover' }) }),
    settings,
    wecom: {
      runtime: wecomRuntime,
      events: wecomEvents,
      check: createWecomConnectionCheck(wecomRuntime),
      callbacks: createWecomCallbackService({ db, models, queue, runtime: wecomRuntime, cipher, router: wecomEvents, log: log.child({ component: 'wecom-callbacks' }) }),
      syncRuns: createSyncRuns({ db, models, queue, log: log.child({ component: 'wecom-sync' }), instanceId }),
    },
  };
  registerSystemJobs(services);
  registerWecomJobs(services);
  registerCustomerSync(services);
  registerTagsModule(services);
  registerGroupChatSync(services);
  registerDirectory(services);
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
    const { generatedAdminPassword } = await bootstrap({ db, models, audit, adminPassword: config.ADMIN_PASSWORD });
    await seedFlows({ db, models, audit });
    const demo = config.SEED_DEMO ? await seedDemoOrganisation({ db, models, audit, ...pii, password: config.DEMO_PASSWORD }) : { seeded: false as const };
    return { migrated, generatedAdminPassword, demo };
  });
}
