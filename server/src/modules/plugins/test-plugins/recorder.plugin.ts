import { z } from 'zod';
import { definePlugin } from '@scrm/plugin-sdk';

/** A well-behaved test plugin: records each customer.created delivery once, by delivery id. */
export default definePlugin({
  name: 'recorder',
  version: '1.0.0',
  requires: { core: '>=0.1.0' },
  title: { 'zh-CN': '记录器', 'en-US': 'Recorder' },
  settings: z.object({ label: z.string().min(1).default('rec').describe('A label'), apiKey: z.string().optional(), hangFirstAttempt: z.boolean().default(false) }),
  secretKeys: ['apiKey'],
  migrations: [
    {
      name: '001-seen',
      up: async (db) => void (await db.query(`CREATE TABLE ${db.table('seen')} (delivery_id VARCHAR(64) PRIMARY KEY, customer_id BIGINT NOT NULL, attempt INT NOT NULL)`)),
      down: async (db) => void (await db.query(`DROP TABLE ${db.table('seen')}`)),
    },
  ],
  hooks: {
    async 'customer.created'(payload, context, delivery) {
      const seen = await context.db.query(`SELECT delivery_id FROM ${context.db.table('seen')} WHERE delivery_id = :id`, { id: delivery.id });
      if (seen.length) return;
      await context.db.query(`INSERT INTO ${context.db.table('seen')} (delivery_id, customer_id, attempt) VALUES (:id, :customerId, :attempt)`, { id: delivery.id, customerId: payload.customerId, attempt: delivery.attempt });
      // Stands for a crash after the work was done but before the delivery was acknowledged.
      if (context.settings.hangFirstAttempt && delivery.attempt === 1) await new Promise(() => undefined);
    },
  },
  filters: {
    async 'customer.beforeCreate'(input, context) {
      if (input.name.includes('veto')) context.veto('names with "veto" are refused');
      return { ...input, name: input.name.trim() };
    },
    async 'workOrder.beforeCreate'(input, context) {
      if (input.sourceChannel === 'blocked') context.veto('orders from "blocked" are refused');
      return input.sourceChannel === 'vip' ? { ...input, priority: 'urgent' } : input;
    },
  },
  routes: [
    { method: 'get', path: '/ping', auth: 'public', handler: async (request, context) => ({ body: { pong: true, label: context.settings.label, q: request.query.q ?? null } }) },
    { method: 'get', path: '/seen', permission: 'customer:read', handler: async (_request, context) => ({ body: await context.db.query(`SELECT delivery_id, customer_id FROM ${context.db.table('seen')} ORDER BY delivery_id`) }) },
    {
      method: 'post',
      path: '/customers',
      auth: 'public',
      handler: async (request, context) => ({ status: 201, body: await context.services.customers.upsert({ ...(request.body as { name: string; phone?: string }), storeId: null, source: 'recorder' }) }),
    },
    { method: 'post', path: '/echo/:id', auth: 'public', handler: async (request) => ({ body: { id: request.params.id, raw: request.rawBody, body: request.body } }) },
  ],
  admin: {
    menus: [
      { key: 'seen', title: { 'zh-CN': '已记录事件', 'en-US': 'Recorded events' }, path: '/plugins/recorder/seen', permission: 'customer:read', view: { route: '/seen' } },
      { key: 'console', title: { 'zh-CN': '记录器设置', 'en-US': 'Recorder settings' }, path: '/plugins/recorder/settings' },
    ],
  },
});
