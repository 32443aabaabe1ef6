import type { CommerceOrder, PluginContext, PluginJob, PluginOrderIntake, PluginRoute } from '@scrm/plugin-sdk';

/** A platform refused a call (bad signature, expired token …): nothing of that call is stored. */
export class PlatformError extends Error {
  constructor(
    readonly platform: string,
    readonly platformCode: string,
    message: string,
  ) {
    super(`${platform} refused the call: ${platformCode} ${message}`);
  }
}

/** One order a poll found, as the platform sent it; `event` is its status (a repeat of one status is stored once). */
export interface PolledOrder {
  platformOrderId: string;
  event: string;
  raw: unknown;
}

/** Stores one polled order in the core's order inbox; a pull calls it before it moves its cursor or confirms. */
export type Intake = (found: PolledOrder) => Promise<void>;

/**
 * The job and the "pull now" route of a connector for a platform that offers only polling: both run
 * `pull`, which fetches new and changed orders from the saved cursor and stores each in the order
 * inbox before the cursor moves on (so a crash repeats work and never loses an order). The inbox
 * later hands each stored order back to `toOrder` (the connector's `orderIntake`), as pushes are.
 */
export function pullConnector<S>(options: {
  pull: (context: PluginContext<S>, intake: Intake) => Promise<void>;
  /** The common order for a stored polled order (`raw` as the pull found it, read back from JSON). */
  toOrder: (raw: unknown, context: PluginContext<S>) => CommerceOrder;
  cron?: string;
}): { jobs: Array<PluginJob<S>>; routes: Array<PluginRoute<S>>; orderIntake: PluginOrderIntake<S> } {
  const run = async (context: PluginContext<S>) => {
    let received = 0;
    await options.pull(context, async (found) => {
      await context.services.orders.receive([{ platformOrderId: found.platformOrderId, event: found.event, payload: JSON.stringify(found.raw) }]);
      received += 1;
    });
    if (received) context.log.info('orders received', { received });
    return { received };
  };
  const cron = options.cron ?? '* * * * *';
  return {
    orderIntake: { toOrder: async (delivery, context) => options.toOrder(JSON.parse(delivery.payload) as unknown, context) },
    jobs: [{ name: 'pull-orders', cron, run: async (context) => void (await run(context)) }],
    routes: [
      {
        method: 'post',
        path: '/pull',
        auth: 'session',
        permission: 'order:manage',
        handler: async (_request, context) => {
          try {
            return { body: await run(context) };
          } catch (error) {
            if (error instanceof PlatformError) return { status: 502, body: { code: 'PLATFORM_REFUSED', message: error.message } };
            throw error;
          }
        },
      },
    ],
  };
}
