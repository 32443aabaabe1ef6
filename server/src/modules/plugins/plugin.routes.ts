import { route, type RouteDefinition } from '../../core/http/define-route';
import { toOffset } from '../../core/http/pagination';
import type { PluginAdmin } from './plugin-admin.service';
import { deliveryParams, failuresQuery, pluginParams, pluginView, rolloutBody, settingsBody } from './plugin.schemas';

const tag = 'Plugins';
const permission = 'plugin:manage' as const;

/** 插件管理. Under `/api/system/plugins`: `/api/plugins/<name>/…` belongs to the plugins themselves. */
export function pluginRoutes(admin: PluginAdmin): RouteDefinition[] {
  return [
    route({ method: 'get', path: '/api/system/plugins', summary: 'Installed plugins with state, rollout, settings form and failure counts', tag, permission, response: pluginView.array(), handler: () => admin.list() }),
    route({ method: 'post', path: '/api/system/plugins/:name/enable', summary: 'Enable a plugin for the corp (runs its pending migrations)', tag, permission, params: pluginParams, handler: ({ params }) => admin.enable(params.name) }),
    route({ method: 'post', path: '/api/system/plugins/:name/disable', summary: 'Disable a plugin; its hooks stop at once', tag, permission, params: pluginParams, handler: ({ params }) => admin.disable(params.name) }),
    route({ method: 'put', path: '/api/system/plugins/:name/rollout', summary: 'Roll a plugin out to all stores, a percentage of stores, or a list', tag, permission, params: pluginParams, body: rolloutBody, handler: ({ params, body }) => admin.setRollout(params.name, body) }),
    route({ method: 'put', path: '/api/system/plugins/:name/settings', summary: "Save a plugin's settings (validated by its schema; secrets encrypted)", tag, permission, params: pluginParams, body: settingsBody, handler: ({ params, body }) => admin.saveSettings(params.name, body.settings) }),
    route({ method: 'post', path: '/api/system/plugins/:name/uninstall', summary: "Remove a disabled plugin's tables (its migrations run down)", tag, permission, params: pluginParams, handler: ({ params }) => admin.uninstall(params.name) }),
    route({ method: 'get', path: '/api/system/plugins/:name/failures', summary: 'Failed and dead-lettered deliveries and counted failures', tag, permission, params: pluginParams, query: failuresQuery, handler: ({ params, query }) => admin.failures(params.name, toOffset(query)) }),
    route({ method: 'post', path: '/api/system/plugins/:name/deliveries/:deliveryId/replay', summary: 'Deliver a dead-lettered event again', tag, permission, params: deliveryParams, handler: ({ params }) => admin.replay(params.name, params.deliveryId) }),
  ];
}
