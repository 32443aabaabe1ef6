import { retryOnConflict } from './retry-on-conflict';

describe('retrying writes the database aborted', () => {
  it('runs a write again after a deadlock and returns its result', async () => {
    let calls = 0;
    const result = await retryOnConflict(async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
      return 'stored';
    });
    expect([result, calls]).toEqual(['stored', 3]);
  });

  it('gives up after the last attempt, and never retries other errors', async () => {
    let calls = 0;
    const deadlock = () => Promise.reject(Object.assign(new Error('Deadlock'), { code: 'ER_LOCK_DEADLOCK' }));
    await expect(retryOnConflict(() => (calls += 1, deadlock()), 2)).rejects.toThrow('Deadlock');
    expect(calls).toBe(2);
    calls = 0;
    await expect(retryOnConflict(() => (calls += 1, Promise.reject(Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' }))))).rejects.toThrow('duplicate');
    expect(calls).toBe(1);
  });
});
