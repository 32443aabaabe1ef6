import type { Ref } from 'vue';

/** Move a row up/down in an ordered list; the server returns the list in its new order. */
export function useReorder<T extends { id: number }>(list: Ref<T[]>, reorder: (ids: number[]) => Promise<T[]>) {
  async function move(index: number, by: -1 | 1): Promise<void> {
    const ids = list.value.map((row) => row.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved as number);
    list.value = await reorder(ids);
  }
  return { move };
}
