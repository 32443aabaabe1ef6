import { onBeforeUnmount, ref } from 'vue';

export type MobileRoute = { name: 'list' } | { name: 'earnings' } | { name: 'order'; id: number };

/** `#/` is the task list, `#/orders/<id>` one task (the links WeCom notifications carry), `#/earnings` the earnings. */
export function parseRoute(hash: string): MobileRoute {
  const match = /^#\/orders\/(\d+)/.exec(hash);
  if (match) return { name: 'order', id: Number(match[1]) };
  return hash.startsWith('#/earnings') ? { name: 'earnings' } : { name: 'list' };
}

export function useHashRoute() {
  const route = ref<MobileRoute>(parseRoute(window.location.hash));
  const sync = () => {
    route.value = parseRoute(window.location.hash);
  };
  window.addEventListener('hashchange', sync);
  onBeforeUnmount(() => window.removeEventListener('hashchange', sync));
  return {
    route,
    go: (to: MobileRoute) => {
      window.location.hash = to.name === 'order' ? `#/orders/${to.id}` : to.name === 'earnings' ? '#/earnings' : '#/';
    },
  };
}
