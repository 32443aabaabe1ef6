import { z } from 'zod';
import { route, type RouteDefinition } from '../../core/http/define-route';
import type { PluginPages } from './plugin-pages';
import { pluginParams } from './plugin.schemas';

const localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
const pageParams = pluginParams.extend({ key: z.string().regex(/^[a-z][a-z0-9-]*$/, 'not a plugin page key') });
const pageView = z.object({
  plugin: z.object({ name: z.string(), title: localized, description: localized.nullable(), version: z.string(), enabled: z.boolean() }),
  menu: z.object({ key: z.string(), title: localized, path: z.string() }),
  view: z.object({ url: z.string(), query: z.array(z.object({ key: z.string(), title: localized, required: z.boolean().optional() })) }).nullable(),
  manage: z.object({ settings: z.record(z.string(), z.unknown()), settingsSchema: z.record(z.string(), z.unknown()).nullable(), secretKeys: z.array(z.string()) }).nullable(),
});

/** The generic console page of a plugin's menu entry; the entry's own permission is checked by the service. */
export function pluginPageRoutes(pages: PluginPages): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/plugin-pages/:name/:key',
      summary: "What the console's generic plugin page shows for one menu entry of an enabled plugin (settings only for plugin managers)",
      tag: 'Plugins',
      params: pageParams,
      response: pageView,
      handler: ({ actor, params }) => pages.page(actor, params.name, params.key),
    }),
  ];
}
