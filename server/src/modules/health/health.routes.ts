import type Router from '@koa/router';
import type { Database } from '../../core/db/database';
import type { KeyValueStore } from '../../core/kv/kv-store';
import type { Logger } from '../../core/logger';
import { withTimeout } from '../../core/time/with-timeout';

/** /healthz: the process answers. /readyz: it can reach its database and cache, else 503. */
export function mountHealthRoutes(router: Router, deps: { db: Database; kv: KeyValueStore; log: Logger; isShuttingDown: () => boolean }) {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const check = async (probe: () => Promise<void>) => {
      try {
        await withTimeout(probe(), 2000);
        return 'ok';
      } catch (error) {
        // Details go to the log, not to this unauthenticated endpoint.
        deps.log.warn({ err: error }, 'readiness probe failed');
        return 'unreachable';
      }
    };
    const [db, redis] = await Promise.all([check(() => deps.db.ping()), deps.kv.kind === 'redis' ? check(() => deps.kv.ping()) : Promise.resolve('not configured')]);
    const ready = db === 'ok' && (redis === 'ok' || redis === 'not configured') && !deps.isShuttingDown();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', db, redis, shuttingDown: deps.isShuttingDown() };
  });
}
