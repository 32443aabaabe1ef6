import { onMounted, ref } from 'vue';
import { ElMessage } from 'element-plus';

import { useConfirm } from './useConfirm';

/**
 * A stored-delivery list with dead letters (WeCom callbacks, order messages): how many are dead (for
 * the page's alert), a shortcut that filters to them, and replay after a confirmation. A failed
 * replay (409 when the row is no longer dead) is shown by the request client; the list reloads either way.
 */
export function useDeadLetters(options: {
  table: { filters: { status?: string }; reload(): Promise<void>; search(): Promise<void> };
  countDead: () => Promise<number>;
  replay: (id: number) => Promise<unknown>;
  texts: { confirm: (id: number) => string; confirmText: string; replayed: string };
}) {
  const { confirm } = useConfirm();
  const deadCount = ref(0);

  async function refreshDeadCount(): Promise<void> {
    try {
      deadCount.value = await options.countDead();
    } catch {
      deadCount.value = 0;
    }
  }
  function reload(): void {
    void options.table.reload();
    void refreshDeadCount();
  }
  function showDead(): void {
    options.table.filters.status = 'dead';
    void options.table.search();
  }
  async function replay(id: number): Promise<void> {
    if (!(await confirm(options.texts.confirm(id), { confirmText: options.texts.confirmText }))) return;
    try {
      await options.replay(id);
      ElMessage.success(options.texts.replayed);
    } catch {
      /* shown by the request client */
    }
    reload();
  }

  onMounted(refreshDeadCount);
  return { deadCount, reload, showDead, replay };
}
