import { computed, ref, shallowRef } from 'vue';

import { listRegions, type Region } from '@/api/regions';
import { listRoles, type Role } from '@/api/roles';
import { listStores, type Store } from '@/api/stores';

/** Small option lists for selects (one page of up to 200 rows; silent if the user may not read them). */
export function useRegionOptions() {
  const regions = shallowRef<Region[]>([]);
  const loading = ref(false);
  async function load(): Promise<void> {
    loading.value = true;
    try {
      regions.value = (await listRegions({ page: 1, pageSize: 200 })).items;
    } catch {
      regions.value = [];
    } finally {
      loading.value = false;
    }
  }
  const regionName = (id: number | null | undefined) => regions.value.find((r) => r.id === id)?.name ?? '';
  return { regions, loading, load, regionName };
}

export function useStoreOptions() {
  const stores = shallowRef<Store[]>([]);
  const loading = ref(false);
  async function load(): Promise<void> {
    loading.value = true;
    try {
      stores.value = (await listStores({ page: 1, pageSize: 200 }, { silent: true })).items;
    } catch {
      stores.value = [];
    } finally {
      loading.value = false;
    }
  }
  const storesOf = (regionId: number | null | undefined) =>
    regionId ? stores.value.filter((s) => s.regionId === regionId) : stores.value;
  const byId = computed(() => new Map(stores.value.map((s) => [s.id, s])));
  return { stores, loading, load, storesOf, byId };
}

export function useRoleOptions() {
  const roles = shallowRef<Role[]>([]);
  async function load(): Promise<void> {
    try {
      roles.value = (await listRoles({ page: 1, pageSize: 200 })).items;
    } catch {
      roles.value = [];
    }
  }
  return { roles, load };
}
