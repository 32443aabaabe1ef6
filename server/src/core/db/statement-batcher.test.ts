import { AsyncLocalStorage } from 'node:async_hooks';
import { createRowsByIdBatcher, createStatementBatcher } from './statement-batcher';

/** A statement that holds its first call until released, so that later requests queue behind it. */
function gatedStatement<T, R>(answer: (items: T[]) => R[]) {
  const sent: T[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return {
    sent,
    release,
    run: async (items: T[]) => {
      sent.push(items);
      if (sent.length === 1) await gate;
      return answer(items);
    },
  };
}

describe('statement batcher', () => {
  it('answers each request with its own result, grouping those that arrive while a statement runs', async () => {
    const statement = gatedStatement<number, number>((items) => items.map((n) => n * 10));
    const batcher = createStatementBatcher(statement.run, { maxInFlight: 1 });
    const answers = [1, 2, 3, 4].map((n) => batcher.submit(n));
    statement.release();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40]);
    expect(statement.sent).toEqual([[1], [2, 3, 4]]);
  });

  it('fails the requests of a failed statement, and still sends those that come after', async () => {
    const batcher = createStatementBatcher<string, string>(async (items) => {
      if (items.includes('bad')) throw new Error('no such table');
      return items;
    });
    await expect(batcher.submit('bad')).rejects.toThrow('no such table');
    await expect(batcher.submit('good')).resolves.toBe('good');
  });

  it("runs a batch in the batcher's own context, not in the context of the request that started it", async () => {
    const scope = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const batcher = createStatementBatcher<number, number>(async (items) => {
      seen.push(scope.getStore());
      return items;
    });
    await scope.run('replica reads', () => batcher.submit(1));
    expect(seen).toEqual([undefined]);
  });
});

describe('rows by id batcher', () => {
  it("fetches the union of a batch's ids once and gives each caller only its own rows", async () => {
    const statement = gatedStatement<number, { id: number; name: string }>((ids) => ids.filter((id) => id !== 99).map((id) => ({ id, name: `store ${id}` })));
    const rowsOf = createRowsByIdBatcher(statement.run, (row) => row.id, { maxInFlight: 1 });
    const first = rowsOf([1]);
    const [a, b, c, none] = [rowsOf([2, 3]), rowsOf([3, 99, null, 3]), rowsOf([4, 5, 6, 7]), rowsOf([])];
    statement.release();
    expect(await first).toEqual([{ id: 1, name: 'store 1' }]);
    expect(await a).toEqual([{ id: 2, name: 'store 2' }, { id: 3, name: 'store 3' }]);
    expect(await b).toEqual([{ id: 3, name: 'store 3' }]);
    expect((await c).map((row) => row.id)).toEqual([4, 5, 6, 7]);
    expect(await none).toEqual([]);
    expect(statement.sent).toEqual([[1], [2, 3, 99, 4, 5, 6, 7]]);
  });
});
