import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestHost } from '../src/testing';
import { scaffoldFiles, scaffoldPlugin } from './plugin-scaffold';

describe('plugin scaffolding', () => {
  it('writes a plugin whose own test passes against the test host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugin-new-'));
    try {
      expect(scaffoldPlugin(dir, 'shop-coupons')).toEqual(['package.json', 'src/index.ts', 'src/index.test.ts', 'README.md'].map((f) => `plugins/shop-coupons/${f}`));
      expect(JSON.parse(readFileSync(join(dir, 'shop-coupons/package.json'), 'utf8'))).toMatchObject({ name: '@scrm/plugin-shop-coupons', main: 'src/index.ts' });
      expect(() => scaffoldPlugin(dir, 'shop-coupons')).toThrow(/exists already/);
      expect(() => scaffoldPlugin(dir, 'Shop')).toThrow(/not a plugin name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generates a manifest that runs: the hook writes the timeline once and the route counts it', async () => {
    // The generated source, loaded from inside the repository so that its imports resolve.
    const file = join(__dirname, `.scaffold-check-${process.pid}.ts`);
    writeFileSync(file, scaffoldFiles('demo-check')['src/index.ts']!.replace("'@scrm/plugin-sdk'", "'../src'"));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const plugin = (require(file) as { default: Parameters<typeof createTestHost>[0] }).default;
      const host = await createTestHost(plugin);
      await host.emit('customer.created', { customerId: 1, storeId: 1, externalUserId: null, source: 'x' });
      await host.emit('customer.created', { customerId: 1, storeId: 1, externalUserId: null, source: 'x' });
      expect(host.services.timeline).toHaveLength(1);
      expect((await host.route('get', '/status')).body).toEqual({ welcomed: 1 });
      await host.close();
    } finally {
      rmSync(file, { force: true });
    }
  });
});
