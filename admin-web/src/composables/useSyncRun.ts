import { onBeforeUnmount, ref } from 'vue';

import type { SyncRun } from '@/api/tags';

interface SyncRunOptions {
  /** latest run, or null when there is none */
  latest: (opts: { silent: boolean }) => Promise<SyncRun | null>;
  start: () => Promise<SyncRun>;
  /** called after `start` succeeded */
  onStarted?: () => void;
  /** called once the watched run is no longer running */
  onFinished: (run: SyncRun | null) => void | Promise<void>;
}

/** Start a background sync run and poll it every second until it finishes. Call `init()` in onMounted. */
export function useSyncRun(opts: SyncRunOptions) {
  const lastRun = ref<SyncRun | null>(null);
  const syncing = ref(false);
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  async function loadRun(): Promise<void> {
    try {
      lastRun.value = await opts.latest({ silent: true });
    } catch {
      lastRun.value = null;
    }
  }

  function watchRun(runId: number): void {
    syncing.value = true;
    const tick = async () => {
      await loadRun();
      const run = lastRun.value;
      if (run && run.id === runId && run.status === 'running') {
        pollTimer = setTimeout(() => void tick(), 1000);
        return;
      }
      syncing.value = false;
      await opts.onFinished(run);
    };
    void tick();
  }

  async function sync(): Promise<void> {
    try {
      const run = await opts.start();
      opts.onStarted?.();
      watchRun(run.id);
    } catch {
      /* shown by the request client */
    }
  }

  /** Load the latest run and resume polling when one is still running. */
  async function init(): Promise<void> {
    await loadRun();
    if (lastRun.value?.status === 'running') watchRun(lastRun.value.id);
  }

  onBeforeUnmount(() => clearTimeout(pollTimer));

  return { lastRun, syncing, loadRun, watchRun, sync, init };
}
