import type { App, Directive, DirectiveBinding } from 'vue';

import { useAuthStore } from '@/stores/auth';

export type AccessValue = string | string[];

/**
 * `v-access="'customer:export'"` — hidden unless the user has the permission.
 * `v-access="['a', 'b']"` needs all of them; `v-access:any="['a', 'b']"` needs one.
 * Only a convenience: the server checks every call again.
 */
function allowed(binding: DirectiveBinding<AccessValue>): boolean {
  const auth = useAuthStore();
  const value = binding.value;
  if (binding.arg === 'any' && Array.isArray(value)) return auth.hasAnyPermission(value);
  return auth.hasPermission(value);
}

function apply(el: HTMLElement, binding: DirectiveBinding<AccessValue>): void {
  if (allowed(binding)) {
    if (el.dataset.accessHidden) {
      el.style.display = el.dataset.accessDisplay ?? '';
      delete el.dataset.accessHidden;
      delete el.dataset.accessDisplay;
    }
  } else if (!el.dataset.accessHidden) {
    el.dataset.accessHidden = '1';
    el.dataset.accessDisplay = el.style.display;
    el.style.display = 'none';
  }
}

export const vAccess: Directive<HTMLElement, AccessValue> = {
  mounted: apply,
  updated: apply,
};

export function setupAccessDirective(app: App): void {
  app.directive('access', vAccess);
  // `v-if="$can('user:write')"` for things a directive cannot hide (table columns)
  app.config.globalProperties.$can = (code: AccessValue) => useAuthStore().hasPermission(code);
}

declare module 'vue' {
  interface GlobalDirectives {
    vAccess: typeof vAccess;
  }
  interface ComponentCustomProperties {
    $can: (code: AccessValue) => boolean;
  }
}
