import { definePlugin } from '@scrm/plugin-sdk';

/** A test plugin that fails every way it can: throws, hangs, throws from its filter and route. */
export default definePlugin({
  name: 'broken',
  version: '0.0.1',
  requires: { core: '^0.1.0' },
  title: { 'zh-CN': '故障插件', 'en-US': 'Broken' },
  hooks: {
    async 'customer.created'() {
      throw new Error('hook exploded');
    },
    'customer.updated': () => new Promise<void>(() => undefined),
  },
  filters: {
    async 'customer.beforeCreate'() {
      throw new Error('filter exploded');
    },
  },
  routes: [
    {
      method: 'get',
      path: '/boom',
      auth: 'public',
      handler: async () => {
        throw new Error('route exploded');
      },
    },
    { method: 'get', path: '/hang', auth: 'public', handler: () => new Promise(() => undefined) },
  ],
});
