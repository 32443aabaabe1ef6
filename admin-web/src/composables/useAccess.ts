import { useAuthStore } from '@/stores/auth';

/** `const { can } = useAccess(); v-if="can('user:write')"` */
export function useAccess() {
  const auth = useAuthStore();
  return {
    can: (code: string | string[]) => auth.hasPermission(code),
    canAny: (codes: string[]) => auth.hasAnyPermission(codes),
  };
}
