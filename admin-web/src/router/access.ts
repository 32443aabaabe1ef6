import type { Router, RouteRecordRaw } from 'vue-router';

import type { Menu } from '@/api/auth';
import { useAuthStore } from '@/stores/auth';
import { notAvailableView, resolveView } from './views';

export const ROOT_ROUTE_NAME = 'Root';

let removers: Array<() => void> = [];
let ready = false;

function joinPath(parent: string, path: string): string {
  if (!path) return parent || '/';
  if (path.startsWith('/')) return path;
  const base = parent.endsWith('/') ? parent : `${parent}/`;
  return `${base}${path}`;
}

function isExternal(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/** Turn the server's menu tree into flat child routes of the layout. */
export function generateRoutes(menus: Menu[], parentPath = '/'): RouteRecordRaw[] {
  const routes: RouteRecordRaw[] = [];
  for (const menu of menus) {
    const path = joinPath(parentPath, menu.path ?? '');
    if (menu.component && !isExternal(path)) {
      const loader = resolveView(menu.component);
      routes.push({
        path,
        name: `menu:${menu.key}`,
        component: loader ?? notAvailableView,
        props: loader ? false : { component: menu.component },
        meta: { title: menu.title, menuKey: menu.key, icon: menu.icon, viewKey: menu.component },
      });
    }
    if (menu.children?.length) routes.push(...generateRoutes(menu.children, path));
  }
  return routes;
}

/** First page the user may open: where `/` and a fresh login go. */
export function firstMenuPath(menus: Menu[], parentPath = '/'): string | null {
  for (const menu of menus) {
    const path = joinPath(parentPath, menu.path ?? '');
    if (menu.hidden) continue;
    if (menu.component && !isExternal(path)) return path;
    if (menu.children?.length) {
      const found = firstMenuPath(menu.children, path);
      if (found) return found;
    }
  }
  return null;
}

export function homePath(): string {
  const auth = useAuthStore();
  return firstMenuPath(auth.menus) ?? '/404';
}

export function installAccessRoutes(router: Router, menus: Menu[]): void {
  resetAccessRoutes();
  for (const route of generateRoutes(menus)) {
    if (route.name && router.hasRoute(route.name)) router.removeRoute(route.name);
    removers.push(router.addRoute(ROOT_ROUTE_NAME, route));
  }
  ready = true;
}

export function resetAccessRoutes(): void {
  for (const remove of removers) remove();
  removers = [];
  ready = false;
}

export function accessReady(): boolean {
  return ready;
}

/** Load /api/auth/me (once per session) and add the routes its menus allow. */
export async function ensureAccess(router: Router): Promise<void> {
  if (ready) return;
  const auth = useAuthStore();
  if (!auth.loaded) await auth.fetchMe();
  installAccessRoutes(router, auth.menus);
}

/** Load the menus again and rebuild the routes (after a change that adds or removes pages, e.g. a plugin switched). */
export async function reloadAccess(router: Router): Promise<void> {
  await useAuthStore().fetchMe();
  installAccessRoutes(router, useAuthStore().menus);
}
