import { http } from './request';
import type { LocalizedText } from './types';

export interface Permission {
  code: string;
  group: string;
  title: LocalizedText;
}

/** The contract returns a plain array; tolerate a paged envelope too. */
export const listPermissions = async (): Promise<Permission[]> => {
  const data = await http.get<Permission[] | { items: Permission[] }>('/api/permissions');
  return Array.isArray(data) ? data : (data?.items ?? []);
};
