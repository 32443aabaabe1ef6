import { computed, ref, shallowRef } from 'vue';

import { listRegions, type Region } from '@/api/regions';
import { listRoles, type Role } from '@/api/roles';
import { listStores, type Store } from '@/api/stores';
import type { PageResult } from '@/api/types';

/** One list fetched whole for a select; empty on error. */
function useOptionList<T>(fetch: () => Promise<PageResult<T>>) {
  const items = shallowRef<T[]>([]);
  const loading = ref(false);
  async function load(): Promise<void> {
    loading.value = true;
    try {
      items.value = (await fetch()).items;
    } catch {
      items.value = [];
    } finally {
      loading.value = false;
    }
  }
  return { items, loading, load };
}

/** Small option lists for selects (one page of up to 200 rows; silent if the user may not read them). */
export function useRegionOptions() {
  const { items: regions, loading, load } = useOptionList<Region>(() => listRegions({ page: 1, pageSize: 200 }));
  const regionName = (id: number | null | undefined) => regions.value.find((r) => r.id === id)?.name ?? '';
  return { regions, loading, load, regionName };
}

export function useStoreOptions() {
  const { items: stores, loading, load } = useOptionList<Store>(() => listStores({ page: 1, pageSize: 200 }, { silent: true }));
  const storesOf = (regionId: number | null | undefined) =>
    regionId ? stores.value.filter((s) => s.regionId === regionId) : stores.value;
  const byId = computed(() => new Map(stores.value.map((s) => [s.id, s])));
  return { stores, loading, load, storesOf, byId };
}

export function useRoleOptions() {
  const { items: roles, load } = useOptionList<Role>(() => listRoles({ page: 1, pageSize: 200 }));
  return { roles, load };
}
