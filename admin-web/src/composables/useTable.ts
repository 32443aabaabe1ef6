import { reactive, ref, shallowRef, type Ref } from 'vue';

import type { PageQuery, PageResult } from '@/api/types';

/** What a pager needs (`useTable` returns it; pages that paginate in memory can build one). */
export interface PagerState {
  page: Readonly<Ref<number>>;
  pageSize: Readonly<Ref<number>>;
  total: Readonly<Ref<number>>;
  onPageChange: (page: number) => void;
  onSizeChange: (size: number) => void;
}

export interface TableOptions {
  pageSize?: number;
  immediate?: boolean;
}

/**
 * List page state: filters, pagination and loading, around one list endpoint.
 * `search()` goes back to page 1; `reload()` keeps the page (after edits).
 */
export function useTable<T, Q extends object>(
  fetcher: (query: Q & PageQuery) => Promise<PageResult<T>>,
  initialFilters: Q,
  options: TableOptions = {},
) {
  const filters = reactive({ ...initialFilters }) as Q;
  const rows = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(options.pageSize ?? 20);
  const loading = ref(false);
  const loadedOnce = ref(false);
  let seq = 0;

  async function reload(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const res = await fetcher({ ...(filters as Q), page: page.value, pageSize: pageSize.value });
      if (mine !== seq) return;
      rows.value = res.items ?? [];
      total.value = res.total ?? rows.value.length;
      // an edit or delete may have emptied the last page
      if (rows.value.length === 0 && page.value > 1 && total.value > 0) {
        page.value = Math.max(1, Math.ceil(total.value / pageSize.value));
        await reload();
      }
    } catch {
      if (mine === seq) {
        rows.value = [];
        total.value = 0;
      }
    } finally {
      if (mine === seq) {
        loading.value = false;
        loadedOnce.value = true;
      }
    }
  }

  function search(): Promise<void> {
    page.value = 1;
    return reload();
  }

  function reset(): Promise<void> {
    Object.assign(filters, initialFilters);
    return search();
  }

  function onPageChange(p: number): void {
    page.value = p;
    void reload();
  }

  function onSizeChange(size: number): void {
    pageSize.value = size;
    page.value = 1;
    void reload();
  }

  if (options.immediate !== false) void reload();

  return { filters, rows, total, page, pageSize, loading, loadedOnce, reload, search, reset, onPageChange, onSizeChange };
}
