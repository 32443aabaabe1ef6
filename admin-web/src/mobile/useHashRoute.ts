import { onBeforeUnmount, ref } from 'vue';

export type MobileRoute = { name: 'list' } | { name: 'order'; id: number };

/** `#/` is the task list, `#/orders/<id>` one task (the links WeCom notifications carry). */
export function parseRoute(hash: string): MobileRoute {
  const match = /^#\/orders\/(\d+)/.exec(hash);
  return match ? { name: 'order', id: Number(match[1]) } : { name: 'list' };
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
      window.location.hash = to.name === 'order' ? `#/orders/${to.id}` : '#/';
    },
  };
}
