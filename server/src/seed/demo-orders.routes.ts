import { z } from 'zod';
import { AppError } from '../core/errors';
import { route, type RouteDefinition } from '../core/http/define-route';
import { demoPlatforms } from './demo-commerce';
import type { DemoOrderSlot } from './demo-order-slot';

const tag = 'shop orders';
const status = z.object({ running: z.boolean(), platforms: z.array(z.enum(demoPlatforms)) });
const placeBody = z.object({ platform: z.enum(demoPlatforms) });

/** The sandbox demo's console action: push one more simulated shop order. */
export function demoOrderRoutes(slot: DemoOrderSlot): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/demo/orders',
      tag,
      summary: 'Whether the offline shop-order demo runs (sandbox mode), and on which platforms',
      permission: 'order:manage',
      response: status,
      handler: async () => {
        const demo = slot.current();
        if (demo) await demo.ready;
        return { running: demo !== null, platforms: demo?.platforms() ?? [] };
      },
    }),
    route({
      method: 'post',
      path: '/api/demo/orders',
      tag,
      summary: "Place one more paid order on a platform's simulator (douyin pushes at once; taobao arrives with the next pull)",
      permission: 'order:manage',
      body: placeBody,
      response: z.object({ platform: z.string(), platformOrderId: z.string(), arrives: z.enum(['now', 'next_pull']) }),
      handler: async ({ body }) => {
        const demo = slot.current();
        if (!demo) throw new AppError('CONFLICT', 'the shop-order demo runs only in sandbox mode (no WeCom corp configured)');
        await demo.ready;
        if (!demo.platforms().includes(body.platform)) throw new AppError('CONFLICT', `the ${body.platform} demo is not running: its plugin is missing or configured for a real shop`, [{ path: 'body.platform', message: 'not running in this demo' }]);
        const placed = await demo.place(body.platform);
        return { ...placed, arrives: body.platform === 'douyin' ? 'now' : 'next_pull' };
      },
    }),
  ];
}
