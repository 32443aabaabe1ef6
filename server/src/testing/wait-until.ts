/**
 * Polls `probe` until it holds, failing after `ms`. For what runs on the clock (cron ticks, throttle
 * windows, another process finishing), not for in-process work: that exposes drain() instead.
 */
export async function waitUntil(probe: () => Promise<boolean>, ms: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
