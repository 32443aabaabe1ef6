import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';

import type { LocalizedText } from '@/api/types';
import { useAuthStore } from '@/stores/auth';
import { accessReady, ensureAccess, homePath, resetAccessRoutes, ROOT_ROUTE_NAME } from './access';

declare module 'vue-router' {
  interface RouteMeta {
    /** public pages need no login */
    public?: boolean;
    /** i18n key for static pages */
    titleKey?: string;
    /** localized title from the server's menu */
    title?: LocalizedText;
    menuKey?: string;
    icon?: string;
    viewKey?: string;
  }
}

const staticRoutes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'Login',
    component: () => import('@/views/login/index.vue'),
    meta: { public: true, titleKey: 'login.title' },
  },
  {
    path: '/',
    name: ROOT_ROUTE_NAME,
    component: () => import('@/layouts/BasicLayout.vue'),
    redirect: () => homePath(),
    children: [
      {
        path: '/:pathMatch(.*)*',
        name: 'NotFound',
        component: () => import('@/views/fallback/NotFound.vue'),
        meta: { titleKey: 'fallback.notFoundTitle' },
      },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: staticRoutes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();

  if (to.meta.public) {
    if (to.name === 'Login' && auth.isLoggedIn) {
      // a stored token: skip the form if it still works
      try {
        await ensureAccess(router);
        const target = typeof to.query.redirect === 'string' ? to.query.redirect : '/';
        return target;
      } catch {
        auth.reset();
        resetAccessRoutes();
      }
    }
    return true;
  }

  if (!auth.isLoggedIn) {
    return { name: 'Login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }

  if (!accessReady()) {
    try {
      await ensureAccess(router);
    } catch {
      auth.reset();
      resetAccessRoutes();
      return { name: 'Login', query: { redirect: to.fullPath } };
    }
    // the routes just added may match this address now
    return { path: to.path, query: to.query, hash: to.hash, replace: true };
  }
  return true;
});

/** Called by the request client on 401. */
export function handleUnauthorized(): void {
  const auth = useAuthStore();
  auth.reset();
  resetAccessRoutes();
  const current = router.currentRoute.value;
  if (current.name !== 'Login') {
    void router.replace({ name: 'Login', query: current.fullPath && current.fullPath !== '/' ? { redirect: current.fullPath } : {} });
  }
}

export default router;
