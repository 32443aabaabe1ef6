/** Per-API, per-corp call budget per clock minute (WeCom: 10,000/min); over it → 45009 until the minute ends. */
export function createApiQuota(clock: () => number, perMinute: () => number) {
  const windows = new Map<string, { minute: number; count: number }>();
  return {
    /** Counts one call; false when the API is over its budget for this minute. */
    take(api: string): boolean {
      const minute = Math.floor(clock() / 60_000);
      const window = windows.get(api);
      if (!window || window.minute !== minute) {
        windows.set(api, { minute, count: 1 });
        return 1 <= perMinute();
      }
      window.count += 1;
      return window.count <= perMinute();
    },
    used: (api: string) => {
      const window = windows.get(api);
      return window && window.minute === Math.floor(clock() / 60_000) ? window.count : 0;
    },
  };
}

export type ApiQuota = ReturnType<typeof createApiQuota>;
