import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const pluginNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const title = (name: string) => name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

/** The files of a new plugin: a manifest with one hook and one route, a passing test and a README stub. */
export function scaffoldFiles(name: string): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(
      { name: `@scrm/plugin-${name}`, version: '0.1.0', private: true, license: 'Apache-2.0', description: `${title(name)} plugin for Weave SCRM`, main: 'src/index.ts', dependencies: { '@scrm/plugin-sdk': '0.1.0', zod: '^4.6.7' } },
      null,
      2,
    )}\n`,
    'src/index.ts': `import { z } from 'zod';
import { definePlugin } from '@scrm/plugin-sdk';

export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  requires: { core: '^0.1.0' },
  title: { 'zh-CN': '${title(name)}', 'en-US': '${title(name)}' },
  settings: z.object({
    greeting: z.string().min(1).default('你好').describe('Written on the customer timeline'),
  }),
  migrations: [
    {
      name: '001-welcomed',
      async up(db) {
        await db.query(\`CREATE TABLE \${db.table('welcomed')} (customer_id BIGINT PRIMARY KEY, delivery_id VARCHAR(128) NOT NULL)\`);
      },
      async down(db) {
        await db.query(\`DROP TABLE \${db.table('welcomed')}\`);
      },
    },
  ],
  hooks: {
    // Delivered at least once: the table's key makes a repeat do nothing.
    async 'customer.created'(payload, context, delivery) {
      const done = await context.db.query(\`SELECT customer_id FROM \${context.db.table('welcomed')} WHERE customer_id = :id\`, { id: payload.customerId });
      if (done.length) return;
      await context.services.customers.addTimelineEntry(payload.customerId, { kind: '${name}.welcomed', title: context.settings.greeting });
      await context.db.query(\`INSERT INTO \${context.db.table('welcomed')} (customer_id, delivery_id) VALUES (:id, :delivery)\`, { id: payload.customerId, delivery: delivery.id });
    },
  },
  routes: [
    {
      method: 'get',
      path: '/status',
      auth: 'session',
      async handler(_request, context) {
        const rows = await context.db.query<{ n: number }>(\`SELECT COUNT(*) AS n FROM \${context.db.table('welcomed')}\`);
        return { body: { welcomed: Number(rows[0]?.n ?? 0) } };
      },
    },
  ],
});
`,
    'src/index.test.ts': `import { createTestHost } from '@scrm/plugin-sdk/src/testing';
import plugin from './index';

describe('${name}', () => {
  it('welcomes a new customer once, even when the event is delivered twice', async () => {
    const host = await createTestHost(plugin, { settings: { greeting: '欢迎' } });
    const event = { customerId: 42, storeId: 1, externalUserId: null, source: 'console' };
    await host.emit('customer.created', event);
    await host.emit('customer.created', event);
    expect(host.services.timeline).toEqual([{ customerId: 42, kind: '${name}.welcomed', title: '欢迎' }]);
    expect(await host.route('get', '/status')).toMatchObject({ status: 200, body: { welcomed: 1 } });
    await host.migrateDown();
    expect(await host.tables()).toEqual([]);
    await host.close();
  });
});
`,
    'README.md': `# ${title(name)}

What this plugin does, for whom, and how to set it up (settings, which stores, which flows).

- Hooks: \`customer.created\` (writes a greeting on the customer's timeline)
- Routes: \`GET /api/plugins/${name}/status\`
- Tables: \`plg_${name.replace(/-/g, '_')}_welcomed\`

Run its tests with \`npx jest plugins/${name}\`. See \`plugins/README.md\` for the author guide.
`,
  };
}

/** Writes `plugins/<name>`; refuses a bad name or an existing folder. */
export function scaffoldPlugin(pluginsDir: string, name: string): string[] {
  if (!pluginNamePattern.test(name)) throw new Error(`"${name}" is not a plugin name: lower-case words joined by dashes, e.g. "shop-coupons"`);
  if (name === 'sdk') throw new Error('"sdk" is reserved');
  const root = join(pluginsDir, name);
  if (existsSync(root)) throw new Error(`plugins/${name} exists already`);
  const files = scaffoldFiles(name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return Object.keys(files).map((path) => `plugins/${name}/${path}`);
}
