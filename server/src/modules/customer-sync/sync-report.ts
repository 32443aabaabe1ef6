/** What one application of WeCom's state to ours changed; summed over a run into its report. */
export interface SyncCounts {
  customersCreated: number;
  customersUpdated: number;
  followsCreated: number;
  followsUpdated: number;
  followsReactivated: number;
  followsLost: number;
  tagsAdded: number;
  tagsRemoved: number;
  unknownTagIds: number;
}

export const emptyCounts = (): SyncCounts => ({
  customersCreated: 0,
  customersUpdated: 0,
  followsCreated: 0,
  followsUpdated: 0,
  followsReactivated: 0,
  followsLost: 0,
  tagsAdded: 0,
  tagsRemoved: 0,
  unknownTagIds: 0,
});

export function addCounts(into: SyncCounts, more: Partial<SyncCounts>): SyncCounts {
  for (const key of Object.keys(into) as Array<keyof SyncCounts>) into[key] += more[key] ?? 0;
  return into;
}

export const changedAnything = (c: SyncCounts) =>
  c.customersCreated + c.customersUpdated + c.followsCreated + c.followsUpdated + c.followsReactivated + c.followsLost + c.tagsAdded + c.tagsRemoved > 0;

/** Up to `max` examples per kind of fix, so a report shows what was repaired without listing 100k rows. */
export function addSamples(into: Record<string, string[]>, kind: string, samples: string[], max = 10): void {
  if (!samples.length) return;
  const list = (into[kind] ??= []);
  for (const sample of samples) {
    if (list.length >= max) return;
    if (!list.includes(sample)) list.push(sample);
  }
}
