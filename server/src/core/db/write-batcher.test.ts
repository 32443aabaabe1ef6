import { createWriteBatcher } from './write-batcher';

describe('write batcher', () => {
  it('sends the first write at once and groups those that arrive while it is in flight', async () => {
    const flushed: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = createWriteBatcher<number>(async (items) => {
      flushed.push(items);
      if (flushed.length === 1) await gate;
    }, { maxBatch: 3, maxInFlight: 1 });
    const writes = [1, 2, 3, 4, 5, 6].map((n) => batcher.write(n));
    release();
    await Promise.all(writes);
    expect(flushed).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('settles a caller only after its own batch has been written, and fails only that batch', async () => {
    const batcher = createWriteBatcher<string>(async (items) => {
      if (items.includes('bad')) throw new Error('constraint');
    });
    const good = batcher.write('good');
    const bad = batcher.write('bad');
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('constraint');
  });
});
