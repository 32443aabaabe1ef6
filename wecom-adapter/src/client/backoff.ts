/** Exponential backoff with full-range jitter: base·2^(n-1) plus up to one more base. */
export function transientDelayMs(retry: number, baseMs: number, random: () => number): number {
  return Math.round(baseMs * 2 ** (retry - 1) + random() * baseMs);
}

/** Milliseconds until the next wall-clock minute starts (60,000 exactly on a boundary). */
export function msToNextMinute(nowMs: number): number {
  return 60_000 - (nowMs % 60_000);
}
