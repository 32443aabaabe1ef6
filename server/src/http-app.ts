import { resolve } from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import type { Services } from './app';
import { consoleStatic } from './core/http/console-static';
import { mountRoutes } from './core/http/define-route';
import { errorMiddleware } from './core/http/error.middleware';
import { buildOpenApiDocument, createOpenApiRegistry } from './core/http/openapi';
import { requestContextMiddleware } from './core/http/request-context.middleware';
import { auditRoutes } from './modules/audit/audit.routes';
import { authMiddleware } from './modules/auth/auth.middleware';
import { authRoutes } from './modules/auth/auth.routes';
import { directoryModuleRoutes } from './modules/directory/directory.module';
import { customerRoutes } from './modules/customers/customer.routes';
import { customerSyncRoutes } from './modules/customer-sync/customer-sync.routes';
import { createLostCustomersService } from './modules/customer-sync/lost-customers.service';
import { syncRunRoutes } from './modules/wecom-sync/sync-runs.routes';
import { customerImportRoutes } from './modules/customer-import/customer-import.routes';
import { groupChatRoutes } from './modules/group-chats/group-chat.routes';
import { tagRoutes } from './modules/tags/tag.routes';
import { handoverRoutes } from './modules/handover/handover.routes';
import { customer360Routes } from './modules/customers/customer-360.routes';
import { mountHealthRoutes } from './modules/health/health.routes';
import { jobRoutes } from './modules/jobs/jobs.routes';
import { orgRoutes } from './modules/org/org.routes';
import { mountWecomCallback, wecomCallbackRoutes } from './modules/wecom/wecom.routes';
import { wecomSettingsRoutes } from './modules/wecom/wecom-settings.routes';
import { createSidebarModule } from './modules/sidebar/sidebar.module';
import { sidebarRoutes } from './modules/sidebar/sidebar.routes';
import { sidebarStatic } from './modules/sidebar/sidebar-static';
import { mobileStatic } from './modules/work-orders/mobile-static';
import { calendarRoutes } from './modules/calendars/calendar.routes';
import { flowRoutes } from './modules/workflows/flow.routes';
import { workOrderRoutes } from './modules/work-orders/work-order.routes';
import { settlementRoutes } from './modules/settlement/settlement.routes';
import { createPluginAdmin } from './modules/plugins/plugin-admin.service';
import { pluginRoutes } from './modules/plugins/plugin.routes';
import { pluginPageRoutes } from './modules/plugins/plugin-page.routes';
import { demoOrderRoutes } from './seed/demo-orders.routes';
import { orderRoutes } from './modules/orders/order.routes';
import { chatArchiveRoutes } from './modules/chat-archive/chat-archive.routes';
import { createEngagementModule } from './modules/engagement/engagement.module';
import { engagementRoutes } from './modules/engagement/engagement.routes';

export const defaultConsoleDir = resolve(__dirname, '../../admin-web/dist');

export function createHttpApp(services: Services, state: { isShuttingDown: () => boolean }) {
  const { config, log } = services;
  const app = new Koa({ proxy: config.TRUST_PROXY });
  const router = new Router();
  const callbackRouter = new Router();
  const registry = createOpenApiRegistry();

  mountHealthRoutes(router, { db: services.db, kv: services.kv, log, isShuttingDown: state.isShuttingDown });
  mountWecomCallback(callbackRouter, services.wecom.callbacks);
  mountRoutes(router, registry, [
    ...authRoutes(services.auth),
    ...directoryModuleRoutes(services),
    ...orgRoutes(services),
    ...customerImportRoutes({ imports: services.customerImports, models: services.models, audit: services.audit, dataDir: config.dataDir }),
    // Before /api/customers/:id, which would take `lost` for an id.
    ...customerSyncRoutes(createLostCustomersService(services)),
    ...customerRoutes(services.customers),
    ...syncRunRoutes({ syncRuns: services.wecom.syncRuns, audit: services.audit, runtime: services.wecom.runtime }),
    ...tagRoutes(services),
    ...groupChatRoutes(services),
    ...handoverRoutes(services.handover, services.models),
    ...customer360Routes(services.customer360),
    ...auditRoutes(services.audit),
    ...jobRoutes({ queue: services.queue, models: services.models, audit: services.audit }),
    ...wecomCallbackRoutes(services.wecom.callbacks),
    ...wecomSettingsRoutes({ runtime: services.wecom.runtime, settings: services.settings, check: services.wecom.check, config }),
    ...sidebarRoutes(createSidebarModule(services)),
    ...calendarRoutes(services.calendars),
    ...flowRoutes(services.flows),
    ...workOrderRoutes(services.workOrders, config.dataDir),
    ...settlementRoutes(services.settlement),
    ...pluginRoutes(createPluginAdmin({ db: services.db, models: services.models, audit: services.audit, host: services.plugins })),
    ...pluginPageRoutes(services.plugins.pages),
    ...demoOrderRoutes(services.demoOrders),
    ...orderRoutes(services.orders),
    ...chatArchiveRoutes(services.chatArchive),
    ...engagementRoutes(createEngagementModule(services)),
  ]);
  const openApi = buildOpenApiDocument(registry, '0.1.0');
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = openApi;
  });

  app.silent = true;
  app.use(requestContextMiddleware(log));
  app.use(errorMiddleware(log));
  // WeCom callbacks come first: they need neither the API's body parsing, nor a session, nor its routes.
  app.use(callbackRouter.routes());
  app.use(callbackRouter.allowedMethods());
  // JSON for the API; XML and text bodies are kept raw.
  app.use(bodyParser({ enableTypes: ['json', 'xml', 'text'], jsonLimit: `${config.BODY_LIMIT_KB}kb`, xmlLimit: '64kb', textLimit: '64kb', jsonStrict: true }));
  app.use(authMiddleware(services.sessions));
  // Plugin routes (/api/plugins/<name>/…) keep their raw bodies for signature checks.
  app.use(services.plugins.routes);
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(sidebarStatic(config.CONSOLE_DIR ? resolve(config.CONSOLE_DIR) : defaultConsoleDir, services.wecom.runtime));
  app.use(mobileStatic(config.CONSOLE_DIR ? resolve(config.CONSOLE_DIR) : defaultConsoleDir));
  app.use(consoleStatic(config.CONSOLE_DIR ? resolve(config.CONSOLE_DIR) : defaultConsoleDir));
  return app;
}
