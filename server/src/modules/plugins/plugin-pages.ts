import type { PluginDefinition, PluginMenu } from '@scrm/plugin-sdk';
import { notFound } from '../../core/errors';
import { can, requirePermission, type Actor } from '../access/actor';
import type { MenuDefinition } from '../access/menus';
import { isPermission, type Permission } from '../access/permissions';
import { maskedSettings, settingsSchemaOf } from './plugin-admin.service';
import type { PluginStates } from './plugin-state';

/** The console group plugin pages appear in, and the view key of the generic plugin page. */
export const pluginMenuGroup = { key: 'plugin-pages', order: 85, title: { 'zh-CN': '插件', 'en-US': 'Plugins' }, icon: 'Grid' } as const;
export const pluginPageView = 'plugin-page';
const DEFAULT_PERMISSION: Permission = 'system:settings';

export const pluginMenuKey = (plugin: string, key: string) => `plugin.${plugin}.${key}`;
const permissionOf = (menu: PluginMenu): Permission => (menu.permission && isPermission(menu.permission) ? menu.permission : DEFAULT_PERMISSION);

/**
 * The console pages plugins declare in `admin.menus`: menu entries while the plugin is enabled (read
 * fresh on every `/api/auth/me`, so a switch in 插件管理 shows at once on every instance), and what
 * the generic plugin page shows for one entry.
 */
export function createPluginPages(deps: { plugins: () => ReadonlyMap<string, PluginDefinition>; states: PluginStates }) {
  async function enabledPlugins(): Promise<PluginDefinition[]> {
    const withMenus = [...deps.plugins().values()].filter((plugin) => plugin.admin?.menus?.length);
    if (!withMenus.length) return [];
    const states = await deps.states.all();
    return withMenus.filter((plugin) => states.get(plugin.name)?.enabled);
  }

  return {
    /** A menu source: the 插件 group with one entry per declared page of each enabled plugin. */
    async menus(): Promise<MenuDefinition[]> {
      const children = (await enabledPlugins()).flatMap((plugin) =>
        (plugin.admin?.menus ?? []).map((menu, index): MenuDefinition => ({ key: pluginMenuKey(plugin.name, menu.key), order: index, title: menu.title, path: menu.path, component: pluginPageView, permission: permissionOf(menu) })),
      );
      return children.length ? [{ ...pluginMenuGroup, children }] : [];
    },

    /** One page: 404 unless the plugin is enabled and declares it; 403 without the entry's permission. */
    async page(actor: Actor, name: string, key: string) {
      const plugin = deps.plugins().get(name);
      const menu = plugin?.admin?.menus?.find((m) => m.key === key);
      if (!plugin || !menu) throw notFound('plugin page', `${name}/${key}`);
      requirePermission(actor, permissionOf(menu));
      const state = await deps.states.fresh(name);
      if (!state.enabled) throw notFound('plugin page', `${name}/${key} (the plugin is not enabled)`);
      const manage = can(actor, 'plugin:manage')
        ? { settings: maskedSettings(plugin, state.settings), settingsSchema: plugin.settings ? settingsSchemaOf(plugin) : null, secretKeys: plugin.secretKeys ?? [] }
        : null;
      return {
        plugin: { name, title: plugin.title, description: plugin.description ?? null, version: plugin.version, enabled: state.enabled },
        menu: { key: pluginMenuKey(name, menu.key), title: menu.title, path: menu.path },
        view: menu.view ? { url: `/api/plugins/${name}${menu.view.route}`, query: menu.view.query ?? [] } : null,
        manage,
      };
    },
  };
}

export type PluginPages = ReturnType<typeof createPluginPages>;
