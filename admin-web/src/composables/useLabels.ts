import { useI18n } from 'vue-i18n';

import type { RoleRef } from '@/api/auth';
import type { DataScope } from '@/api/types';

/** Labels for values that come from the server but have a translation (built-in role names, data scopes). */
export function useLabels() {
  const { t, te } = useI18n();
  function roleName(role: Pick<RoleRef, 'code' | 'name'> | null | undefined): string {
    if (!role) return '';
    const key = `roleNames.${role.code}`;
    return te(key) ? t(key) : role.name;
  }
  function scopeName(scope: DataScope | string | null | undefined): string {
    if (!scope) return '';
    const key = `dataScope.${scope}`;
    return te(key) ? t(key) : scope;
  }
  function groupName(group: string): string {
    const key = `permissionGroups.${group}`;
    return te(key) ? t(key) : group;
  }
  return { roleName, scopeName, groupName };
}
