import type { TestServer } from '../../testing/test-server';
import { manifestProblems } from './plugin-manifest';
import { startPluginTestServer } from './plugin-test-kit';

interface Menu {
  key: string;
  path?: string;
  component?: string;
  children?: Menu[];
}
interface PageView {
  plugin: { name: string; enabled: boolean };
  view: { url: string; query: unknown[] } | null;
  manage: { settings: Record<string, unknown>; secretKeys: string[] } | null;
}

const pagesManifest = (admin: unknown) => ({
  name: 'pages',
  version: '1.0.0',
  requires: { core: '^0.1.0' },
  title: { 'zh-CN': '页面', 'en-US': 'Pages' },
  routes: [
    { method: 'get', path: '/list', handler: async () => ({}) },
    { method: 'post', path: '/save', handler: async () => ({}) },
  ],
  admin,
});

describe('plugin pages in the console menu', () => {
  let server: TestServer;
  let admin: string;
  let manager: string;

  beforeAll(async () => {
    server = await startPluginTestServer(['recorder']);
    admin = await server.login('admin');
    manager = await server.login('manager_sh01');
  });
  afterAll(() => server?.stop());

  const pluginGroup = async (token: string) => {
    const me = await server.api<{ data: { menus: Menu[] } }>('GET', '/api/auth/me', { token });
    return (me.body.data as { menus: Menu[] }).menus.find((m) => m.key === 'plugin-pages');
  };
  const page = (token: string, key: string) => server.api<{ data: PageView }>('GET', `/api/plugin-pages/recorder/${key}`, { token });

  it('shows no plugin entries while the plugin is disabled, and refuses its pages', async () => {
    expect(await pluginGroup(admin)).toBeUndefined();
    const reply = await page(admin, 'seen');
    expect(reply.status).toBe(404);
    expect(reply.body.message).toMatch(/not enabled/);
  });

  it('adds the entries of an enabled plugin at once, each only for users holding its permission', async () => {
    await server.api('PUT', '/api/system/plugins/recorder/settings', { token: admin, body: { settings: { label: 'east', apiKey: 'secret-key-5678' } } });
    expect((await server.api('POST', '/api/system/plugins/recorder/enable', { token: admin })).status).toBe(200);

    expect((await pluginGroup(admin))?.children?.map((m) => [m.key, m.path, m.component])).toEqual([
      ['plugin.recorder.seen', '/plugins/recorder/seen', 'plugin-page'],
      ['plugin.recorder.console', '/plugins/recorder/settings', 'plugin-page'],
    ]);
    // A store manager has customer:read (the first entry's permission) but not system:settings (the default).
    expect((await pluginGroup(manager))?.children?.map((m) => m.key)).toEqual(['plugin.recorder.seen']);
    expect((await page(manager, 'console')).status).toBe(403);
  });

  it('serves the generic page: the declared route to render, and the settings form only for plugin managers, secrets masked', async () => {
    const forManager = await page(manager, 'seen');
    expect(forManager.status).toBe(200);
    expect(forManager.body.data).toMatchObject({ plugin: { name: 'recorder', enabled: true }, view: { url: '/api/plugins/recorder/seen', query: [] }, manage: null });
    expect((await server.api('GET', forManager.body.data.view!.url, { token: manager })).status).toBe(200);

    const forAdmin = (await page(admin, 'seen')).body.data;
    expect(forAdmin.manage?.secretKeys).toEqual(['apiKey']);
    expect(forAdmin.manage?.settings).toMatchObject({ label: 'east', apiKey: '********5678' });
    expect((await page(admin, 'nope')).status).toBe(404);
    expect((await page(admin, 'Bad Key')).status).toBe(400);
  });

  it('removes the entries as soon as the plugin is disabled, without a restart', async () => {
    expect((await server.api('POST', '/api/system/plugins/recorder/disable', { token: admin })).status).toBe(200);
    expect(await pluginGroup(admin)).toBeUndefined();
    expect(await pluginGroup(manager)).toBeUndefined();
    expect((await page(manager, 'seen')).status).toBe(404);
  });

  it('reports a menu entry naming an unknown permission or a route that is not a get route of the plugin', () => {
    const problems = manifestProblems(
      pagesManifest({
        menus: [
          { key: 'list', title: { 'zh-CN': '列表', 'en-US': 'List' }, path: '/plugins/pages/list', permission: 'everything:all', view: { route: '/save' } },
          { key: 'list', title: { 'zh-CN': '列表', 'en-US': 'List' }, path: 'no-slash' },
        ],
      }),
      '0.1.0',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'admin.menus.0.permission', message: 'is not a permission of the catalogue' },
        { path: 'admin.menus.1.path', message: 'must be a console path such as /plugins/erp-rest/stock' },
        { path: 'admin.menus.list', message: 'is declared twice' },
        { path: 'admin.menus.0.view.route', message: 'is not a get route of this plugin (/save)' },
      ]),
    );
    expect(manifestProblems(pagesManifest({ menus: [{ key: 'list', title: { 'zh-CN': '列表', 'en-US': 'List' }, path: '/plugins/pages/list', view: { route: '/list' } }] }), '0.1.0')).toEqual([]);
  });
});
